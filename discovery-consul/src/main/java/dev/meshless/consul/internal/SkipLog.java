package dev.meshless.consul.internal;

import dev.meshless.consul.SkippedEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports the entries a watch leaves out: one WARN line and one count per entry and change of reason,
 * not one per answer, so that an unusable instance that stays in Consul for days is reported once.
 * Remembers only the entries of the latest answer (at most {@code maxEndpoints}).
 *
 * <p>Not thread-safe: confined to the watch's serial executor.
 */
final class SkipLog {

    private static final Logger log = LoggerFactory.getLogger(ServiceWatch.class);

    /** What was last reported: entry → reason. */
    private Map<String, String> reported = Map.of();

    /**
     * @param service the service
     * @param datacenter the datacenter (or peer)
     * @param skipped the entries the latest answer left out
     * @param used how many endpoints the answer gave
     * @param count called once per entry newly left out, or left out for another reason, with the reason
     */
    void report(String service, String datacenter, List<SkippedEntry> skipped, int used,
            java.util.function.Consumer<String> count) {
        Map<String, String> now = new HashMap<>();
        for (SkippedEntry s : skipped) {
            now.put(s.entry(), s.reason());
            if (!s.reason().equals(reported.get(s.entry()))) {
                count.accept(s.reason());
                log.warn("Service '{}' in datacenter '{}': leaving out instance '{}' ({}): {}; routing on the other {}"
                        + " endpoint(s)", service, datacenter, s.entry(), s.reason(), s.problem(), used);
            }
        }
        for (String entry : reported.keySet()) {
            if (!now.containsKey(entry)) {
                log.info("Service '{}' in datacenter '{}': instance '{}' is no longer left out", service, datacenter,
                        entry);
            }
        }
        reported = now;
    }
}
