package dev.meshless.balancer;

import dev.meshless.config.Percent;
import dev.meshless.config.Spec;
import dev.meshless.config.Specs;
import java.util.List;

/**
 * How a service's traffic is split over localities and endpoints, as configuration gives it: every
 * setting nullable (not set), mapped onto LoadBalancingPolicy by toPolicy(). The maths behind each
 * setting is in docs/load-balancing.md.
 */
public class LoadBalancingSpec implements Spec {

    /**
     * A tier keeps all its traffic while its healthy fraction times this factor is at least 1; at
     * least 1.
     */
    private Double overprovisioningFactor;

    /**
     * Below this healthy fraction a tier in a degraded service spreads its traffic over all its
     * endpoints; 0% disables panic.
     */
    private Percent panicThreshold;

    /**
     * Regions in failover order after this instance's own region; unlisted regions come after them,
     * each its own tier, nearest first.
     */
    private List<String> regionOrder;

    /** Whether regions missing from region-order never receive traffic. */
    private Boolean excludeUnlistedRegions;

    /** Capacity-aware zone routing (needs this instance's service in the registry). */
    private Boolean zoneAware;

    /** Instances of this service needed before capacity-aware routing applies; at least 1. */
    private Integer minClusterSize;

    /** How an endpoint is chosen inside a zone: least-request, weighted-round-robin or random. */
    private EndpointStrategy endpointStrategy;

    /** Whether endpoints whose registry health is warning receive traffic. */
    private Boolean warningIsHealthy;

    /**
     * Share of first attempts that endpoints and zones only being probed (ejection just expired,
     * zone breaker half-open) receive together while known-good capacity exists; above 0%, at most
     * 50%. Retries and last attempts never go to them then.
     */
    private Percent probeShare;

    /** Creates a specification that sets nothing. */
    public LoadBalancingSpec() {
    }

    /** @return a tier keeps all its traffic while its healthy fraction times this factor is at least 1; at least 1; {@code null} when not set */
    public Double getOverprovisioningFactor() {
        return overprovisioningFactor;
    }

    /** @param overprovisioningFactor a tier keeps all its traffic while its healthy fraction times this factor is at least 1; at least 1 */
    public void setOverprovisioningFactor(Double overprovisioningFactor) {
        this.overprovisioningFactor = overprovisioningFactor;
    }

    /** @return below this healthy fraction a tier in a degraded service spreads its traffic over all its endpoints; 0% disables panic; {@code null} when not set */
    public Percent getPanicThreshold() {
        return panicThreshold;
    }

    /** @param panicThreshold below this healthy fraction a tier in a degraded service spreads its traffic over all its endpoints; 0% disables panic */
    public void setPanicThreshold(Percent panicThreshold) {
        this.panicThreshold = panicThreshold;
    }

    /** @return regions in failover order after this instance's own region; unlisted regions come after them, each its own tier, nearest first; {@code null} when not set */
    public List<String> getRegionOrder() {
        return regionOrder;
    }

    /** @param regionOrder regions in failover order after this instance's own region; unlisted regions come after them, each its own tier, nearest first */
    public void setRegionOrder(List<String> regionOrder) {
        this.regionOrder = regionOrder;
    }

    /** @return whether regions missing from region-order never receive traffic; {@code null} when not set */
    public Boolean getExcludeUnlistedRegions() {
        return excludeUnlistedRegions;
    }

    /** @param excludeUnlistedRegions whether regions missing from region-order never receive traffic */
    public void setExcludeUnlistedRegions(Boolean excludeUnlistedRegions) {
        this.excludeUnlistedRegions = excludeUnlistedRegions;
    }

    /** @return capacity-aware zone routing (needs this instance's service in the registry); {@code null} when not set */
    public Boolean getZoneAware() {
        return zoneAware;
    }

    /** @param zoneAware capacity-aware zone routing (needs this instance's service in the registry) */
    public void setZoneAware(Boolean zoneAware) {
        this.zoneAware = zoneAware;
    }

    /** @return instances of this service needed before capacity-aware routing applies; at least 1; {@code null} when not set */
    public Integer getMinClusterSize() {
        return minClusterSize;
    }

    /** @param minClusterSize instances of this service needed before capacity-aware routing applies; at least 1 */
    public void setMinClusterSize(Integer minClusterSize) {
        this.minClusterSize = minClusterSize;
    }

    /** @return how an endpoint is chosen inside a zone: least-request, weighted-round-robin or random; {@code null} when not set */
    public EndpointStrategy getEndpointStrategy() {
        return endpointStrategy;
    }

    /** @param endpointStrategy how an endpoint is chosen inside a zone: least-request, weighted-round-robin or random */
    public void setEndpointStrategy(EndpointStrategy endpointStrategy) {
        this.endpointStrategy = endpointStrategy;
    }

    /** @return whether endpoints whose registry health is warning receive traffic; {@code null} when not set */
    public Boolean getWarningIsHealthy() {
        return warningIsHealthy;
    }

    /** @param warningIsHealthy whether endpoints whose registry health is warning receive traffic */
    public void setWarningIsHealthy(Boolean warningIsHealthy) {
        this.warningIsHealthy = warningIsHealthy;
    }

    /** @return share of first attempts that endpoints and zones only being probed (ejection just expired, zone breaker half-open) receive together while known-good capacity exists; above 0%, at most 50%. Retries and last attempts never go to them then; {@code null} when not set */
    public Percent getProbeShare() {
        return probeShare;
    }

    /** @param probeShare share of first attempts that endpoints and zones only being probed (ejection just expired, zone breaker half-open) receive together while known-good capacity exists; above 0%, at most 50%. Retries and last attempts never go to them then */
    public void setProbeShare(Percent probeShare) {
        this.probeShare = probeShare;
    }

    /**
     * @return every setting at Meshless's default
     */
    public static LoadBalancingSpec builtIn() {
        LoadBalancingPolicy d = LoadBalancingPolicy.defaults();
        LoadBalancingSpec s = new LoadBalancingSpec();
        s.overprovisioningFactor = d.overprovisioningFactor();
        s.panicThreshold = Percent.of(d.panicThresholdPercent());
        s.regionOrder = d.regionOrder();
        s.excludeUnlistedRegions = d.excludeUnlistedRegions();
        s.zoneAware = d.zoneAware();
        s.minClusterSize = d.minClusterSize();
        s.endpointStrategy = d.endpointStrategy();
        s.warningIsHealthy = d.warningIsHealthy();
        s.probeShare = Percent.of(d.probeSharePercent());
        return s;
    }

    /**
     * The one mapping of this specification onto {@link LoadBalancingPolicy.Builder}: settings left
     * out keep the builder's defaults.
     *
     * @return the policy
     * @throws dev.meshless.config.InvalidConfigurationException naming the setting, its value and the rule
     */
    public LoadBalancingPolicy toPolicy() {
        LoadBalancingPolicy.Builder b = LoadBalancingPolicy.builder();
        Specs.apply(overprovisioningFactor, b::overprovisioningFactor);
        Specs.apply(panicThreshold, p -> b.panicThresholdPercent(p.value()));
        Specs.apply(regionOrder, b::regionOrder);
        Specs.apply(excludeUnlistedRegions, b::excludeUnlistedRegions);
        Specs.apply(zoneAware, b::zoneAware);
        Specs.apply(minClusterSize, b::minClusterSize);
        Specs.apply(endpointStrategy, b::endpointStrategy);
        Specs.apply(warningIsHealthy, b::warningIsHealthy);
        Specs.apply(probeShare, p -> b.probeSharePercent(p.value()));
        return b.build();
    }
}
