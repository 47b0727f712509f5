package dev.meshless.balancer;

import dev.meshless.config.Check;
import dev.meshless.config.Values;
import java.time.Duration;
import java.util.Objects;

/**
 * Slow start, as Envoy's {@code slow_start_config}: a ramping endpoint counts with its weight times
 * {@code max(minWeightPercent / 100, (max(t, 1 ms) / window) ^ (1 / aggression))}, {@code t} being
 * the time since it started ramping, until the window ends. An endpoint that comes back into the plan
 * (from ejection, an open zone breaker or unhealthy registry health) ramps in its zone's and tier's
 * share and inside its zone, so a zone that heals takes its traffic back over the window instead of
 * all at once. An endpoint added to the service after the balancer's first plan (a scale-up) ramps
 * inside its zone only, from when it first enters the plan: its zone and tier count it in full, so a
 * scale-up moves no traffic between zones. Endpoints present from the start do not ramp. Off by
 * default (window 0), as in Envoy; {@code docs/resilience.md} ("Recovery") says when to turn it on.
 * Immutable.
 */
public final class SlowStartPolicy {

    /** Off: returning and new endpoints take their full share at once, as in Envoy unless configured. */
    public static final Duration DEFAULT_WINDOW = Duration.ZERO;
    /** Envoy's default: the weight grows linearly over the window. */
    public static final double DEFAULT_AGGRESSION = 1.0;
    /** Envoy's default: a ramping endpoint starts at 10 % of its weight. */
    public static final double DEFAULT_MIN_WEIGHT_PERCENT = 10.0;

    private static final SlowStartPolicy DISABLED = new SlowStartPolicy(DEFAULT_WINDOW, DEFAULT_AGGRESSION,
            DEFAULT_MIN_WEIGHT_PERCENT);

    private final Duration window;
    private final double aggression;
    private final double minWeightPercent;

    private SlowStartPolicy(Duration window, double aggression, double minWeightPercent) {
        this.window = window;
        this.aggression = aggression;
        this.minWeightPercent = minWeightPercent;
    }

    /**
     * @param window how long a returning or new endpoint ramps up, zero or more (zero turns slow start off)
     * @param aggression how the weight grows: 1 linearly, above 1 faster at first, below 1 slower; more than 0
     * @param minWeightPercent the share of its weight a ramping endpoint starts with, 0 to 100
     * @return the policy
     * @throws dev.meshless.config.InvalidConfigurationException naming the setting, its value and the rule
     */
    public static SlowStartPolicy of(Duration window, double aggression, double minWeightPercent) {
        Check.notNegative("window", window);
        if (!(aggression > 0.0) || Double.isInfinite(aggression)) {
            throw new dev.meshless.config.InvalidConfigurationException("aggression", aggression,
                    "must be a number above 0");
        }
        Check.percent("minWeightPercent", minWeightPercent, 0.0, 100.0);
        return new SlowStartPolicy(window, aggression, minWeightPercent);
    }

    /** @return slow start turned off (the default) */
    public static SlowStartPolicy disabled() {
        return DISABLED;
    }

    /** @return whether returning and new endpoints ramp up at all */
    public boolean enabled() {
        return !window.isZero();
    }

    /** @return how long a returning or new endpoint ramps up */
    public Duration window() {
        return window;
    }

    /** @return how the weight grows over the window */
    public double aggression() {
        return aggression;
    }

    /** @return the share of its weight a ramping endpoint starts with, in percent */
    public double minWeightPercent() {
        return minWeightPercent;
    }

    /**
     * @param sinceReturnNanos time since the endpoint started ramping (came back, or first entered the plan)
     * @return the factor its weight counts with now, in (0, 1]; 1 once the window has passed
     */
    public double factor(long sinceReturnNanos) {
        long windowNanos = window.toNanos();
        if (windowNanos == 0 || sinceReturnNanos >= windowNanos) {
            return 1.0;
        }
        double timeFactor = Math.max(sinceReturnNanos, 1_000_000L) / (double) windowNanos;
        double grown = aggression == 1.0 ? timeFactor : Math.pow(timeFactor, 1.0 / aggression);
        return Math.min(1.0, Math.max(grown, minWeightPercent / 100.0));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlowStartPolicy p && window.equals(p.window) && aggression == p.aggression
                && minWeightPercent == p.minWeightPercent;
    }

    @Override
    public int hashCode() {
        return Objects.hash(window, aggression, minWeightPercent);
    }

    @Override
    public String toString() {
        return enabled() ? "SlowStartPolicy{window " + Values.format(window) + ", aggression " + aggression
                + ", from " + minWeightPercent + "%}" : "SlowStartPolicy{off}";
    }
}
