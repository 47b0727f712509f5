package dev.meshless.spring.boot.shedding;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.WindowedLimit;
import com.netflix.concurrency.limits.limiter.AbstractLimiter;
import dev.meshless.adaptive.AdaptiveConcurrencyLimiter;
import dev.meshless.adaptive.AdaptiveConcurrencyPolicy;
import dev.meshless.config.Check;
import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.time.TimeSource;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adaptive limit on this service's own concurrent requests, and the decision to admit or shed
 * each one by its {@link Priority}. The limit comes from core's {@link AdaptiveConcurrencyLimiter#algorithm}
 * on the same settings as the outbound limit, kept between a minimum and a maximum: Netflix
 * concurrency-limits' {@code Gradient2Limit} or {@code VegasLimit}, fed by a {@link WindowedLimit} that
 * averages the latency of at least 10 requests over windows of one second; or Envoy's gradient
 * controller, fed each sample as it comes, since it keeps windows (and its min RTT measurement) of its own.
 * Every admitted request holds a {@link Permit} that must be released exactly once, whatever the
 * outcome; its latency, from admission to release on the shedder's {@link TimeSource}, is the sample
 * the limit learns from.
 *
 * <p>In shadow mode nothing is shed: a request that would have been is counted and logged (DEBUG),
 * then admitted, and it takes its place among the requests in flight as any other.
 *
 * <p>Thread-safe: {@link #acquire} and the permits are called from request threads and event loops.
 */
public final class LoadShedder {

    private static final Logger log = LoggerFactory.getLogger(LoadShedder.class);

    /** The algorithms that adapt the limit. */
    public enum Algorithm {
        /**
         * Netflix's Gradient2: compares a short-term with a long-term average latency and shrinks the
         * limit by their ratio when requests queue up; tolerates latency that varies from request to request.
         */
        GRADIENT2,
        /** TCP Vegas: estimates the queue from the minimum latency seen and keeps it small. */
        VEGAS,
        /**
         * Envoy's adaptive concurrency gradient controller (core's {@code EnvoyGradientLimit}): compares
         * the median latency of each window of at least 100 ms with a min RTT that it measures every
         * 30 s (plus up to 15 %) over 50 requests, so a lasting queue keeps the limit down. While it
         * measures, the limit is the minimum: requests beyond the minimum's shares are shed then, as
         * Envoy's filter answers 503 beyond its {@code min_concurrency}. In shadow mode nothing holds the
         * measurement at the minimum, so it measures the latency at full load and the limit reads higher
         * than it would be when shedding.
         */
        ENVOY_GRADIENT
    }

    /** Told about each request that is shed, or would be in shadow mode. Must be quick and not throw. */
    @FunctionalInterface
    public interface ShedListener {
        /** Does nothing. */
        ShedListener NONE = (priority, shadow) -> { };

        /**
         * @param priority the request's priority
         * @param shadow whether it was admitted all the same (shadow mode)
         */
        void shed(Priority priority, boolean shadow);
    }

    private final PriorityLimiter limiter;
    private final Algorithm algorithm;
    private final int minLimit;
    private final int maxLimit;
    private final boolean shadow;
    private final ShedListener listener;
    /** Requests shed (or that would have been, in shadow mode) by {@link Priority#ordinal()}. */
    private final LongAdder[] shed = new LongAdder[Priority.values().length];

    private LoadShedder(Builder builder) {
        this.shadow = builder.shadow;
        this.algorithm = builder.algorithm;
        this.minLimit = builder.minLimit;
        this.maxLimit = builder.maxLimit;
        Arrays.setAll(shed, p -> new LongAdder());
        this.listener = builder.listener;
        Limit adaptive = AdaptiveConcurrencyLimiter.algorithm(builder.settings());
        // Envoy's controller windows its samples itself and must see each one: its min RTT is the
        // median of 50 requests, and a window of Netflix's would hand it averages instead.
        Limit fed = algorithm == Algorithm.ENVOY_GRADIENT ? adaptive : WindowedLimit.newBuilder().build(adaptive);
        this.limiter = new PriorityLimiter(new PriorityLimiter.Builder()
                .named("meshless-server").nanoClock(builder.time::nanoTime)
                .limit(fed), builder.minLimit, builder.maxLimit);
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Admits a request or sheds it.
     *
     * @param priority the request's priority
     * @return the permit the request holds until it completes, or {@code null} when it is shed (never
     *     in shadow mode)
     */
    public Permit acquire(Priority priority) {
        Optional<Limiter.Listener> admitted = limiter.acquire(priority);
        if (admitted.isPresent()) {
            return new Permit(admitted.get());
        }
        shed[priority.ordinal()].increment();
        listener.shed(priority, shadow);
        if (log.isDebugEnabled()) {
            log.debug("Load shedding{}: a {} request {} with {} requests in flight and a limit of {}",
                    shadow ? " (shadow)" : "", priority.tag(), shadow ? "would have been shed" : "was shed",
                    limiter.getInflight(), limiter.getLimit());
        }
        return shadow ? new Permit(limiter.force(priority)) : null;
    }

    /** @return the current concurrency limit */
    public int limit() {
        return limiter.getLimit();
    }

    /** @return the requests holding a permit now */
    public int inFlight() {
        return limiter.getInflight();
    }

    /** @return the lowest the limit goes */
    public int minLimit() {
        return minLimit;
    }

    /** @return the highest the limit goes */
    public int maxLimit() {
        return maxLimit;
    }

    /**
     * @param priority a priority
     * @return the requests of that priority shed since the shedder was made; in shadow mode, those that
     *     would have been
     */
    public long shed(Priority priority) {
        return shed[priority.ordinal()].sum();
    }

    /** @return how the limit adapts */
    public Algorithm algorithm() {
        return algorithm;
    }

    /** @return whether requests are only counted, never shed */
    public boolean isShadow() {
        return shadow;
    }

    /**
     * What an admitted request holds. Release it once when the request completes; later calls do
     * nothing, so a request that ends in several ways (an error, then a completion) releases once.
     * Thread-safe.
     */
    public static final class Permit {
        private final Limiter.Listener listener;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(Limiter.Listener listener) {
            this.listener = listener;
        }

        /** The request was answered: its latency is a sample for the limit. */
        public void success() {
            if (released.compareAndSet(false, true)) {
                listener.onSuccess();
            }
        }

        /** The request failed before its latency meant anything (an exception, a cancellation): no sample. */
        public void ignore() {
            if (released.compareAndSet(false, true)) {
                listener.onIgnore();
            }
        }

        /** The request timed out: a sign of overload, which shrinks the limit. */
        public void dropped() {
            if (released.compareAndSet(false, true)) {
                listener.onDropped();
            }
        }
    }

    /** Builds a {@link LoadShedder}; checks its values in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        /** The default algorithm. */
        public static final Algorithm DEFAULT_ALGORITHM = Algorithm.GRADIENT2;
        /** The default limit at start-up. */
        public static final int DEFAULT_INITIAL_LIMIT = 20;
        /** The default lowest limit. */
        public static final int DEFAULT_MIN_LIMIT = 10;
        /** The default highest limit: Tomcat's default thread count. */
        public static final int DEFAULT_MAX_LIMIT = 200;

        private Algorithm algorithm = DEFAULT_ALGORITHM;
        private int initialLimit = DEFAULT_INITIAL_LIMIT;
        private int minLimit = DEFAULT_MIN_LIMIT;
        private int maxLimit = DEFAULT_MAX_LIMIT;
        private boolean shadow;
        private TimeSource time = TimeSource.system();
        private ShedListener listener = ShedListener.NONE;

        private Builder() {
        }

        /**
         * @param algorithm how the limit adapts
         * @return this builder
         */
        public Builder algorithm(Algorithm algorithm) {
            this.algorithm = Check.required("algorithm", algorithm);
            return this;
        }

        /**
         * @param initialLimit the limit at start-up, between the minimum and the maximum
         * @return this builder
         */
        public Builder initialLimit(int initialLimit) {
            this.initialLimit = initialLimit;
            return this;
        }

        /**
         * @param minLimit the lowest the limit goes, at least 1
         * @return this builder
         */
        public Builder minLimit(int minLimit) {
            this.minLimit = minLimit;
            return this;
        }

        /**
         * @param maxLimit the highest the limit goes, at least the minimum
         * @return this builder
         */
        public Builder maxLimit(int maxLimit) {
            this.maxLimit = maxLimit;
            return this;
        }

        /**
         * @param shadow whether requests are only counted and logged, never shed
         * @return this builder
         */
        public Builder shadow(boolean shadow) {
            this.shadow = shadow;
            return this;
        }

        /**
         * @param time where request latencies are measured (a fake in tests)
         * @return this builder
         */
        public Builder time(TimeSource time) {
            this.time = Objects.requireNonNull(time, "time");
            return this;
        }

        /**
         * @param listener told about every request shed (metrics)
         * @return this builder
         */
        public Builder onShed(ShedListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @return the load shedder
         * @throws InvalidConfigurationException naming {@code minLimit}, {@code maxLimit} or
         *     {@code initialLimit} when a limit is below 1 or they are out of order
         */
        public LoadShedder build() {
            settings(); // the same rules as the outbound limit's: each at least 1, min <= initial <= max
            return new LoadShedder(this);
        }

        /** The limits as core's adaptive-concurrency settings, which check them and build the algorithm. */
        private AdaptiveConcurrencyPolicy settings() {
            return AdaptiveConcurrencyPolicy.builder().enabled(true)
                    .algorithm(switch (algorithm) {
                        case GRADIENT2 -> AdaptiveConcurrencyPolicy.Algorithm.GRADIENT2;
                        case VEGAS -> AdaptiveConcurrencyPolicy.Algorithm.VEGAS;
                        case ENVOY_GRADIENT -> AdaptiveConcurrencyPolicy.Algorithm.ENVOY_GRADIENT;
                    })
                    .initialLimit(initialLimit).minLimit(minLimit).maxLimit(maxLimit).build();
        }
    }

    /**
     * Netflix's limiter contract with one threshold per priority over one count of requests in flight:
     * a request is admitted while that count is below its priority's share of the limit, checked and
     * taken in one step. The algorithm's limit is kept between the minimum and the maximum (Vegas has
     * no minimum of its own).
     */
    private static final class PriorityLimiter extends AbstractLimiter<Priority> {

        private final AtomicInteger busy = new AtomicInteger();
        private final int minLimit;
        private final int maxLimit;
        /** The limit in force; written by the algorithm's change notification. */
        private volatile int bounded;

        PriorityLimiter(Builder builder, int minLimit, int maxLimit) {
            super(builder);
            this.minLimit = minLimit;
            this.maxLimit = maxLimit;
            this.bounded = bound(super.getLimit());
        }

        @Override
        public Optional<Listener> acquire(Priority priority) {
            int threshold = priority.threshold(bounded);
            int current = busy.get();
            while (current < threshold) {
                if (busy.compareAndSet(current, current + 1)) {
                    return Optional.of(releasing(createListener()));
                }
                current = busy.get();
            }
            return createRejectedListener();
        }

        /** Admits a request past its threshold (shadow mode). */
        Listener force(Priority priority) {
            busy.incrementAndGet();
            return releasing(createListener());
        }

        private Listener releasing(Listener sample) {
            return new Listener() {
                @Override
                public void onSuccess() {
                    busy.decrementAndGet();
                    sample.onSuccess();
                }

                @Override
                public void onIgnore() {
                    busy.decrementAndGet();
                    sample.onIgnore();
                }

                @Override
                public void onDropped() {
                    busy.decrementAndGet();
                    sample.onDropped();
                }
            };
        }

        @Override
        protected void onNewLimit(int newLimit) {
            super.onNewLimit(newLimit);
            bounded = bound(newLimit);
        }

        @Override
        public int getLimit() {
            return bounded;
        }

        private int bound(int limit) {
            return Math.max(minLimit, Math.min(maxLimit, limit));
        }

        /** The builder of {@link AbstractLimiter}, which has no public concrete one of its own. */
        static final class Builder extends AbstractLimiter.Builder<Builder> {
            @Override
            protected Builder self() {
                return this;
            }
        }
    }
}
