package dev.meshless.config;

import java.time.Duration;

/**
 * The range checks builders run on each setting: on failure an {@link InvalidConfigurationException}
 * with the setting's path, the value as given and the rule. One wording per rule, so that every
 * setting says the same thing the same way.
 */
public final class Check {

    private Check() {
    }

    /**
     * @param path the setting's path
     * @param value the value
     * @param min the smallest allowed
     * @param max the largest allowed
     * @return the value
     */
    public static int between(String path, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidConfigurationException(path, value, "must be between " + min + " and " + max);
        }
        return value;
    }

    /**
     * @param path the setting's path
     * @param value the value
     * @param min the smallest allowed
     * @return the value
     */
    public static int atLeast(String path, int value, int min) {
        if (value < min) {
            throw new InvalidConfigurationException(path, value, "must be at least " + min);
        }
        return value;
    }

    /**
     * For durations, sizes and other values with an order; the bounds are written as in
     * configuration ({@code must be between 1s and 10m}, {@code must be between 1KB and 1GB}).
     *
     * @param path the setting's path
     * @param value the value; {@code null} breaks the rule
     * @param min the smallest allowed
     * @param max the largest allowed
     * @param <T> its type
     * @return the value
     */
    public static <T extends Comparable<? super T>> T between(String path, T value, T min, T max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new InvalidConfigurationException(path, value, "must be between " + Values.describe(min) + " and "
                    + Values.describe(max));
        }
        return value;
    }

    /**
     * @param path the setting's path
     * @param value the value
     * @param min the smallest allowed
     * @param max the largest allowed
     * @return the value
     */
    public static double between(String path, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new InvalidConfigurationException(path, value, "must be between " + plain(min) + " and "
                    + plain(max));
        }
        return value;
    }

    /**
     * @param path the setting's path
     * @param percent the value in percent
     * @param min the smallest allowed, in percent
     * @param max the largest allowed, in percent
     * @return the value
     */
    public static double percent(String path, double percent, double min, double max) {
        if (!(percent >= min && percent <= max)) {
            throw new InvalidConfigurationException(path, Percent.format(percent), "must be between "
                    + Percent.format(min) + " and " + Percent.format(max));
        }
        return percent;
    }

    /**
     * @param path the setting's path
     * @param percent the value in percent
     * @param max the largest allowed, in percent
     * @return the value, which must be above 0 %
     */
    public static double abovePercent(String path, double percent, double max) {
        if (!(percent > 0.0 && percent <= max)) {
            throw new InvalidConfigurationException(path, Percent.format(percent), "must be above 0% and at most "
                    + Percent.format(max));
        }
        return percent;
    }

    /**
     * @param path the setting's path
     * @param value the value
     * @return the value, which must be longer than zero
     */
    public static Duration positive(String path, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new InvalidConfigurationException(path, value, "must be positive");
        }
        return value;
    }

    /**
     * @param path the setting's path
     * @param value the value
     * @return the value, which must be zero or longer
     */
    public static Duration notNegative(String path, Duration value) {
        if (value == null || value.isNegative()) {
            throw new InvalidConfigurationException(path, value, "must be zero or positive");
        }
        return value;
    }

    /**
     * @param path the setting's path
     * @param value the value
     * @param min the shortest allowed
     * @return the value
     */
    public static Duration atLeast(String path, Duration value, Duration min) {
        if (value == null || value.compareTo(min) < 0) {
            throw new InvalidConfigurationException(path, value, "must be at least " + Values.format(min));
        }
        return value;
    }

    /**
     * @param path the setting's path
     * @param value the value
     * @param <T> its type
     * @return the value, which must be there
     */
    public static <T> T required(String path, T value) {
        if (value == null) {
            throw new InvalidConfigurationException(path, null, "must be set");
        }
        return value;
    }

    /**
     * @param path the setting's path
     * @param value the value
     * @return the value, which must have a non-blank character
     */
    public static String notBlank(String path, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidConfigurationException(path, value, "must not be blank");
        }
        return value;
    }

    private static String plain(double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
