package dev.meshless.consul.micrometer;

import dev.meshless.consul.ConsulException;
import dev.meshless.consul.ConsulMetrics;
import dev.meshless.consul.ViewStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The Consul registry's meters, for one Micrometer registry. Pass one instance to
 * {@code ConsulRegistry.builder(config).metrics(...)} (it also receives the requests of registration):
 *
 * <ul>
 *   <li>{@code meshless.consul.view.age} (gauge, seconds; tags {@code service}, {@code datacenter}):
 *       how old the last good view may be — 0 while its watch is healthy, the time since Consul last
 *       confirmed it while reads fail or when it was loaded from the snapshot; NaN before any view;</li>
 *   <li>{@code meshless.consul.view.endpoints} (gauge; same tags): endpoints in the last good view;</li>
 *   <li>{@code meshless.consul.errors} (counter; tags {@code service}, {@code datacenter},
 *       {@code reason} = unreachable, timeout, http_status, malformed, too_large,
 *       too_many_endpoints): failed or rejected reads, each of which kept the last good view;</li>
 *   <li>{@code meshless.consul.requests} (counter; tags {@code api} = health, catalog, agent,
 *       {@code datacenter} (or {@code local}), {@code outcome} = ok or a reason): requests made.</li>
 * </ul>
 * Gauges of a view are removed when the registry stops tracking it. No tag or value ever holds the
 * ACL token.
 *
 * <p>Thread-safe. Only this package needs {@code micrometer-core} on the classpath.
 */
public final class MicrometerConsulMetrics implements ConsulMetrics {

    private final MeterRegistry registry;
    private final Map<List<String>, Counter> requests = new ConcurrentHashMap<>();
    private final Map<List<String>, Counter> errors = new ConcurrentHashMap<>();
    private final Map<List<String>, List<Meter>> gauges = new ConcurrentHashMap<>();

    /** @param registry where meters are registered */
    public MicrometerConsulMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void requestCompleted(String api, String datacenter, String outcome) {
        requests.computeIfAbsent(List.of(api, datacenter, outcome), k -> Counter.builder("meshless.consul.requests")
                .description("requests made to Consul agents")
                .tags("api", api, "datacenter", datacenter, "outcome", outcome)
                .register(registry)).increment();
    }

    @Override
    public void watchFailed(String service, String datacenter, ConsulException.Reason reason) {
        errors.computeIfAbsent(List.of(service, datacenter, reason.tag()), k -> Counter.builder("meshless.consul.errors")
                .description("failed or rejected reads of a service; the last good view was kept")
                .tags("service", service, "datacenter", datacenter, "reason", reason.tag())
                .register(registry)).increment();
    }

    @Override
    public void viewAdded(String service, String datacenter, Supplier<ViewStatus> status) {
        Tags tags = Tags.of("service", service, "datacenter", datacenter);
        gauges.computeIfAbsent(List.of(service, datacenter), k -> List.of(
                Gauge.builder("meshless.consul.view.age", status, s -> {
                    Duration age = s.get().age();
                    return age == null ? Double.NaN : age.toNanos() / 1e9;
                }).strongReference(true).tags(tags).baseUnit("seconds")
                        .description("how old the last good view may be; 0 while its watch is healthy")
                        .register(registry),
                Gauge.builder("meshless.consul.view.endpoints", status, s -> s.get().endpoints()).strongReference(true)
                        .tags(tags)
                        .description("endpoints in the last good view").register(registry)));
    }

    @Override
    public void viewRemoved(String service, String datacenter) {
        List<Meter> meters = gauges.remove(List.of(service, datacenter));
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }
}
