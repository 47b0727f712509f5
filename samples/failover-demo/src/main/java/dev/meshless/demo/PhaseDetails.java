package dev.meshless.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-phase numbers beyond the first service's shares: each upstream service's own results
 * (failures, zone and region shares, shift), the regional surge (peak calls per second each instance
 * and each region received) and the overload view (requests in flight, successful calls' p99, the
 * failures by type with their latency, and the caller's adaptive-concurrency meters when it has them).
 */
final class PhaseDetails {

    /** Slots per surge window: peaks are counted over 1 s windows that start on any 100 ms slot. */
    static final int WINDOW_SLOTS = 1_000 / Recorder.SLOT_MILLIS;
    /** Share of a region's peak at which its ramp counts as done. */
    static final double RAMP_SHARE = 0.9;

    private PhaseDetails() {
    }

    /**
     * One upstream service in one phase.
     *
     * @param service its name
     * @param failed requests of the phase whose call to it failed
     * @param byZone share of its attempts per zone
     * @param byRegion share of its attempts per region
     * @param targetZones where its traffic may go in the phase
     * @param shiftMillis for a phase with a fault on it: time until a whole second of its attempts went
     *     ≥ 99 % to {@code targetZones} ({@link #shift}); {@code null} otherwise or when that never happened
     * @param faulted whether the phase starts a fault on it
     * @param peakRpsByEndpoint the most calls per second each of its instances received (1 s windows)
     * @param peakRpsByRegion the most calls per second each region's instances received together
     * @param rampMillisByRegion for each region that received calls: from the phase's start to the end
     *     of the first 1 s window in which it received at least 90 % of its peak — about 1 000 ms when
     *     the load jumped at the start, more when it ramped
     */
    record ServiceResult(String service, long failed, Map<String, Double> byZone, Map<String, Double> byRegion,
                         List<String> targetZones, Long shiftMillis, boolean faulted,
                         Map<String, Long> peakRpsByEndpoint, Map<String, Long> peakRpsByRegion,
                         Map<String, Long> rampMillisByRegion) {

        /** @return the hottest instance and its peak, as {@code r2-a-0 57/s}; {@code –} without calls */
        String hottest() {
            return peakRpsByEndpoint.entrySet().stream().max(Map.Entry.comparingByValue())
                    .map(e -> e.getKey() + " " + e.getValue() + "/s").orElse("–");
        }
    }

    /**
     * Failed requests of one type.
     *
     * @param kind {@code rejection} (the caller refused fast: a limit or an open breaker),
     *     {@code timeout} (a deadline or a per-try timeout), {@code not-sent} (the drill's own cap on
     *     requests in flight) or {@code error}
     * @param count how many
     * @param p50Ms their median latency
     * @param maxMs their longest
     */
    record Failures(String kind, long count, long p50Ms, long maxMs) {
    }

    /**
     * The caller's adaptive concurrency for one service, from its meters, when it has them.
     *
     * @param limitMin the smallest limit sampled
     * @param limitMax the largest
     * @param inFlightMax the most calls in flight sampled
     * @param rejectedPerSecond calls the limit rejected, per second of the phase
     */
    record Concurrency(Double limitMin, Double limitMax, Double inFlightMax, Double rejectedPerSecond) {
    }

    /**
     * The overload view of a phase.
     *
     * @param okP99Ms p99 latency of the successful requests
     * @param inFlightMax most requests in flight, sampled at each send
     * @param inFlightMean mean of the 100 ms slots' largest samples
     * @param failures failed requests by type and kind ({@code ServiceCallException(CIRCUIT_OPEN) rejection})
     * @param concurrency per service, the caller's concurrency meters; absent for a service without them
     */
    record Load(long okP99Ms, long inFlightMax, double inFlightMean, Map<String, Failures> failures,
                Map<String, Concurrency> concurrency) {
    }

    static List<ServiceResult> services(Scenario scenario, PhaseRecord p, List<Recorder.Request> in,
                                        Map<String, Map<Integer, Map<String, Long>>> attempts,
                                        Map<String, List<Recorder.TimedAttempt>> timed,
                                        Map<String, Map<Integer, Map<String, Long>>> arrivals) {
        List<ServiceResult> results = new ArrayList<>();
        int first = firstSlot(p);
        int last = lastSlot(p);
        for (Scenario.Upstream u : scenario.upstreams()) {
            String name = u.name();
            Map<Integer, Map<String, Long>> slots = attempts.getOrDefault(name, Map.of());
            Map<String, Long> zones = new TreeMap<>();
            Map<String, Long> regions = new TreeMap<>();
            for (int slot = first; slot <= last; slot++) {
                slots.getOrDefault(slot, Map.of()).forEach((zone, n) -> {
                    zones.merge(zone, n, Long::sum);
                    regions.merge(String.valueOf(u.regionOf(zone)), n, Long::sum);
                });
            }
            List<String> targets = p.serviceTargetZones().getOrDefault(name, p.targetZones());
            boolean faulted = p.phase().actions().stream().anyMatch(a -> a.fault()
                    && name.equals(a.service() == null ? scenario.services().get(0) : a.service()));
            Long shift = faulted ? shift(timed.getOrDefault(name, List.of()), p, targets) : null;
            Map<Integer, Map<String, Long>> calls = arrivals.getOrDefault(name, Map.of());
            Map<String, Long> byEndpoint = new TreeMap<>();
            for (Map.Entry<String, Integer> zone : u.zoneSizes().entrySet()) {
                for (int i = 0; i < zone.getValue(); i++) {
                    String id = zone.getKey() + "-" + i;
                    long peak = peak(series(calls, first, last, id::equals)).peak();
                    if (peak > 0) {
                        byEndpoint.put(id, peak);
                    }
                }
            }
            Map<String, Long> byRegion = new LinkedHashMap<>();
            Map<String, Long> ramp = new LinkedHashMap<>();
            for (String region : u.regions()) {
                Peak peak = peak(series(calls, first, last, id -> region.equals(u.regionOf(zoneOf(id)))));
                if (peak.peak() > 0) {
                    byRegion.put(region, peak.peak());
                    ramp.put(region, (long) (first + peak.rampEndSlot()) * Recorder.SLOT_MILLIS - p.startMillis());
                }
            }
            long failed = in.stream().filter(r -> r.failures().containsKey(name)).count();
            if (scenario.upstreams().size() == 1) {
                failed = in.stream().filter(r -> !r.ok()).count();
            }
            results.add(new ServiceResult(name, failed, shares(zones), shares(regions), targets, shift, faulted,
                    byEndpoint, byRegion, ramp));
        }
        return results;
    }

    static Load load(Scenario scenario, PhaseRecord p, List<Recorder.Request> in,
                     Map<String, Map<Integer, Double>> samples) {
        List<Long> ok = in.stream().filter(Recorder.Request::ok).map(Recorder.Request::latencyMillis).sorted()
                .toList();
        Map<String, List<Long>> byType = new TreeMap<>();
        Map<String, String> kinds = new TreeMap<>();
        in.stream().filter(r -> !r.ok()).forEach(r -> {
            String kind = kind(r.error());
            String type = type(r.error()) + " " + kind;
            kinds.put(type, kind);
            byType.computeIfAbsent(type, t -> new ArrayList<>()).add(r.latencyMillis());
        });
        Map<String, Failures> failures = new LinkedHashMap<>();
        byType.forEach((type, latencies) -> {
            List<Long> sorted = latencies.stream().sorted().toList();
            failures.put(type, new Failures(kinds.get(type), sorted.size(), percentile(sorted, 0.5),
                    sorted.get(sorted.size() - 1)));
        });
        int first = firstSlot(p);
        int last = lastSlot(p);
        List<Double> inFlight = values(samples.get(LoadGenerator.IN_FLIGHT), first, last);
        Map<String, Concurrency> concurrency = new LinkedHashMap<>();
        double seconds = Math.max(1, p.endMillis() - p.startMillis()) / 1000.0;
        for (String service : scenario.services()) {
            List<Double> limit = values(samples.get(ConcurrencySampler.LIMIT + ":" + service), first, last);
            List<Double> meterInFlight = values(samples.get(ConcurrencySampler.IN_FLIGHT + ":" + service), first, last);
            Map<Integer, Double> counted = samples.get(ConcurrencySampler.REJECTED + ":" + service);
            if (limit.isEmpty() && meterInFlight.isEmpty() && counted == null) {
                continue;
            }
            java.util.NavigableMap<Integer, Double> rejected = counted == null ? null : new TreeMap<>(counted);
            Double perSecond = null;
            if (rejected != null) {
                double before = rejected.headMap(first).values().stream().reduce((a, b) -> b).orElse(0.0);
                double after = rejected.headMap(last + 1).values().stream().reduce((a, b) -> b).orElse(before);
                perSecond = (after - before) / seconds;
            }
            concurrency.put(service, new Concurrency(min(limit), max(limit), max(meterInFlight), perSecond));
        }
        Double most = max(inFlight);
        return new Load(percentile(ok, 0.99), most == null ? 0 : most.longValue(),
                inFlight.stream().mapToDouble(Double::doubleValue).average().orElse(0), failures, concurrency);
    }

    /** {@code SomeException: first words} → {@code SomeException}; the drill's own refusal keeps its words. */
    static String type(String error) {
        int colon = error.indexOf(':');
        return colon < 0 ? error : error.substring(0, colon);
    }

    /**
     * @param error a failed request's reason ({@link LoadGenerator#reason})
     * @return {@code not-sent} (the drill's own cap), {@code rejection} (refused by the caller without
     *     trying: a limit or an open breaker), {@code timeout} (a deadline, or an attempt that timed out)
     *     or {@code error}; the type and Meshless's reason decide, then the message
     */
    static String kind(String error) {
        String type = type(error).toLowerCase(Locale.ROOT);
        String all = error.toLowerCase(Locale.ROOT);
        if (type.startsWith("not sent")) {
            return "not-sent";
        }
        if (type.contains("reject") || type.contains("limit") || type.contains("circuit_open")
                || type.contains("callnotpermitted")) {
            return "rejection";
        }
        if (type.contains("deadline") || type.contains("timeout") || all.contains("timed out")
                || all.contains("timeout")) {
            return "timeout";
        }
        return "error";
    }

    private static String zoneOf(String instance) {
        return instance.substring(0, instance.lastIndexOf('-'));
    }

    /** Calls per slot, from the phase's first slot to its last, of the instances {@code which} accepts. */
    private static long[] series(Map<Integer, Map<String, Long>> calls, int first, int last,
                                 java.util.function.Predicate<String> which) {
        long[] counts = new long[Math.max(0, last - first + 1)];
        for (int slot = first; slot <= last; slot++) {
            for (Map.Entry<String, Long> e : calls.getOrDefault(slot, Map.of()).entrySet()) {
                if (which.test(e.getKey())) {
                    counts[slot - first] += e.getValue();
                }
            }
        }
        return counts;
    }

    /**
     * @param peak the most calls in a 1 s window (a phase shorter than a second: its calls per second)
     * @param rampEndSlot the end (exclusive, relative to the phase's first slot) of the first window
     *     holding at least {@link #RAMP_SHARE} of the peak
     */
    record Peak(long peak, int rampEndSlot) {
    }

    static Peak peak(long[] counts) {
        if (counts.length < WINDOW_SLOTS) {
            long sum = java.util.Arrays.stream(counts).sum();
            return new Peak(counts.length == 0 ? 0 : sum * WINDOW_SLOTS / counts.length, counts.length);
        }
        long[] windows = new long[counts.length - WINDOW_SLOTS + 1];
        long sum = 0;
        for (int i = 0; i < counts.length; i++) {
            sum += counts[i];
            if (i >= WINDOW_SLOTS) {
                sum -= counts[i - WINDOW_SLOTS];
            }
            if (i >= WINDOW_SLOTS - 1) {
                windows[i - WINDOW_SLOTS + 1] = sum;
            }
        }
        long peak = java.util.Arrays.stream(windows).max().orElse(0);
        for (int w = 0; w < windows.length; w++) {
            if (windows[w] >= RAMP_SHARE * peak) {
                return new Peak(peak, w + WINDOW_SLOTS);
            }
        }
        return new Peak(peak, counts.length);
    }

    /** The window over which {@link #shift} requires traffic to stay on target. */
    static final int SHIFT_WINDOW_MILLIS = 1_000;
    /** The shortest window {@link #shift} accepts where the phase's end cuts one short. */
    static final int SHIFT_MIN_WINDOW_MILLIS = 200;

    /**
     * How long after the phase's start the traffic was on its targets: the first millisecond
     * {@code t} of the phase from which the attempts started in the next {@value #SHIFT_WINDOW_MILLIS}
     * ms (fewer when the phase ends sooner) went ≥ 99 % to the target zones. Measured on each
     * attempt's own start, to the millisecond (a window the phase's end cuts short counts down to
     * {@value #SHIFT_MIN_WINDOW_MILLIS} ms): a 100 ms slot would round the answer up to the slot's
     * end and shift it by where the fault fell in its slot (up to 100 ms more). The whole window must
     * stay on target, so a quiet moment between two stray attempts does not count.
     *
     * @param attempts the service's attempts in start order ({@link Recorder#timedAttempts()})
     * @param p the phase
     * @param targets the zones its traffic may go to in the phase
     * @return milliseconds from the phase's start; {@code null} when it never happened in the phase
     */
    static Long shift(List<Recorder.TimedAttempt> attempts, PhaseRecord p, List<String> targets) {
        int length = (int) (p.endMillis() - p.startMillis());
        if (length <= 0) {
            return null;
        }
        // Per millisecond of the phase: attempts started, and those on target, as prefix sums.
        long[] total = new long[length + 1];
        long[] on = new long[length + 1];
        for (Recorder.TimedAttempt a : attempts) {
            long at = a.startMicros() / 1_000 - p.startMillis();
            if (at >= 0 && at < length) {
                total[(int) at + 1]++;
                if (targets.contains(a.zone())) {
                    on[(int) at + 1]++;
                }
            }
        }
        for (int i = 1; i <= length; i++) {
            total[i] += total[i - 1];
            on[i] += on[i - 1];
        }
        // A window may be cut short by the phase's end, but not below SHIFT_MIN_WINDOW_MILLIS, so that
        // a phase shorter than a second, or one whose traffic moves late, still has a shift, while
        // the phase's last few attempts alone are never taken for one.
        int lastStart = Math.max(0, length - Math.min(SHIFT_MIN_WINDOW_MILLIS, length));
        for (int t = 0; t <= lastStart; t++) {
            int end = Math.min(length, t + SHIFT_WINDOW_MILLIS);
            long n = total[end] - total[t];
            if (n > 0 && (double) (on[end] - on[t]) / n >= Report.SHIFT_SHARE) {
                return (long) t;
            }
        }
        return null;
    }

    /** @return attempts of the phase that started {@code shiftMillis} or later after its start and went elsewhere than the targets */
    static long strays(List<Recorder.TimedAttempt> attempts, PhaseRecord p, long shiftMillis, List<String> targets) {
        long fromMicros = (p.startMillis() + shiftMillis) * 1_000;
        long toMicros = p.endMillis() * 1_000;
        return attempts.stream().filter(a -> a.startMicros() >= fromMicros && a.startMicros() < toMicros)
                .filter(a -> !targets.contains(a.zone())).count();
    }

    /** The first slot wholly inside the phase (the phase's actions are applied at its start). */
    static int firstSlot(PhaseRecord p) {
        return (int) ((p.startMillis() + Recorder.SLOT_MILLIS - 1) / Recorder.SLOT_MILLIS);
    }

    /** The last slot wholly inside the phase. */
    static int lastSlot(PhaseRecord p) {
        return (int) (p.endMillis() / Recorder.SLOT_MILLIS) - 1;
    }

    static Map<String, Double> shares(Map<String, Long> counts) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Double> shares = new TreeMap<>();
        counts.forEach((key, n) -> shares.put(key, total == 0 ? 0.0 : (double) n / total));
        return shares;
    }

    static long percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static List<Double> values(Map<Integer, Double> series, int first, int last) {
        return series == null ? List.of() : new ArrayList<>(new TreeMap<>(series).subMap(first, last + 1).values());
    }

    private static Double min(List<Double> values) {
        return values.stream().min(Double::compare).orElse(null);
    }

    private static Double max(List<Double> values) {
        return values.stream().max(Double::compare).orElse(null);
    }
}
