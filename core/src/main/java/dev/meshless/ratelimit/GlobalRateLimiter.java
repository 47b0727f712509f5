package dev.meshless.ratelimit;

import dev.meshless.config.Check;
import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.registry.EndpointRegistry;
import dev.meshless.registry.ServiceEndpoints;
import dev.meshless.registry.Subscription;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A limit for a whole service, shared by all its instances without a token server: each instance
 * enforces {@code limit × its share}, its share coming from the live instances of its own service
 * in the registry — {@code 1 / healthy instances}, or its weight over their total weight.
 *
 * <p>Shares follow every registry update. When the registry goes quiet (unreachable) the last share
 * holds: never zero, never the whole limit. An update that lists no healthy instance is ignored for
 * the same reason. Before the first update the share is {@code 1 / expectedInstances}.
 *
 * <p>Accuracy: exact when traffic is spread evenly over the instances (as a balancer spreads it);
 * otherwise an instance receiving a fraction {@code f} of the traffic admits
 * {@code min(f × offered, limit × share)}, so the service admits less than the limit when traffic is
 * uneven, never more (except during the moment instances join before the others learn of them).
 *
 * <p>Thread-safe.
 */
public final class GlobalRateLimiter implements RateLimiter, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GlobalRateLimiter.class);

    /** How an instance's share of a global limit is computed. */
    public enum ShareMode {
        /** {@code 1 / healthy instances}. */
        EVEN,
        /** {@code own weight / total weight of healthy instances}. */
        WEIGHTED
    }

    private final LocalRateLimiter local;
    private final String service;
    private final String instanceId;
    private final ShareMode mode;
    private final Subscription subscription;

    private GlobalRateLimiter(LocalRateLimiter local, EndpointRegistry registry, String service, String instanceId,
                              ShareMode mode, int expectedInstances) {
        this.local = local;
        this.service = service;
        this.instanceId = instanceId;
        this.mode = mode;
        local.setShare(1.0 / expectedInstances);
        this.subscription = registry.subscribe(service, this::onInstances);
    }

    /**
     * @param local the limiter to scale, holding the whole service's limit
     * @param registry where this service's instances are listed
     * @param service this service's name in the registry
     * @param instanceId this instance's endpoint id there (needed for {@link ShareMode#WEIGHTED})
     * @param mode how the share is computed
     * @param expectedInstances the share before the registry answers is {@code 1 / expectedInstances}
     * @return the global limiter, subscribed to the registry
     * @throws InvalidConfigurationException naming {@code expectedInstances}, or {@code id} when weighted
     *     shares have no instance id, by their paths in {@link RateLimitInstanceSpec}
     */
    public static GlobalRateLimiter start(LocalRateLimiter local, EndpointRegistry registry, String service,
                                          String instanceId, ShareMode mode, int expectedInstances) {
        Check.atLeast("expectedInstances", expectedInstances, 1);
        if (mode == ShareMode.WEIGHTED && (instanceId == null || instanceId.isBlank())) {
            throw new InvalidConfigurationException("id", instanceId, "is required by weighted shares: this"
                    + " instance's endpoint id in the registry");
        }
        return new GlobalRateLimiter(local, Objects.requireNonNull(registry, "registry"),
                Objects.requireNonNull(service, "service"), instanceId, Objects.requireNonNull(mode, "mode"),
                expectedInstances);
    }

    private void onInstances(ServiceEndpoints instances) {
        long healthy = 0;
        long totalWeight = 0;
        long ownWeight = -1;
        for (Endpoint e : instances.endpoints()) {
            if (e.health() == HealthStatus.CRITICAL) {
                continue;
            }
            healthy++;
            totalWeight += e.weight();
            if (e.id().equals(instanceId)) {
                ownWeight = e.weight();
            }
        }
        if (healthy == 0) {
            log.warn("Global rate limit '{}': the registry lists no healthy instance of '{}'; keeping the share"
                    + " at {}", local.name(), service, local.share());
            return;
        }
        double share;
        if (mode == ShareMode.WEIGHTED) {
            if (ownWeight < 0) {
                // Not (yet) registered itself: count it with weight 1 among the others.
                ownWeight = 1;
                totalWeight += 1;
            }
            share = (double) ownWeight / totalWeight;
        } else {
            share = 1.0 / (instanceId != null && instances.endpoints().stream().noneMatch(
                    e -> e.id().equals(instanceId)) ? healthy + 1 : healthy);
        }
        if (share != local.share()) {
            log.info("Global rate limit '{}': this instance now enforces {} of {} per {} ({} healthy instances"
                    + " of '{}')", local.name(), String.format(java.util.Locale.ROOT, "%.4f", share),
                    local.baseLimit().limitForPeriod(), local.baseLimit().period(), healthy, service);
            local.setShare(share);
        }
    }

    /** @return this instance's current share, above 0 and at most 1 */
    public double share() {
        return local.share();
    }

    @Override
    public String name() {
        return local.name();
    }

    @Override
    public RateLimit limit() {
        return local.limit();
    }

    @Override
    public boolean tryAcquire() {
        return local.tryAcquire();
    }

    @Override
    public Decision decide() {
        return local.decide();
    }

    /** Stops following the registry; the last share holds. */
    @Override
    public void close() {
        subscription.close();
    }
}
