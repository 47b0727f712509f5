package dev.meshless.balancer;

import dev.meshless.config.Percent;
import dev.meshless.config.Spec;
import java.time.Duration;

/**
 * Slow start as configuration gives it ({@code meshless.defaults.slow-start} and
 * {@code meshless.services.<name>.slow-start}); every setting may be left out. Mapped onto
 * {@link SlowStartPolicy} by {@link #toPolicy()}; see {@code docs/resilience.md} ("Recovery").
 */
public class SlowStartSpec implements Spec {

    /** How long an endpoint that comes back (from ejection, an open zone breaker, unhealthy) or is newly added (a scale-up; it ramps inside its zone only) ramps up to its full weight; 0 turns slow start off. */
    private Duration window;

    /** How the weight grows over the window: 1 linearly, above 1 faster at first, below 1 slower at first. */
    private Double aggression;

    /** The share of its weight a returning or newly added endpoint starts with. */
    private Percent minWeightPercent;

    /** Creates a specification that sets nothing. */
    public SlowStartSpec() {
    }

    /** @return how long a returning or new endpoint ramps up; {@code null} when not set */
    public Duration getWindow() {
        return window;
    }

    /** @param window how long a returning or new endpoint ramps up; 0 turns slow start off */
    public void setWindow(Duration window) {
        this.window = window;
    }

    /** @return how the weight grows over the window; {@code null} when not set */
    public Double getAggression() {
        return aggression;
    }

    /** @param aggression how the weight grows over the window */
    public void setAggression(Double aggression) {
        this.aggression = aggression;
    }

    /** @return the share of its weight a returning or new endpoint starts with; {@code null} when not set */
    public Percent getMinWeightPercent() {
        return minWeightPercent;
    }

    /** @param minWeightPercent the share of its weight a returning or new endpoint starts with */
    public void setMinWeightPercent(Percent minWeightPercent) {
        this.minWeightPercent = minWeightPercent;
    }

    /** @return every setting at Meshless's default */
    public static SlowStartSpec builtIn() {
        SlowStartPolicy d = SlowStartPolicy.disabled();
        SlowStartSpec s = new SlowStartSpec();
        s.window = d.window();
        s.aggression = d.aggression();
        s.minWeightPercent = Percent.of(d.minWeightPercent());
        return s;
    }

    /**
     * @return the policy; settings left out keep their defaults
     * @throws dev.meshless.config.InvalidConfigurationException naming the setting, its value and the rule
     */
    public SlowStartPolicy toPolicy() {
        Duration w = window == null ? SlowStartPolicy.DEFAULT_WINDOW : window;
        double a = aggression == null ? SlowStartPolicy.DEFAULT_AGGRESSION : aggression;
        double m = minWeightPercent == null ? SlowStartPolicy.DEFAULT_MIN_WEIGHT_PERCENT : minWeightPercent.value();
        return SlowStartPolicy.of(w, a, m);
    }
}
