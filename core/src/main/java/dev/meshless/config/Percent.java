package dev.meshless.config;

import java.util.Locale;

/**
 * A share or rate in configuration, always in percent: {@code 50%} or {@code 50} both mean one
 * half. Every rate and share in Meshless's configuration uses this one unit (builders take the
 * number of percent as a {@code double}), so no setting needs its own conversion. Ranges are
 * checked by the setting that uses the value (a retry budget may exceed 100 %). Immutable.
 *
 * <p>The {@code valueOf} factories let binders that look for one (Spring's conversion service
 * among them) read {@code 50%}, {@code "50"} and YAML's {@code 50} without a registered converter.
 */
public final class Percent {

    private final double value;

    private Percent(double value) {
        this.value = value;
    }

    /**
     * @param percent a finite number of percent, 0 or more
     * @return the percentage
     * @throws IllegalArgumentException when negative or not finite
     */
    public static Percent of(double percent) {
        if (!(percent >= 0.0) || Double.isInfinite(percent)) {
            throw new IllegalArgumentException("must be a percentage of 0% or more, such as 50%, but was " + percent);
        }
        return new Percent(percent);
    }

    /**
     * @param text {@code 50%}, {@code 12.5%} or {@code 50}
     * @return the percentage
     * @throws IllegalArgumentException when the text is not a percentage of 0 or more
     */
    public static Percent valueOf(String text) {
        String t = text == null ? "" : text.trim();
        if (t.endsWith("%")) {
            t = t.substring(0, t.length() - 1).trim();
        }
        try {
            return of(Double.parseDouble(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a percentage such as 50%, but was '" + text + "'", e);
        }
    }

    /**
     * For binders that hand over YAML's numbers as they are ({@code panic-threshold: 50}).
     *
     * @param percent a whole number of percent
     * @return the percentage
     */
    public static Percent valueOf(Integer percent) {
        return of(percent);
    }

    /**
     * For binders that hand over YAML's numbers as they are ({@code panic-threshold: 12.5}).
     *
     * @param percent a number of percent
     * @return the percentage
     */
    public static Percent valueOf(Double percent) {
        return of(percent);
    }

    /** @return the number of percent, for example {@code 50.0} for one half */
    public double value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Percent other && Double.compare(other.value, value) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(value);
    }

    /** @return {@code 50%}, {@code 12.5%} */
    @Override
    public String toString() {
        return format(value);
    }

    /**
     * @param percent a number of percent
     * @return it written with a percent sign, without a needless {@code .0}: {@code 50%}, {@code 12.5%}
     */
    public static String format(double percent) {
        return (percent == Math.rint(percent) && !Double.isInfinite(percent)
                ? String.valueOf((long) percent) : String.format(Locale.ROOT, "%s", percent)) + "%";
    }
}
