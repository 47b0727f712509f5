package dev.meshless.internal;

import java.time.Duration;

/**
 * Durations as people write them in configuration: {@code 1s}, {@code 250ms}, {@code 1m},
 * {@code 0s}, {@code -2s}. Used in messages so that they quote values the way they were written.
 */
public final class Durations {

    private static final long[] SIZES = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L,
        1_000_000L, 1_000L, 1L};
    private static final String[] UNITS = {"d", "h", "m", "s", "ms", "us", "ns"};

    private Durations() {
    }

    /**
     * @param d a duration
     * @return its shortest exact form in d, h, m, s, ms, us or ns; ISO-8601 when too long for nanoseconds
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
