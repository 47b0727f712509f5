package dev.meshless.balancer;

import dev.meshless.config.Check;
import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a service's traffic is split over localities and endpoints. Immutable; build one with
 * {@link #builder()} or from a {@link LoadBalancingSpec}; every setter of the builder rejects a
 * bad value with an {@link InvalidConfigurationException} whose path is the setting's name in
 * {@link LoadBalancingSpec}.
 *
 * <p>The maths behind each property is written down in {@code docs/load-balancing.md}.
 */
public final class LoadBalancingPolicy {

    /** Envoy's default over-provisioning factor: a tier keeps all its traffic while ≥ 1/1.4 ≈ 71.4 % healthy. */
    public static final double DEFAULT_OVERPROVISIONING_FACTOR = 1.4;
    /** Envoy's default panic threshold, in percent of a tier's weight that is healthy. */
    public static final double DEFAULT_PANIC_THRESHOLD_PERCENT = 50.0;
    /** Envoy's default minimum cluster size for zone-aware routing. */
    public static final int DEFAULT_MIN_CLUSTER_SIZE = 6;
    /**
     * Share of first attempts that endpoints and zones only being probed (an ejection just expired,
     * a zone breaker half-open) receive, together, while known-good capacity exists: enough to
     * confirm a returning endpoint within a second at a few requests per second, small enough that
     * a probe of a still-dead endpoint touches few calls (each is retried on known-good capacity).
     */
    public static final double DEFAULT_PROBE_SHARE_PERCENT = 5.0;
    /** The default strategy inside a locality. */
    public static final EndpointStrategy DEFAULT_ENDPOINT_STRATEGY = EndpointStrategy.LEAST_REQUEST;

    private static final LoadBalancingPolicy DEFAULTS = builder().build();

    private final double overprovisioningFactor;
    private final double panicThresholdPercent;
    private final List<String> regionOrder;
    private final boolean excludeUnlistedRegions;
    private final boolean zoneAware;
    private final int minClusterSize;
    private final EndpointStrategy endpointStrategy;
    private final boolean warningIsHealthy;
    private final double probeSharePercent;

    private LoadBalancingPolicy(Builder b) {
        this.overprovisioningFactor = b.overprovisioningFactor;
        this.panicThresholdPercent = b.panicThresholdPercent;
        this.regionOrder = List.copyOf(b.regionOrder);
        this.excludeUnlistedRegions = b.excludeUnlistedRegions;
        this.zoneAware = b.zoneAware;
        this.minClusterSize = b.minClusterSize;
        this.endpointStrategy = b.endpointStrategy;
        this.warningIsHealthy = b.warningIsHealthy;
        this.probeSharePercent = b.probeSharePercent;
    }

    /** @return the policy with every default */
    public static LoadBalancingPolicy defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from this policy's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.overprovisioningFactor = overprovisioningFactor;
        b.panicThresholdPercent = panicThresholdPercent;
        b.regionOrder = new ArrayList<>(regionOrder);
        b.excludeUnlistedRegions = excludeUnlistedRegions;
        b.zoneAware = zoneAware;
        b.minClusterSize = minClusterSize;
        b.endpointStrategy = endpointStrategy;
        b.warningIsHealthy = warningIsHealthy;
        b.probeSharePercent = probeSharePercent;
        return b;
    }

    /** @return the factor a tier's healthy fraction is multiplied by; at least 1 */
    public double overprovisioningFactor() {
        return overprovisioningFactor;
    }

    /** @return the panic threshold in percent, 0 to 100; 0 disables panic */
    public double panicThresholdPercent() {
        return panicThresholdPercent;
    }

    /**
     * @return the share of first attempts, in percent, that endpoints and zones only being probed
     *     receive together while known-good capacity exists; above 0, at most 50
     */
    public double probeSharePercent() {
        return probeSharePercent;
    }

    /**
     * @return regions in failover order after the caller's own; unlisted regions come after them,
     *     each its own tier, by proximity (see {@code docs/load-balancing.md})
     */
    public List<String> regionOrder() {
        return regionOrder;
    }

    /** @return whether regions missing from {@link #regionOrder()} receive no traffic at all */
    public boolean excludeUnlistedRegions() {
        return excludeUnlistedRegions;
    }

    /** @return whether capacity-aware zone routing is enabled */
    public boolean zoneAware() {
        return zoneAware;
    }

    /** @return how many endpoints the caller's own service needs before zone-aware routing applies */
    public int minClusterSize() {
        return minClusterSize;
    }

    /** @return how an endpoint is chosen inside a locality */
    public EndpointStrategy endpointStrategy() {
        return endpointStrategy;
    }

    /** @return whether endpoints whose registry health is {@code warning} receive traffic */
    public boolean warningIsHealthy() {
        return warningIsHealthy;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LoadBalancingPolicy)) {
            return false;
        }
        LoadBalancingPolicy that = (LoadBalancingPolicy) o;
        return Double.compare(overprovisioningFactor, that.overprovisioningFactor) == 0
                && Double.compare(panicThresholdPercent, that.panicThresholdPercent) == 0
                && excludeUnlistedRegions == that.excludeUnlistedRegions && zoneAware == that.zoneAware
                && minClusterSize == that.minClusterSize && warningIsHealthy == that.warningIsHealthy
                && Double.compare(probeSharePercent, that.probeSharePercent) == 0
                && regionOrder.equals(that.regionOrder) && endpointStrategy == that.endpointStrategy;
    }

    @Override
    public int hashCode() {
        return Objects.hash(overprovisioningFactor, panicThresholdPercent, regionOrder, excludeUnlistedRegions,
                zoneAware, minClusterSize, endpointStrategy, warningIsHealthy, probeSharePercent);
    }

    @Override
    public String toString() {
        return "LoadBalancingPolicy{overprovisioningFactor=" + overprovisioningFactor
                + ", panicThresholdPercent=" + panicThresholdPercent + ", regionOrder=" + regionOrder
                + ", excludeUnlistedRegions=" + excludeUnlistedRegions + ", zoneAware=" + zoneAware
                + ", minClusterSize=" + minClusterSize + ", endpointStrategy=" + endpointStrategy
                + ", warningIsHealthy=" + warningIsHealthy + ", probeSharePercent=" + probeSharePercent + "}";
    }

    /** Builder for {@link LoadBalancingPolicy}; not thread-safe. Values are checked as they are set. */
    public static final class Builder {
        private double overprovisioningFactor = DEFAULT_OVERPROVISIONING_FACTOR;
        private double panicThresholdPercent = DEFAULT_PANIC_THRESHOLD_PERCENT;
        private List<String> regionOrder = new ArrayList<>();
        private boolean excludeUnlistedRegions;
        private boolean zoneAware = true;
        private int minClusterSize = DEFAULT_MIN_CLUSTER_SIZE;
        private EndpointStrategy endpointStrategy = DEFAULT_ENDPOINT_STRATEGY;
        private boolean warningIsHealthy = true;
        private double probeSharePercent = DEFAULT_PROBE_SHARE_PERCENT;

        private Builder() {
        }

        /**
         * @param factor multiplies a tier's healthy fraction to get its health; at least 1,
         *     default {@value #DEFAULT_OVERPROVISIONING_FACTOR}
         * @return this builder
         */
        public Builder overprovisioningFactor(double factor) {
            if (!(factor >= 1.0) || Double.isInfinite(factor)) {
                throw new InvalidConfigurationException("overprovisioningFactor", factor,
                        "must be a finite number of at least 1.0");
            }
            this.overprovisioningFactor = factor;
            return this;
        }

        /**
         * @param percent a tier with a smaller healthy fraction panics when the service is degraded;
         *     0 to 100, 0 disables panic, default {@value #DEFAULT_PANIC_THRESHOLD_PERCENT}
         * @return this builder
         */
        public Builder panicThresholdPercent(double percent) {
            this.panicThresholdPercent = Check.percent("panicThreshold", percent, 0.0, 100.0);
            return this;
        }

        /**
         * @param regions regions in failover order; names not blank and not repeated. The caller's
         *     own region may appear and is ignored (it is always tiers 0 and 1). Default: none.
         * @return this builder
         */
        public Builder regionOrder(List<String> regions) {
            Check.required("regionOrder", regions);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < regions.size(); i++) {
                String r = regions.get(i);
                if (r == null || r.isBlank()) {
                    throw new InvalidConfigurationException(Paths.key("regionOrder", i), r,
                            "must be a non-blank region name");
                }
                if (!seen.add(r)) {
                    throw new InvalidConfigurationException(Paths.key("regionOrder", i), r,
                            "repeats a region listed before it");
                }
            }
            this.regionOrder = new ArrayList<>(regions);
            return this;
        }

        /**
         * @param regions regions in failover order
         * @return this builder
         * @see #regionOrder(List)
         */
        public Builder regionOrder(String... regions) {
            return regionOrder(java.util.Arrays.asList(regions));
        }

        /**
         * @param exclude when true, regions missing from the region order never receive traffic;
         *     when false (default) each comes after the listed ones, in its own tier, by proximity
         * @return this builder
         */
        public Builder excludeUnlistedRegions(boolean exclude) {
            this.excludeUnlistedRegions = exclude;
            return this;
        }

        /**
         * @param enabled capacity-aware zone routing (Envoy's zone-aware routing); default true
         * @return this builder
         */
        public Builder zoneAware(boolean enabled) {
            this.zoneAware = enabled;
            return this;
        }

        /**
         * @param size endpoints the caller's own service needs in the registry before zone-aware
         *     routing applies; at least 1, default {@value #DEFAULT_MIN_CLUSTER_SIZE}
         * @return this builder
         */
        public Builder minClusterSize(int size) {
            this.minClusterSize = Check.atLeast("minClusterSize", size, 1);
            return this;
        }

        /**
         * @param strategy how to choose inside a locality; default {@link EndpointStrategy#LEAST_REQUEST}
         * @return this builder
         */
        public Builder endpointStrategy(EndpointStrategy strategy) {
            this.endpointStrategy = Check.required("endpointStrategy", strategy);
            return this;
        }

        /**
         * @param healthy whether registry {@code warning} counts as healthy; default true, as
         *     Consul's DNS interface does
         * @return this builder
         */
        public Builder warningIsHealthy(boolean healthy) {
            this.warningIsHealthy = healthy;
            return this;
        }

        /**
         * @param percent share of first attempts that endpoints and zones only being probed receive
         *     together while known-good capacity exists; above 0, at most 50, default
         *     {@value #DEFAULT_PROBE_SHARE_PERCENT}. Retries never go to them then.
         * @return this builder
         */
        public Builder probeSharePercent(double percent) {
            this.probeSharePercent = Check.abovePercent("probeShare", percent, 50.0);
            return this;
        }

        /** @return the policy */
        public LoadBalancingPolicy build() {
            return new LoadBalancingPolicy(this);
        }
    }
}
