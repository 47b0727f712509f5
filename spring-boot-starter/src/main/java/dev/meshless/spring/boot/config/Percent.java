package dev.meshless.spring.boot.config;

import java.util.Locale;

/**
 * A percentage in configuration: {@code 50%} or {@code 50} (both mean one half), from 0 to 100.
 * Bound by {@link PercentConverter}. Immutable.
 */
public final class Percent {

    private final double value;

    private Percent(double value) {
        this.value = value;
    }

    /**
     * @param value 0 to 100
     * @return the percentage
     * @throws IllegalArgumentException outside 0 to 100
     */
    public static Percent of(double value) {
        if (!(value >= 0.0 && value <= 100.0)) {
            throw new IllegalArgumentException("must be a percentage between 0% and 100%, but was " + value);
        }
        return new Percent(value);
    }

    /**
     * @param text {@code 50%}, {@code 12.5%} or {@code 50}
     * @return the percentage
     * @throws IllegalArgumentException when the text is not a percentage between 0 and 100
     */
    public static Percent parse(String text) {
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

    /** @return the value, 0 to 100 */
    public double value() {
        return value;
    }

    /** @return the value as a fraction, 0 to 1 */
    public double fraction() {
        return value / 100.0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Percent && Double.compare(((Percent) o).value, value) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(value);
    }

    /** @return {@code 50%}, {@code 12.5%} */
    @Override
    public String toString() {
        return (value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%s", value))
                + "%";
    }
}
