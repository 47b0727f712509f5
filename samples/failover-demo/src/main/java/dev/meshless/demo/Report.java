package dev.meshless.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The drill's results: per phase and per second, computed from what the {@link Recorder} saw.
 * {@link #toJson()} is {@code report.json}; {@link HtmlReport} renders the same numbers.
 */
public final class Report {

    /** Share of calls that must reach the new place for a shift to count as done. */
    public static final double SHIFT_SHARE = 0.99;

    /**
     * One phase.
     *
     * @param name the phase
     * @param fault whether it starts a fault (refuse, slow, status), rather than a recovery or nothing
     * @param changesSomething whether it has actions at all (a steady phase has none)
     * @param startMillis start, since the drill began
     * @param endMillis end
     * @param requests requests started in it
     * @param failed of those, the failed ones
     * @param byZone share of attempts per zone
     * @param sameZoneShare share of attempts in the caller's zone
     * @param p50Ms median latency of its requests
     * @param p99Ms 99th percentile latency
     * @param shiftMillis for a phase that changes something: time from its start to the first millisecond
     *     from which a whole second of attempts went ≥ 99 % to the target zones
     *     ({@link PhaseDetails#shift}); {@code null} when that never happened
     * @param strayAttempts attempts sent elsewhere after the shift: the probes of passive health checking
     *     (an ejected endpoint or an open breaker is tried again after a while), each retried elsewhere
     *     when it fails
     * @param errors why requests failed: reason → count, most frequent first
     * @param targetZones where traffic should go in this phase
     * @param capacityLeft whether some zone could serve
     * @param recovery whether the phase heals something and its target is the caller's zone alone, so
     *     that traffic should come home
     * @param recoveryMillis for such a phase: time
     *     from its start to the end of the first 100 ms slot from which every slot to the end of the
     *     phase had at least 99 % of attempts in the caller's zone (home, and staying there);
     *     {@code null} for other phases, or when traffic was not home to stay by the phase's end
     * @param probeAttempts attempts to endpoints or zones only being probed
     * @param retriedCalls calls whose first attempt failed and that were retried
     * @param services each upstream service's own results, surge included
     * @param load requests in flight, successful calls' p99, failures by type, concurrency meters
     */
    public record PhaseResult(String name, boolean fault, boolean changesSomething, long startMillis,
                              long endMillis, long requests, long failed, Map<String, Double> byZone,
                              double sameZoneShare, long p50Ms, long p99Ms, Long shiftMillis, long strayAttempts,
                              Map<String, Long> errors, List<String> targetZones, boolean capacityLeft,
                              boolean recovery, Long recoveryMillis,
                              long probeAttempts, long retriedCalls,
                              List<PhaseDetails.ServiceResult> services, PhaseDetails.Load load) {

        /** @return whether requests failed although some zone could serve: the drill's first expectation */
        public boolean failedWithCapacityLeft() {
            return capacityLeft && failed > 0;
        }

        /**
         * @return whether a fault's traffic took more than a second to move, or never did, although it
         *     had somewhere to go
         */
        public boolean shiftTooSlow() {
            return fault && capacityLeft && (shiftMillis == null || shiftMillis > 1_000);
        }
    }

    /**
     * One second of the drill.
     *
     * @param second seconds since the drill began
     * @param requests requests started
     * @param failed of those, failed
     * @param byZone share of attempts per zone
     * @param p50Ms median latency
     * @param p99Ms 99th percentile latency
     */
    public record Second(int second, long requests, long failed, Map<String, Double> byZone, long p50Ms, long p99Ms) {
    }

    /** The caller whose expectations the drill checks. */
    public static final String MESHLESS = "meshless";

    private final Scenario scenario;
    private final List<PhaseResult> phases;
    private final List<Second> seconds;
    private final List<String> zones;
    private final String caller;
    private final List<CallerSetting> settings;
    private final List<Report> peers;

    private Report(Scenario scenario, List<PhaseResult> phases, List<Second> seconds) {
        this(scenario, phases, seconds, MESHLESS, List.of(), List.of());
    }

    private Report(Scenario scenario, List<PhaseResult> phases, List<Second> seconds, String caller,
                   List<CallerSetting> settings, List<Report> peers) {
        this.scenario = scenario;
        this.phases = phases;
        this.seconds = seconds;
        this.zones = scenario.zones();
        this.caller = caller;
        this.settings = List.copyOf(settings);
        this.peers = List.copyOf(peers);
    }

    /**
     * @param name the caller these results are of
     * @param callerSettings its settings, for the report
     * @return these results as that caller's
     */
    public Report forCaller(String name, List<CallerSetting> callerSettings) {
        return new Report(scenario, phases, seconds, name, callerSettings, peers);
    }

    /**
     * @param others the results of the other callers that ran the same drill at the same time
     * @return this report with theirs beside it; the verdict stays this caller's
     */
    public Report withPeers(List<Report> others) {
        return new Report(scenario, phases, seconds, caller, settings, others);
    }

    /** @return the caller these results are of */
    public String caller() {
        return caller;
    }

    /** @return its settings, each with its reason */
    public List<CallerSetting> settings() {
        return settings;
    }

    /** @return this caller's results followed by the other callers' */
    public List<Report> callers() {
        List<Report> all = new ArrayList<>();
        all.add(this);
        all.addAll(peers);
        return all;
    }

    /**
     * @param scenario the drill
     * @param ran its phases as they ran
     * @param recorder what was seen
     * @return the report
     */
    public static Report of(Scenario scenario, List<PhaseRecord> ran, Recorder recorder) {
        List<Recorder.Request> requests = recorder.requests();
        Map<Integer, Map<String, Long>> slots = recorder.attempts();
        Map<String, Map<Integer, Map<String, Long>>> serviceAttempts = recorder.serviceAttempts();
        Map<String, List<Recorder.TimedAttempt>> timed = recorder.timedAttempts();
        List<Recorder.TimedAttempt> headTimed = timed.getOrDefault(scenario.services().get(0), List.of());
        Map<String, Map<Integer, Map<String, Long>>> arrivals = recorder.arrivals();
        Map<String, Map<Integer, Double>> samples = recorder.samples();
        List<PhaseResult> phases = new ArrayList<>();
        for (PhaseRecord p : ran) {
            List<Recorder.Request> in = requests.stream()
                    .filter(r -> r.startMillis() >= p.startMillis() && r.startMillis() < p.endMillis()).toList();
            Map<String, Long> attempts = attemptsIn(slots, PhaseDetails.firstSlot(p), PhaseDetails.lastSlot(p));
            Map<String, Double> shares = PhaseDetails.shares(attempts);
            List<Long> latencies = in.stream().map(Recorder.Request::latencyMillis).sorted().toList();
            boolean fault = p.phase().actions().stream().anyMatch(a -> a.fault() && (a.service() == null
                    || a.service().equals(scenario.services().get(0))));
            Long shift = p.phase().changesSomething() ? PhaseDetails.shift(headTimed, p, p.targetZones()) : null;
            phases.add(new PhaseResult(p.phase().name(), fault, p.phase().changesSomething(), p.startMillis(),
                    p.endMillis(), in.size(), in.stream().filter(r -> !r.ok()).count(), shares,
                    shares.getOrDefault(scenario.callerZone(), 0.0), PhaseDetails.percentile(latencies, 0.50),
                    PhaseDetails.percentile(latencies, 0.99), shift, shift == null ? 0 : PhaseDetails.strays(headTimed, p, shift, p.targetZones()), errors(in),
                    p.targetZones(), p.capacityLeft(), heals(p, fault, scenario.callerZone()),
                    heals(p, fault, scenario.callerZone()) ? recovery(slots, p, scenario.callerZone()) : null,
                    p.probeAttempts(), p.retriedCalls(),
                    PhaseDetails.services(scenario, p, in, serviceAttempts, timed, arrivals),
                    PhaseDetails.load(scenario, p, in, samples)));
        }
        List<Second> seconds = new ArrayList<>();
        long end = ran.isEmpty() ? 0 : ran.get(ran.size() - 1).endMillis();
        for (int s = 0; (s + 1) * 1000L <= end; s++) { // whole seconds only
            long from = s * 1000L;
            List<Recorder.Request> in = requests.stream()
                    .filter(r -> r.startMillis() >= from && r.startMillis() < from + 1000).toList();
            List<Long> latencies = in.stream().map(Recorder.Request::latencyMillis).sorted().toList();
            seconds.add(new Second(s, in.size(), in.stream().filter(r -> !r.ok()).count(),
                    PhaseDetails.shares(Recorder.attemptsBetween(slots, from, from + 1000)), PhaseDetails.percentile(latencies, 0.50),
                    PhaseDetails.percentile(latencies, 0.99)));
        }
        return new Report(scenario, phases, seconds);
    }

    private static Map<String, Long> attemptsIn(Map<Integer, Map<String, Long>> slots, int first, int last) {
        Map<String, Long> sum = new TreeMap<>();
        for (int slot = first; slot <= last; slot++) {
            slots.getOrDefault(slot, Map.of()).forEach((zone, n) -> sum.merge(zone, n, Long::sum));
        }
        return sum;
    }

    /** Whether a phase heals something (and faults nothing) while its target is the caller's zone alone. */
    private static boolean heals(PhaseRecord p, boolean fault, String home) {
        return !fault && p.targetZones().equals(List.of(home))
                && p.phase().actions().stream().anyMatch(a -> a.kind() == Scenario.Kind.HEAL);
    }

    /**
     * For a phase that heals the caller's zone: time to the end of the first slot from which every slot
     * with attempts, to the phase's end, had ≥ 99 % of them in the caller's zone; null otherwise.
     */
    private static Long recovery(Map<Integer, Map<String, Long>> slots, PhaseRecord p, String home) {
        Integer since = null;
        for (int slot = PhaseDetails.firstSlot(p); slot <= PhaseDetails.lastSlot(p); slot++) {
            Map<String, Long> zones = slots.getOrDefault(slot, Map.of());
            long total = zones.values().stream().mapToLong(Long::longValue).sum();
            if (total == 0) {
                continue;
            }
            boolean atHome = (double) zones.getOrDefault(home, 0L) / total >= SHIFT_SHARE;
            since = atHome ? (since == null ? slot : since) : null;
        }
        return since == null ? null : Math.max(0, (long) (since + 1) * Recorder.SLOT_MILLIS - p.startMillis());
    }

    private static Map<String, Long> errors(List<Recorder.Request> requests) {
        Map<String, Long> counts = new TreeMap<>();
        requests.stream().filter(r -> !r.ok()).forEach(r -> counts.merge(r.error(), 1L, Long::sum));
        Map<String, Long> ordered = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }

    /** @return the phases */
    public List<PhaseResult> phases() {
        return Collections.unmodifiableList(phases);
    }

    /** @return the seconds */
    public List<Second> seconds() {
        return Collections.unmodifiableList(seconds);
    }

    /** @return the scenario */
    public Scenario scenario() {
        return scenario;
    }

    /** @return every zone of the upstream */
    public List<String> zones() {
        return zones;
    }

    /**
     * The drill's expectations: no failed request in a phase that left capacity somewhere, at least
     * 99 % in the caller's zone in phases with everything healthy, a shift of at most one second after
     * each fault.
     *
     * @return the broken expectations, as sentences; empty when the drill passed
     */
    public List<String> violations() {
        List<String> broken = new ArrayList<>();
        for (PhaseResult p : phases) {
            if (p.failedWithCapacityLeft()) {
                broken.add("'" + p.name() + "': " + p.failed() + " of " + p.requests() + " requests failed");
            }
            boolean allHealthy = p.targetZones().equals(List.of(scenario.callerZone()));
            if (allHealthy && !p.changesSomething() && p.sameZoneShare() < SHIFT_SHARE) {
                broken.add(String.format(java.util.Locale.ROOT, "'%s': only %.1f%% of traffic in the caller's zone",
                        p.name(), p.sameZoneShare() * 100));
            }
            if (p.recovery() && p.recoveryMillis() == null) {
                broken.add("'" + p.name() + "': traffic was not back in " + scenario.callerZone()
                        + " to stay by the end of the phase");
            }
            if (p.shiftTooSlow()) {
                broken.add("'" + p.name() + "': traffic took " + (p.shiftMillis() == null ? "longer than the phase"
                        : p.shiftMillis() + " ms") + " to move to " + p.targetZones());
            }
            for (PhaseDetails.ServiceResult r : p.services().subList(1, p.services().size())) {
                if (r.faulted() && !r.targetZones().isEmpty() && (r.shiftMillis() == null || r.shiftMillis() > 1_000)) {
                    broken.add("'" + p.name() + "': " + r.service() + "'s traffic took " + (r.shiftMillis() == null
                            ? "longer than the phase" : r.shiftMillis() + " ms") + " to move to " + r.targetZones());
                }
            }
        }
        return broken;
    }

    /**
     * @return {@code report.json}: scenario summary, this caller's phases, seconds and expectations, and
     *     {@code callers}: every caller's name, settings, phases and seconds, this one first
     */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("caller", scenario.callerRegion() + "/" + scenario.callerZone());
        s.put("zones", zones);
        s.put("instancesPerZone", scenario.zoneSizes());
        s.put("rate", scenario.rate());
        s.put("upstreams", ReportJson.upstreams(scenario));
        json.put("scenario", s);
        json.put("notes", ReportJson.NOTES);
        json.put("phases", phasesJson());
        json.put("seconds", secondsJson());
        json.put("violations", violations());
        json.put("zonesSeen", new TreeSet<>(phases.stream().flatMap(p -> p.byZone().keySet().stream()).toList()));
        List<Map<String, Object>> callers = new ArrayList<>();
        for (Report r : callers()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", r.caller());
            List<Map<String, Object>> settingsJson = new ArrayList<>();
            for (CallerSetting setting : r.settings()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key", setting.key());
                m.put("value", setting.value());
                m.put("reason", setting.reason());
                m.put("link", setting.link());
                settingsJson.add(m);
            }
            c.put("settings", settingsJson);
            c.put("phases", r.phasesJson());
            c.put("seconds", r.secondsJson());
            callers.add(c);
        }
        json.put("callers", callers);
        return json;
    }

    /** Meshless's own meters count probes and retried calls; another caller's phases leave them out. */
    private List<Map<String, Object>> phasesJson() {
        List<Map<String, Object>> ps = new ArrayList<>();
        for (PhaseResult p : phases) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("startMillis", p.startMillis());
            m.put("endMillis", p.endMillis());
            m.put("requests", p.requests());
            m.put("failed", p.failed());
            m.put("byZone", p.byZone());
            m.put("sameZoneShare", p.sameZoneShare());
            m.put("p50Ms", p.p50Ms());
            m.put("p99Ms", p.p99Ms());
            if (p.changesSomething()) {
                m.put("shiftMillis", p.shiftMillis());
                m.put("strayAttempts", p.strayAttempts());
            }
            if (p.recovery()) {
                m.put("recoveryMillis", p.recoveryMillis());
            }
            if (caller.equals(MESHLESS)) {
                m.put("probeAttempts", p.probeAttempts());
                m.put("retriedCalls", p.retriedCalls());
            }
            m.put("errors", p.errors());
            m.put("targetZones", p.targetZones());
            m.put("services", ReportJson.services(p.services()));
            m.put("load", ReportJson.load(p.load()));
            ps.add(m);
        }
        return ps;
    }

    private List<Map<String, Object>> secondsJson() {
        List<Map<String, Object>> ss = new ArrayList<>();
        for (Second sec : seconds) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("second", sec.second());
            m.put("requests", sec.requests());
            m.put("failed", sec.failed());
            m.put("byZone", sec.byZone());
            m.put("p50Ms", sec.p50Ms());
            m.put("p99Ms", sec.p99Ms());
            ss.add(m);
        }
        return ss;
    }
}
