package dev.meshless.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the drill saw: every request's start, latency and result (from the load generator), the
 * attempts per zone in every 100 ms slot (from Meshless's own request meter) for the first service
 * and for each, the calls each upstream instance received per slot (from the instances themselves),
 * and sampled values per slot (requests in flight, the caller's concurrency meters). Thread-safe.
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
     * @param failures each upstream service whose call failed, with why ({@code error} is the first of
     *     them); empty when the request did not get to call them (not sent) or succeeded
     */
    public record Request(long startMillis, long latencyMillis, String error, Map<String, String> failures) {

        /** Copies the failures. */
        public Request {
            failures = failures == null ? Map.of() : Map.copyOf(failures);
        }

        /** A request without failures per service. */
        public Request(long startMillis, long latencyMillis, String error) {
            this(startMillis, latencyMillis, error, Map.of());
        }

        /** @return whether it succeeded */
        public boolean ok() {
            return error == null;
        }
    }

    private final List<Request> requests = new ArrayList<>();
    /** Slot index → zone → attempts. */
    private final Map<Integer, Map<String, Long>> attempts = new TreeMap<>();
    /** Service → slot index → zone → attempts. */
    private final Map<String, Map<Integer, Map<String, Long>>> serviceAttempts = new TreeMap<>();
    /** Service → each attempt's start (microseconds since the drill began) and zone, in filing order. */
    private final Map<String, List<TimedAttempt>> timedAttempts = new TreeMap<>();
    /** Service → slot index → instance → calls it received. */
    private final Map<String, Map<Integer, Map<String, Long>>> arrivals = new TreeMap<>();
    /** Series → slot index → the largest value sampled in that slot. */
    private final Map<String, Map<Integer, Double>> samples = new TreeMap<>();

    /**
     * @param service an upstream service
     * @param slot the 100 ms slot index
     * @param zone a zone of it
     * @param count attempts sent to it in that slot
     */
    public synchronized void attempts(String service, int slot, String zone, long count) {
        if (count > 0) {
            serviceAttempts.computeIfAbsent(service, s -> new TreeMap<>()).computeIfAbsent(slot, s -> new TreeMap<>())
                    .merge(zone, count, Long::sum);
        }
    }

    /**
     * Files one attempt under the 100 ms slot it starts in: for its service, and for the report's
     * head too when it is the first service's.
     *
     * @param originNanos the drill's start, as {@link System#nanoTime()}
     * @param service the service called
     * @param heads whether the service heads the report (the scenario's first)
     * @param zone the zone the attempt went to
     */
    public void attemptStarted(long originNanos, String service, boolean heads, String zone) {
        attemptAt(Math.max(0, System.nanoTime() - originNanos) / 1_000, service, heads, zone);
    }

    /**
     * Files one attempt that started at a given time (as {@link #attemptStarted} does with the time now).
     *
     * @param micros when it started, in microseconds since the drill began
     * @param service the service called
     * @param heads whether the service heads the report
     * @param zone the zone the attempt went to
     */
    synchronized void attemptAt(long micros, String service, boolean heads, String zone) {
        int slot = (int) (micros / 1_000 / SLOT_MILLIS);
        timedAttempts.computeIfAbsent(service, s -> new ArrayList<>()).add(new TimedAttempt(micros, zone));
        attempts(service, slot, zone, 1);
        if (heads) {
            attempts(slot, zone, 1);
        }
    }

    /**
     * One attempt, as {@link #attemptStarted} filed it.
     *
     * @param startMicros when it started, in microseconds since the drill began
     * @param zone the zone it went to
     */
    public record TimedAttempt(long startMicros, String zone) {
    }

    /** @return service → every attempt filed so far, each with its start to the microsecond, in start order */
    public synchronized Map<String, List<TimedAttempt>> timedAttempts() {
        Map<String, List<TimedAttempt>> copy = new TreeMap<>();
        timedAttempts.forEach((service, list) -> copy.put(service, list.stream()
                .sorted(java.util.Comparator.comparingLong(TimedAttempt::startMicros)).toList()));
        return copy;
    }

    /**
     * @param service an upstream service
     * @param slot the 100 ms slot index
     * @param instance the instance that received a call to {@code /work}
     */
    public synchronized void arrival(String service, int slot, String instance) {
        arrivals.computeIfAbsent(service, s -> new TreeMap<>()).computeIfAbsent(slot, s -> new TreeMap<>())
                .merge(instance, 1L, Long::sum);
    }

    /**
     * @param series what was sampled, such as {@code inFlight}
     * @param slot the 100 ms slot index
     * @param value the value seen; a slot keeps its largest
     */
    public synchronized void sample(String series, int slot, double value) {
        samples.computeIfAbsent(series, s -> new TreeMap<>()).merge(slot, value, Math::max);
    }

    /** @return service → slot → zone → attempts so far */
    public synchronized Map<String, Map<Integer, Map<String, Long>>> serviceAttempts() {
        return deepCopy(serviceAttempts);
    }

    /** @return service → slot → instance → calls received so far */
    public synchronized Map<String, Map<Integer, Map<String, Long>>> arrivals() {
        return deepCopy(arrivals);
    }

    /** @return series → slot → largest value sampled */
    public synchronized Map<String, Map<Integer, Double>> samples() {
        Map<String, Map<Integer, Double>> copy = new TreeMap<>();
        samples.forEach((series, slots) -> copy.put(series, new TreeMap<>(slots)));
        return copy;
    }

    private static Map<String, Map<Integer, Map<String, Long>>> deepCopy(
            Map<String, Map<Integer, Map<String, Long>>> source) {
        Map<String, Map<Integer, Map<String, Long>>> copy = new TreeMap<>();
        source.forEach((service, slots) -> {
            Map<Integer, Map<String, Long>> s = new TreeMap<>();
            slots.forEach((slot, counts) -> s.put(slot, new TreeMap<>(counts)));
            copy.put(service, s);
        });
        return copy;
    }

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
