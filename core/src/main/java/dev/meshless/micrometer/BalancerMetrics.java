package dev.meshless.micrometer;

import dev.meshless.balancer.BalancerListener;
import dev.meshless.balancer.EndpointState;
import dev.meshless.balancer.RoutingPlan;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes balancer plans as Micrometer gauges. Register one instance as a listener on every
 * balancer ({@code LocalityLoadBalancer.Builder.listener}); meters appear when a service's first
 * plan arrives.
 *
 * <ul>
 *   <li>{@code meshless.balancer.panic} (tags {@code service}): 1 while any tier is in panic, else 0;</li>
 *   <li>{@code meshless.locality.share} (tags {@code service}, {@code tier}, the tier number of
 *       {@link MeshlessTags#tier}): the planned share of traffic of each tier, 0 to 1; a tier that
 *       loses its endpoints reads 0;</li>
 *   <li>{@code meshless.balancer.endpoints} (tags {@code service}, {@code state}): endpoints per
 *       {@link EndpointState}.</li>
 * </ul>
 *
 * <p>Thread-safe. Only this package of core needs {@code micrometer-core} on the classpath.
 */
public final class BalancerMetrics implements BalancerListener {

    private final MeterRegistry registry;
    private final Map<String, Value> values = new ConcurrentHashMap<>();

    /** @param registry where to register the gauges */
    public BalancerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onPlanChanged(RoutingPlan previous, RoutingPlan current) {
        String service = current.service();
        gauge("meshless.balancer.panic", Tags.of(MeshlessTags.SERVICE, service),
                "1 while a tier of the service is in panic (traffic spread regardless of health)")
                .set(current.panic() ? 1 : 0);
        for (RoutingPlan.TierPlan t : previous.tiers()) {
            if (current.tiers().stream().noneMatch(c -> c.tier() == t.tier())) {
                tierShare(service, t).set(0);
            }
        }
        for (RoutingPlan.TierPlan t : current.tiers()) {
            tierShare(service, t).set(t.share());
        }
        int[] counts = new int[EndpointState.values().length];
        current.endpoints().forEach(e -> counts[e.state().ordinal()]++);
        counts[EndpointState.REGION_EXCLUDED.ordinal()] += current.excludedByRegion().size();
        for (EndpointState s : EndpointState.values()) {
            gauge("meshless.balancer.endpoints",
                    Tags.of(MeshlessTags.SERVICE, service, "state", s.name().toLowerCase(Locale.ROOT)),
                    "endpoints of the service by balancer state").set(counts[s.ordinal()]);
        }
    }

    private Value tierShare(String service, RoutingPlan.TierPlan t) {
        return gauge("meshless.locality.share",
                Tags.of(MeshlessTags.SERVICE, service, MeshlessTags.TIER, MeshlessTags.tier(t.tier())),
                "planned share of the service's traffic sent to the tier, 0 to 1");
    }

    private Value gauge(String name, Tags tags, String description) {
        return values.computeIfAbsent(name + tags, key -> {
            Value v = new Value();
            Gauge.builder(name, v, Value::get).tags(tags).description(description).register(registry);
            return v;
        });
    }

    /** A gauge's current value; written by the balancer's control side, read by meter publishing. */
    private static final class Value {
        private volatile double value;

        void set(double v) {
            value = v;
        }

        double get() {
            return value;
        }
    }
}
