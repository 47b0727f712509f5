package dev.meshless.adaptive;

import dev.meshless.config.Spec;
import dev.meshless.config.Specs;
import java.time.Duration;

/**
 * Adaptive concurrency as configuration gives it ({@code meshless.defaults.adaptive-concurrency} and
 * {@code meshless.services.<name>.adaptive-concurrency}); every setting may be left out. Mapped onto
 * {@link AdaptiveConcurrencyPolicy} by {@link #toPolicy()}; see {@code docs/overload.md}.
 */
public class AdaptiveConcurrencySpec implements Spec {

    /** Whether calls to the service are capped by an adaptive concurrency limit; off unless turned on, as Envoy's adaptive concurrency filter. */
    private Boolean enabled;

    /** The algorithm that moves the limit with latency: gradient2 or vegas (Netflix concurrency-limits), or envoy-gradient (Envoy's gradient controller against a measured min RTT). */
    private AdaptiveConcurrencyPolicy.Algorithm algorithm;

    /** The limit before any latency has been seen; between the min and the max limit. */
    private Integer initialLimit;

    /** The lowest the limit goes, however slow the service becomes; at least 1. */
    private Integer minLimit;

    /** The highest the limit goes, however fast the service is; at least the min limit. */
    private Integer maxLimit;

    /** How long a call beyond the limit waits for a slot before it is refused, in line with the other waiting calls (oldest first); a blocking call parks its thread, an asynchronous one (WebClient) waits without one. 0 refuses it at once. At most 1m. */
    private Duration maxWait;

    /** Creates a specification that sets nothing. */
    public AdaptiveConcurrencySpec() {
    }

    /** @return whether calls are capped; {@code null} when not set */
    public Boolean getEnabled() {
        return enabled;
    }

    /** @param enabled whether calls are capped */
    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the algorithm; {@code null} when not set */
    public AdaptiveConcurrencyPolicy.Algorithm getAlgorithm() {
        return algorithm;
    }

    /** @param algorithm the algorithm that moves the limit */
    public void setAlgorithm(AdaptiveConcurrencyPolicy.Algorithm algorithm) {
        this.algorithm = algorithm;
    }

    /** @return the initial limit; {@code null} when not set */
    public Integer getInitialLimit() {
        return initialLimit;
    }

    /** @param initialLimit the limit before any latency has been seen */
    public void setInitialLimit(Integer initialLimit) {
        this.initialLimit = initialLimit;
    }

    /** @return the lowest limit; {@code null} when not set */
    public Integer getMinLimit() {
        return minLimit;
    }

    /** @param minLimit the lowest the limit goes */
    public void setMinLimit(Integer minLimit) {
        this.minLimit = minLimit;
    }

    /** @return the highest limit; {@code null} when not set */
    public Integer getMaxLimit() {
        return maxLimit;
    }

    /** @param maxLimit the highest the limit goes */
    public void setMaxLimit(Integer maxLimit) {
        this.maxLimit = maxLimit;
    }

    /** @return the longest wait for a slot; {@code null} when not set */
    public Duration getMaxWait() {
        return maxWait;
    }

    /** @param maxWait how long a call beyond the limit waits for a slot, blocking or not */
    public void setMaxWait(Duration maxWait) {
        this.maxWait = maxWait;
    }

    /** @return every setting at Meshless's default */
    public static AdaptiveConcurrencySpec builtIn() {
        AdaptiveConcurrencyPolicy d = AdaptiveConcurrencyPolicy.disabled();
        AdaptiveConcurrencySpec s = new AdaptiveConcurrencySpec();
        s.enabled = d.enabled();
        s.algorithm = d.algorithm();
        s.initialLimit = d.initialLimit();
        s.minLimit = d.minLimit();
        s.maxLimit = d.maxLimit();
        s.maxWait = d.maxWait();
        return s;
    }

    /**
     * @return the policy; settings left out keep their defaults
     * @throws dev.meshless.config.InvalidConfigurationException naming the setting, its value and the rule
     */
    public AdaptiveConcurrencyPolicy toPolicy() {
        AdaptiveConcurrencyPolicy.Builder b = AdaptiveConcurrencyPolicy.builder();
        Specs.apply(enabled, b::enabled);
        Specs.apply(algorithm, b::algorithm);
        Specs.apply(initialLimit, b::initialLimit);
        Specs.apply(minLimit, b::minLimit);
        Specs.apply(maxLimit, b::maxLimit);
        Specs.apply(maxWait, b::maxWait);
        return b.build();
    }
}
