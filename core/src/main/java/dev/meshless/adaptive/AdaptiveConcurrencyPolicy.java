package dev.meshless.adaptive;

import dev.meshless.config.Check;
import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Values;
import java.time.Duration;
import java.util.Objects;

/**
 * Adaptive concurrency for the calls this instance makes to one service, after Envoy's adaptive
 * concurrency filter: the number of calls in flight is capped by a limit that Netflix
 * concurrency-limits' algorithm ({@link Algorithm}) moves with the latency the service shows;
 * calls beyond it fail fast with {@link ConcurrencyLimitExceededException}, or wait at most
 * {@link #maxWait()} for a slot. Off by default, as Envoy's filter is only there when configured;
 * {@code docs/overload.md} says when to turn it on. Immutable.
 */
public final class AdaptiveConcurrencyPolicy {

    /** Off: Envoy's filter is opt-in too, and a limit that sheds calls is the service owner's choice. */
    public static final boolean DEFAULT_ENABLED = false;
    /** Netflix's Gradient2: averages rather than one minimum latency, and the closest to Envoy's gradient controller. */
    public static final Algorithm DEFAULT_ALGORITHM = Algorithm.GRADIENT2;
    /** Both Netflix algorithms start at 20. */
    public static final int DEFAULT_INITIAL_LIMIT = 20;
    /** Envoy's {@code min_concurrency}: a floor that keeps a slow service reachable. */
    public static final int DEFAULT_MIN_LIMIT = 3;
    /** Netflix Gradient2's {@code maxConcurrency}. */
    public static final int DEFAULT_MAX_LIMIT = 200;
    /** Fail fast: a call beyond the limit does not wait. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ZERO;
    /** The longest wait allowed: a wait is a queue, and queues of minutes hide overload. */
    public static final Duration MAX_MAX_WAIT = Duration.ofMinutes(1);

    private static final AdaptiveConcurrencyPolicy DISABLED = builder().build();

    /** Which algorithm moves the limit: one of Netflix concurrency-limits', or Envoy's on Netflix's contract. */
    public enum Algorithm {
        /**
         * {@code Gradient2Limit}: compares each latency with a long-term average and shrinks the
         * limit by their ratio (at most by half per sample, smoothed), growing it by a small queue
         * while latency stays flat. Loss (timeouts, 5xx) counts through its latency only.
         */
        GRADIENT2,
        /**
         * {@code VegasLimit}: compares latency with the lowest seen (probed again from time to time)
         * to estimate the queue, growing when it is short and shrinking when it is long; a dropped
         * call (timeout, 5xx, overload) shrinks the limit at once.
         */
        VEGAS,
        /**
         * Envoy's gradient controller, on Netflix's {@code Limit} contract: compares the median latency of
         * each 100 ms window with a min RTT that it measures from time to time by holding the limit
         * at the min limit, so a lasting queue keeps the limit down; a dropped call counts as a slow one.
         */
        ENVOY_GRADIENT
    }

    private final boolean enabled;
    private final Algorithm algorithm;
    private final int initialLimit;
    private final int minLimit;
    private final int maxLimit;
    private final Duration maxWait;

    private AdaptiveConcurrencyPolicy(Builder b) {
        this.enabled = b.enabled;
        this.algorithm = b.algorithm;
        this.initialLimit = b.initialLimit;
        this.minLimit = b.minLimit;
        this.maxLimit = b.maxLimit;
        this.maxWait = b.maxWait;
    }

    /** @return adaptive concurrency turned off (the default) */
    public static AdaptiveConcurrencyPolicy disabled() {
        return DISABLED;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return whether calls are limited at all */
    public boolean enabled() {
        return enabled;
    }

    /** @return the algorithm that moves the limit */
    public Algorithm algorithm() {
        return algorithm;
    }

    /** @return the limit before any latency is seen */
    public int initialLimit() {
        return initialLimit;
    }

    /** @return the lowest the limit goes */
    public int minLimit() {
        return minLimit;
    }

    /** @return the highest the limit goes */
    public int maxLimit() {
        return maxLimit;
    }

    /** @return how long a synchronous call beyond the limit waits for a slot; zero fails it at once */
    public Duration maxWait() {
        return maxWait;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdaptiveConcurrencyPolicy p && enabled == p.enabled && algorithm == p.algorithm
                && initialLimit == p.initialLimit && minLimit == p.minLimit && maxLimit == p.maxLimit
                && maxWait.equals(p.maxWait);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, algorithm, initialLimit, minLimit, maxLimit, maxWait);
    }

    @Override
    public String toString() {
        return enabled ? "AdaptiveConcurrencyPolicy{" + algorithm + ", initial " + initialLimit + ", " + minLimit
                + ".." + maxLimit + ", max wait " + Values.format(maxWait) + "}" : "AdaptiveConcurrencyPolicy{off}";
    }

    /** Builder for {@link AdaptiveConcurrencyPolicy}; checks each value as it is set. Not thread-safe. */
    public static final class Builder {
        private boolean enabled = DEFAULT_ENABLED;
        private Algorithm algorithm = DEFAULT_ALGORITHM;
        private int initialLimit = DEFAULT_INITIAL_LIMIT;
        private int minLimit = DEFAULT_MIN_LIMIT;
        private int maxLimit = DEFAULT_MAX_LIMIT;
        private Duration maxWait = DEFAULT_MAX_WAIT;
        private boolean initialSet;
        private boolean minSet;

        private Builder() {
        }

        /**
         * @param enabled whether calls are limited
         * @return this builder
         */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * @param algorithm the algorithm that moves the limit
         * @return this builder
         */
        public Builder algorithm(Algorithm algorithm) {
            this.algorithm = Check.required("algorithm", algorithm);
            return this;
        }

        /**
         * @param initialLimit the limit before any latency is seen, 1 or more
         * @return this builder
         */
        public Builder initialLimit(int initialLimit) {
            this.initialLimit = Check.atLeast("initialLimit", initialLimit, 1);
            this.initialSet = true;
            return this;
        }

        /**
         * @param minLimit the lowest the limit goes, 1 or more
         * @return this builder
         */
        public Builder minLimit(int minLimit) {
            this.minLimit = Check.atLeast("minLimit", minLimit, 1);
            this.minSet = true;
            return this;
        }

        /**
         * @param maxLimit the highest the limit goes, 1 or more
         * @return this builder
         */
        public Builder maxLimit(int maxLimit) {
            this.maxLimit = Check.atLeast("maxLimit", maxLimit, 1);
            return this;
        }

        /**
         * @param maxWait how long a call beyond the limit waits for a slot (a synchronous call parks
         *     its thread, an asynchronous one waits without one), 0 (fail at once) to 1 minute
         * @return this builder
         */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = Check.between("maxWait", maxWait, Duration.ZERO, MAX_MAX_WAIT);
            return this;
        }

        /**
         * A limit left out follows those that were set: the min limit is at most the max limit, and
         * the initial limit lies between them.
         *
         * @return the policy
         * @throws InvalidConfigurationException when the limits set are out of order
         *     ({@code minLimit <= initialLimit <= maxLimit}); names the one that breaks it
         */
        public AdaptiveConcurrencyPolicy build() {
            if (!minSet) {
                minLimit = Math.min(DEFAULT_MIN_LIMIT, maxLimit);
            }
            if (minLimit > maxLimit) {
                throw new InvalidConfigurationException("minLimit", minLimit, "must be at most the max limit ("
                        + maxLimit + ")");
            }
            if (!initialSet) {
                initialLimit = Math.max(minLimit, Math.min(DEFAULT_INITIAL_LIMIT, maxLimit));
            }
            if (initialLimit < minLimit || initialLimit > maxLimit) {
                throw new InvalidConfigurationException("initialLimit", initialLimit, "must be between the min limit ("
                        + minLimit + ") and the max limit (" + maxLimit + ")");
            }
            return new AdaptiveConcurrencyPolicy(this);
        }
    }
}
