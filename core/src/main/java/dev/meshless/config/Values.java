package dev.meshless.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Configuration values as people write them: {@code 1s} rather than {@code PT1S}, {@code per-key}
 * rather than {@code PER_KEY}, a blank string or one with spaces around it in quotes so that they
 * show. Used in messages.
 */
public final class Values {

    private static final long[] SIZES = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L,
        1_000_000L, 1_000L, 1L};
    private static final String[] UNITS = {"d", "h", "m", "s", "ms", "us", "ns"};

    private Values() {
    }

    /**
     * @param value a configuration value, or {@code null}
     * @return how it is written in configuration; {@code (none)} for {@code null}
     */
    public static String describe(Object value) {
        if (value == null) {
            return "(none)";
        }
        if (value instanceof Duration d) {
            return format(d);
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        if (value instanceof CharSequence text && (text.toString().isBlank() || !text.toString().equals(
                text.toString().strip()))) {
            return "'" + text + "'"; // blank, or with spaces around it: quoted, or they would be invisible
        }
        return String.valueOf(value);
    }

    /**
     * @param d a duration
     * @return its shortest exact form in d, h, m, s, ms, us or ns ({@code 250ms}); ISO-8601 when
     *     too long for nanoseconds
     */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        long nanos;
        try {
            nanos = d.toNanos();
        } catch (ArithmeticException tooLong) {
            return d.toString();
        }
        String sign = nanos < 0 ? "-" : "";
        long abs = Math.abs(nanos);
        for (int i = 0; i < SIZES.length; i++) {
            if (abs % SIZES[i] == 0) {
                return sign + abs / SIZES[i] + UNITS[i];
            }
        }
        return d.toString();
    }
}
