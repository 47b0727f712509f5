package dev.meshless.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the drill saw: every request's start, latency and result (from the load generator), and
 * the attempts per zone in every 100 ms slot (from Meshless's own request meter). Thread-safe.
 */
public final class Recorder {

    /** Slot length for attempt shares. */
    public static final int SLOT_MILLIS = 100;

    /**
     * One request.
     *
     * @param startMillis when it started, since the drill began
     * @param latencyMillis how long it took
     * @param error why it failed; {@code null} when it succeeded
     */
    public record Request(long startMillis, long latencyMillis, String error) {

        /** @return whether it succeeded */
        public boolean ok() {
            return error == null;
        }
    }

    private final List<Request> requests = new ArrayList<>();
    /** Slot index → zone → attempts. */
    private final Map<Integer, Map<String, Long>> attempts = new TreeMap<>();

    /** @param request a finished request */
    public synchronized void request(Request request) {
        requests.add(request);
    }

    /**
     * @param slot the 100 ms slot index
     * @param zone a zone
     * @param count attempts sent to it in that slot
     */
    public synchronized void attempts(int slot, String zone, long count) {
        if (count > 0) {
            attempts.computeIfAbsent(slot, s -> new TreeMap<>()).merge(zone, count, Long::sum);
        }
    }

    /** @return the requests so far */
    public synchronized List<Request> requests() {
        return new ArrayList<>(requests);
    }

    /**
     * @param slots attempts per zone per slot, as from {@link #attempts()}
     * @param fromMillis start of the window, since the drill began
     * @param toMillis its end, excluded
     * @return attempts per zone in the slots that start inside the window
     */
    static Map<String, Long> attemptsBetween(Map<Integer, Map<String, Long>> slots, long fromMillis, long toMillis) {
        Map<String, Long> sum = new TreeMap<>();
        slots.forEach((slot, zones) -> {
            long t = (long) slot * SLOT_MILLIS;
            if (t >= fromMillis && t < toMillis) {
                zones.forEach((zone, n) -> sum.merge(zone, n, Long::sum));
            }
        });
        return sum;
    }

    /** @return attempts per zone per slot so far */
    public synchronized Map<Integer, Map<String, Long>> attempts() {
        Map<Integer, Map<String, Long>> copy = new TreeMap<>();
        attempts.forEach((slot, zones) -> copy.put(slot, new TreeMap<>(zones)));
        return copy;
    }
}
