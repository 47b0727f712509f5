package dev.meshless.spring.boot.shedding;

/**
 * How important a request is when the service is overloaded. Each priority may use a share of the
 * adaptive concurrency limit: a request is admitted only while the requests already in flight (of
 * every priority) are fewer than its share of the limit, rounded down and at least 1. Lower
 * priorities stop being admitted first, and what they leave is headroom for the higher ones.
 */
public enum Priority {

    /** Admitted up to the whole limit: shed last. For what the service exists to do (checkout, login). */
    CRITICAL(100),
    /** Admitted while in-flight requests are below 90 % of the limit. */
    HIGH(90),
    /** Admitted while in-flight requests are below 80 % of the limit. The default of every route. */
    NORMAL(80),
    /** Admitted while in-flight requests are below 50 % of the limit: shed first (reports, exports, batch). */
    LOW(50);

    private final int percent;

    Priority(int percent) {
        this.percent = percent;
    }

    /** @return the share of the limit that requests of this priority may fill, in percent */
    public int percent() {
        return percent;
    }

    /**
     * @param limit the current concurrency limit, at least 1
     * @return how many requests may be in flight when one of this priority is admitted: its share of
     *     the limit, rounded down, at least 1
     */
    public int threshold(int limit) {
        return Math.max(1, (int) ((long) limit * percent / 100));
    }

    /** @return the name as written in configuration and in the {@code priority} tag: lower case */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
