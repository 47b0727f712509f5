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
 *   <li>{@code meshless.consul.view.skipped} (gauge; same tags): entries of the last answer left out as
 *       unusable;</li>
 *   <li>{@code meshless.consul.view.maintenance} (gauge; same tags): endpoints in maintenance;</li>
 *   <li>{@code meshless.consul.view.last.contact} (gauge, seconds; same tags): {@code X-Consul-LastContact}
 *       of the last answer; NaN when it means nothing (streaming backend) or before any answer;</li>
 *   <li>{@code meshless.consul.errors} (counter; tags {@code service}, {@code datacenter},
 *       {@code reason} = unreachable, timeout, http_status, rate_limited, acl_filtered, malformed,
 *       too_large, too_many_endpoints): failed or rejected reads, each of which kept the last good view;</li>
 *   <li>{@code meshless.consul.skipped} (counter; tags {@code service}, {@code datacenter},
 *       {@code reason} = no_port, bad_port, bad_address, unknown_check_status, malformed, other_service,
 *       duplicate_id): entries left out, once per entry and change of reason;</li>
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
    private final Map<List<String>, Counter> skipped = new ConcurrentHashMap<>();
    private final Map<List<String>, List<Meter>> gauges = new ConcurrentHashMap<>();

    /** @param registry where meters are registered */
    public MicrometerConsulMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void requestCompleted(String api, String datacenter, String outcome) {
        increment(requests, "meshless.consul.requests", "requests made to Consul agents", "api", api, "datacenter",
                datacenter, "outcome", outcome);
    }

    @Override
    public void watchFailed(String service, String datacenter, ConsulException.Reason reason) {
        increment(errors, "meshless.consul.errors", "failed or rejected reads of a service; the last good view was kept",
                "service", service, "datacenter", datacenter, "reason", reason.tag());
    }

    @Override
    public void entrySkipped(String service, String datacenter, String reason) {
        increment(skipped, "meshless.consul.skipped", "entries of Consul answers left out as unusable, once per entry"
                + " and reason", "service", service, "datacenter", datacenter, "reason", reason);
    }

    /** Increments the counter of these tags (name, value, name, value …), registering it the first time. */
    private void increment(Map<List<String>, Counter> counters, String name, String description, String... tags) {
        counters.computeIfAbsent(List.of(tags), k -> Counter.builder(name).description(description).tags(tags)
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
                        .description("endpoints in the last good view").register(registry),
                Gauge.builder("meshless.consul.view.skipped", status, s -> s.get().skipped()).strongReference(true)
                        .tags(tags).description("entries of the last answer left out as unusable").register(registry),
                Gauge.builder("meshless.consul.view.maintenance", status, s -> s.get().maintenance())
                        .strongReference(true).tags(tags).description("endpoints in maintenance").register(registry),
                Gauge.builder("meshless.consul.view.last.contact", status, s -> {
                    Duration contact = s.get().lastContact();
                    return contact == null ? Double.NaN : contact.toNanos() / 1e9;
                }).strongReference(true).tags(tags).baseUnit("seconds")
                        .description("how long the answering server had not heard from the leader").register(registry)));
    }

    @Override
    public void viewRemoved(String service, String datacenter) {
        List<Meter> meters = gauges.remove(List.of(service, datacenter));
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }
}
