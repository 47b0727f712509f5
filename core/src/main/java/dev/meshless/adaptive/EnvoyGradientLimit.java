package dev.meshless.adaptive;

import com.netflix.concurrency.limits.limit.AbstractLimit;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Envoy's adaptive concurrency gradient controller, for {@link AdaptiveConcurrencyPolicy.Algorithm#ENVOY_GRADIENT}
 * ({@code source/extensions/filters/http/adaptive_concurrency/controller/gradient_controller.cc}) as a
 * Netflix concurrency-limits {@link com.netflix.concurrency.limits.Limit}, with Envoy's default
 * parameters. Unlike Netflix's Gradient2, which compares latency with its own long-term average (and
 * so comes to take a lasting queue for normal), it compares latency with a <em>measured</em> ideal,
 * the min RTT.
 *
 * <ul>
 *   <li><b>Min RTT.</b> Every {@link #MIN_RTT_INTERVAL_NANOS} (plus up to 15 % jitter) the limit drops
 *       to the min limit until {@link #MIN_RTT_REQUESTS} attempts <em>started</em> since then have
 *       ended; the median latency of those that were answered is the min RTT, and the limit goes back
 *       to where it was. It is measured again at once when the limit has stayed at the min limit for
 *       {@link #WINDOWS_AT_MIN_BEFORE_MEASURING} windows in a row: the min RTT is then probably stale,
 *       the service slower for good, and the limit would otherwise stay at its floor.</li>
 *   <li><b>Limit.</b> At the end of each window (at least {@link #WINDOW_NANOS}) the median latency of
 *       its attempts, the sample RTT, gives {@code gradient = min RTT × 1.25 / sample RTT}, kept
 *       between 0.5 and 2, and {@code limit = limit × gradient + √(limit × gradient)} (the root is
 *       headroom for bursts), kept between the min and max limits.</li>
 * </ul>
 *
 * <p>Where it departs from Envoy, so that a limit on a caller that retries and times out its attempts
 * follows the service's capacity instead of oscillating around it (each measured with the overload
 * drill, {@code docs/overload.md}):
 * <ul>
 *   <li>A window learns only from attempts started since the limit last changed, and to raise the
 *       limit it lasts until it holds at least a round of the calls in flight (at most
 *       {@value #MAX_ROUND}): with latencies longer than Envoy's fixed 100 ms window, the limit
 *       otherwise moves again before the effect of its last move is seen, and overshoots. A window
 *       whose median is over the buffered min RTT lowers the limit without waiting for the round:
 *       the quickest of its attempts are slow too.</li>
 *   <li>The limit does not move while the window's calls used less than half of it: not up, as in
 *       Netflix's limits (a limit that is never reached is never tested, and lets a whole burst in
 *       when the service slows down), and not down, since the latency of a caller that is not held
 *       back by its limit says nothing about the limit.</li>
 *   <li>A dropped attempt (timeout, 5xx, overload answer) counts as at least twice the buffered min
 *       RTT and does not count towards the min RTT: its real latency is unknown, and it must shrink
 *       the limit rather than pass for an answer at the per-try timeout.</li>
 *   <li>The buffer over the min RTT is at least {@link #NOISE_NANOS}: a quick service's median moves
 *       by a millisecond of scheduling or garbage collection in the caller, which is no queue.</li>
 *   <li>A window whose median is below the min RTT lowers the min RTT to it, so a service that has
 *       recovered does not keep a slow min RTT until the next measurement.</li>
 *   <li>The first min RTT is measured at the initial limit, not the min limit, so that a new caller is
 *       not held at the floor.</li>
 * </ul>
 *
 * <p>Time is the samples' own: an attempt's start and start plus latency, on the caller's time
 * source; nothing runs between samples. The Spring Boot starter's inbound load shedding feeds it the
 * same way, a served request for an attempt: its admission and latency on the shedder's time source,
 * a request whose asynchronous processing timed out as dropped. Not thread-safe on its own: {@link AbstractLimit#onSample},
 * its only entry, is synchronized.
 */
final class EnvoyGradientLimit extends AbstractLimit {

    /** The shortest window: Envoy's {@code concurrency_update_interval} in its documented example. */
    static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Envoy's {@code min_rtt_calc_params.request_count} default. */
    static final int MIN_RTT_REQUESTS = 50;
    /**
     * How often the min RTT is measured again: Envoy's {@code min_rtt_calc_params.interval} has no default
     * (60 s in its documented example, 30 s in its tests); a min RTT measured during a slowdown lasts at
     * most this long.
     */
    static final long MIN_RTT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Envoy's {@code min_rtt_calc_params.jitter} default. */
    static final double JITTER = 0.15;
    /** Envoy's {@code min_rtt_calc_params.buffer} default: latency up to 25 % over the min RTT is no queue. */
    static final double BUFFER = 0.25;
    /**
     * The least latency over the min RTT that is taken for a queue: a caller's clock reads include a
     * millisecond or two of thread scheduling and garbage collection, which for a service answering in
     * one millisecond is far over Envoy's 25 % and is not the service's queue.
     */
    static final long NOISE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** Windows in a row at the min limit after which the min RTT is measured again, as in Envoy. */
    static final int WINDOWS_AT_MIN_BEFORE_MEASURING = 5;

    private static final int MAX_SAMPLES = 4096;
    /** The most attempts a window waits for, however many calls are in flight. */
    static final int MAX_ROUND = 20;

    private final int minLimit;
    private final int maxLimit;
    /** Latencies of the current window (or measurement) that count; {@code count} of them are used. */
    private long[] samples = new long[64];
    private int count;
    /** Attempts started since the measurement began, answered or dropped. */
    private int measured;
    private boolean measuring;
    /** When the current measurement began: attempts started earlier do not count in it. */
    private long epoch;
    /** The limit to go back to after a measurement. */
    private int deferred;
    /** 0 until first measured. */
    private long minRtt;
    private long windowEnd;
    /** The window's attempts slower than the buffered min RTT. */
    private int slow;
    /** The most calls in flight at the start of the window's attempts. */
    private int round;
    /** When the limit last changed: a window learns only from attempts started since, under that limit. */
    private long changed;
    private long nextMeasurement;
    private int windowsAtMin;
    private boolean started;

    EnvoyGradientLimit(int initialLimit, int minLimit, int maxLimit) {
        super(initialLimit);
        this.minLimit = minLimit;
        this.maxLimit = maxLimit;
        this.deferred = initialLimit;
        this.measuring = true;
    }

    @Override
    protected int _update(long startTime, long rtt, int inflight, boolean didDrop) {
        long now = startTime + rtt;
        if (!started) {
            // The first measurement begins with the first sample: the time source's origin is arbitrary.
            started = true;
            epoch = startTime;
        }
        return measuring ? measure(startTime, now, rtt, didDrop) : adapt(startTime, now, rtt, inflight, didDrop);
    }

    private int measure(long startTime, long now, long rtt, boolean didDrop) {
        if (startTime - epoch < 0) {
            return getLimit(); // started before the measurement, under a higher limit
        }
        measured++;
        if (!didDrop) {
            add(rtt);
        }
        if (measured < MIN_RTT_REQUESTS) {
            return getLimit();
        }
        boolean allDropped = count == 0;
        if (!allDropped) {
            minRtt = median();
        }
        if (minRtt == 0) {
            // Nothing answered yet, nothing to compare with: measure again, at the same limit.
            epoch = now;
            measured = 0;
            count = 0;
            return getLimit();
        }
        measuring = false;
        measured = 0;
        count = 0;
        slow = 0;
        round = 0;
        windowsAtMin = 0;
        windowEnd = now + WINDOW_NANOS;
        changed = now;
        nextMeasurement = now + MIN_RTT_INTERVAL_NANOS
                + (long) (MIN_RTT_INTERVAL_NANOS * JITTER * ThreadLocalRandom.current().nextDouble());
        // Every attempt of the measurement dropped (timed out, 5xx): the service is failing now, so
        // the limit does not go back to what it was before, but shrinks as a dropped window would.
        return allDropped ? Math.min(deferred, minLimit * 2) : deferred;
    }

    private int adapt(long startTime, long now, long rtt, int inflight, boolean didDrop) {
        long buffered = minRtt + Math.max((long) (minRtt * BUFFER), NOISE_NANOS);
        if (startTime - changed >= 0) {
            long sample = didDrop ? Math.max(rtt, 2 * buffered) : rtt;
            add(sample);
            slow += sample > buffered ? 1 : 0;
            round = Math.max(round, inflight);
        }
        // A window that would raise the limit holds at least a round of the calls in flight, lest its
        // median be the quickest few; one whose median is already over the buffer may shrink it at once,
        // since the quickest few are slow too.
        if (now - windowEnd < 0 || count == 0 || (count < Math.min(round, MAX_ROUND) && 2 * slow <= count)) {
            return getLimit();
        }
        slow = 0;
        int used = round;
        round = 0;
        long sampleRtt = median();
        count = 0;
        windowEnd = now + WINDOW_NANOS;
        minRtt = Math.min(minRtt, sampleRtt);
        double gradient = Math.max(0.5, Math.min(2.0, (double) buffered / sampleRtt));
        double limit = getLimit() * gradient;
        int next = Math.max(minLimit, Math.min(maxLimit, (int) (limit + Math.sqrt(limit))));
        if (used < getLimit() / 2) {
            next = getLimit(); // the limit is not what holds calls back: latency says nothing about it
        }
        windowsAtMin = next == minLimit && getLimit() == minLimit ? windowsAtMin + 1 : 0;
        if (windowsAtMin >= WINDOWS_AT_MIN_BEFORE_MEASURING || now - nextMeasurement >= 0) {
            return startMeasuring(now, next);
        }
        if (next != getLimit()) {
            changed = now;
        }
        return next;
    }

    private int startMeasuring(long now, int limitAfter) {
        measuring = true;
        epoch = now;
        deferred = limitAfter;
        measured = 0;
        count = 0;
        slow = 0;
        round = 0;
        return minLimit;
    }

    private void add(long rtt) {
        if (count == MAX_SAMPLES) {
            return; // a median of the window's first attempts is as good, and the memory stays bounded
        }
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = rtt;
    }

    private long median() {
        Arrays.sort(samples, 0, count);
        return Math.max(1, samples[(count - 1) / 2]);
    }

    /** @return the min RTT in nanoseconds; 0 until first measured */
    long minRtt() {
        return minRtt;
    }

    /** @return whether the limit is held at the min limit to measure the min RTT */
    boolean measuring() {
        return measuring;
    }

    @Override
    public String toString() {
        return "EnvoyGradientLimit{limit " + getLimit() + ", min RTT " + TimeUnit.NANOSECONDS.toMicros(minRtt)
                + " µs" + (measuring ? ", measuring" : "") + "}";
    }
}
