package dev.meshless.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes as configuration writes it: {@code 16MB}, {@code 512KB}, {@code 100B} or a plain
 * number of bytes ({@code 1024}). The units are binary, as in Spring's {@code DataSize}, which reads
 * the same forms: {@code KB} is 1024 bytes, {@code MB} 1024 KB, and so on up to {@code TB}. Ranges are
 * checked by the setting that uses the value. Immutable.
 *
 * <p>The {@code valueOf} factories let binders that look for one (Spring's conversion service among
 * them) read {@code 4MB}, {@code "4096"} and YAML's {@code 4096} without a registered converter.
 */
public final class ByteSize implements Comparable<ByteSize> {

    private static final Pattern FORM = Pattern.compile("([+-]?\\d+)([a-zA-Z]{0,2})");
    private static final String[] UNITS = {"TB", "GB", "MB", "KB", "B"};
    private static final int[] SHIFTS = {40, 30, 20, 10, 0};

    private final long bytes;

    private ByteSize(long bytes) {
        this.bytes = bytes;
    }

    /**
     * @param bytes a number of bytes
     * @return the size
     */
    public static ByteSize ofBytes(long bytes) {
        return new ByteSize(bytes);
    }

    /**
     * @param text {@code 16MB}, {@code 512KB}, {@code 100B} or {@code 1024} (bytes); units in any case,
     *     blanks ignored
     * @return the size
     * @throws IllegalArgumentException when the text is not such a size
     */
    public static ByteSize valueOf(String text) {
        String t = text == null ? "" : text.replaceAll("\\s", "");
        Matcher m = FORM.matcher(t);
        if (m.matches()) {
            String unit = m.group(2).toUpperCase(Locale.ROOT);
            for (int i = 0; i < UNITS.length; i++) {
                if (UNITS[i].equals(unit.isEmpty() ? "B" : unit)) {
                    try {
                        return new ByteSize(Math.multiplyExact(Long.parseLong(m.group(1)), 1L << SHIFTS[i]));
                    } catch (ArithmeticException | NumberFormatException tooLarge) {
                        break;
                    }
                }
            }
        }
        throw new IllegalArgumentException("must be a size such as 16MB, 512KB or 100B, but was '" + text + "'");
    }

    /**
     * For binders that hand over YAML's numbers as they are ({@code max-response-bytes: 4096}).
     *
     * @param bytes a number of bytes
     * @return the size
     */
    public static ByteSize valueOf(Integer bytes) {
        return ofBytes(bytes);
    }

    /**
     * For binders that hand over YAML's numbers as they are.
     *
     * @param bytes a number of bytes
     * @return the size
     */
    public static ByteSize valueOf(Long bytes) {
        return ofBytes(bytes);
    }

    /** @return the number of bytes */
    public long toBytes() {
        return bytes;
    }

    @Override
    public int compareTo(ByteSize other) {
        return Long.compare(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteSize other && other.bytes == bytes;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bytes);
    }

    /** @return the size in the largest unit that holds it exactly: {@code 16MB}, {@code 1536KB}, {@code 100B} */
    @Override
    public String toString() {
        for (int i = 0; i < UNITS.length; i++) {
            if (bytes != 0 && bytes % (1L << SHIFTS[i]) == 0) {
                return (bytes >> SHIFTS[i]) + UNITS[i];
            }
        }
        return bytes + "B";
    }
}
