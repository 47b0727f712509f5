package dev.meshless.demo;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A drill: where the caller runs, how the upstream service is spread, the load, and the timeline
 * of phases with the faults each one starts. Immutable; read from YAML by {@link ScenarioReader}.
 *
 * @param callerRegion the caller's region
 * @param callerZone the caller's zone
 * @param regions the upstream's regions, in order
 * @param zoneSizes every zone of the upstream, region by region, with its number of instances
 *     (named {@code <zone>-0}, {@code -1} …)
 * @param rate requests per second
 * @param threads most requests in flight
 * @param phases the timeline
 * @param callerPolicy the caller's own settings for the upstream, over the drill's: keys under
 *     {@code meshless.services.upstream.} ({@code outlier-detection.base-ejection-time}) and values
 * @param callers the callers that run the timeline side by side, at the same rate: {@code meshless}
 *     first, whose expectations the drill checks, and optionally {@code spring-cloud}
 */
public record Scenario(String callerRegion, String callerZone, List<String> regions, Map<String, Integer> zoneSizes,
                       int rate, int threads, List<Phase> phases, Map<String, String> callerPolicy,
                       List<String> callers) {

    /** The caller names a scenario may list, in the order they run and are reported. */
    public static final List<String> CALLERS = List.of("meshless", "spring-cloud");

    /** Copies the lists and keeps the zones' order. */
    public Scenario {
        regions = List.copyOf(regions);
        zoneSizes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(zoneSizes));
        phases = List.copyOf(phases);
        callerPolicy = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(callerPolicy));
        callers = List.copyOf(callers);
    }

    /** A drill of the Meshless caller alone. */
    public Scenario(String callerRegion, String callerZone, List<String> regions, Map<String, Integer> zoneSizes,
                    int rate, int threads, List<Phase> phases, Map<String, String> callerPolicy) {
        this(callerRegion, callerZone, regions, zoneSizes, rate, threads, phases, callerPolicy, List.of("meshless"));
    }

    /** A drill whose caller keeps the drill's settings. */
    public Scenario(String callerRegion, String callerZone, List<String> regions, Map<String, Integer> zoneSizes,
                    int rate, int threads, List<Phase> phases) {
        this(callerRegion, callerZone, regions, zoneSizes, rate, threads, phases, Map.of());
    }

    /**
     * @param regions regions, in order
     * @param zonesPerRegion zones per region, named {@code <region>-a}, {@code -b} …
     * @param instancesPerZone instances in each
     * @return the zones of a uniform topology, region by region
     */
    public static Map<String, Integer> uniform(List<String> regions, int zonesPerRegion, int instancesPerZone) {
        Map<String, Integer> zones = new LinkedHashMap<>();
        for (String r : regions) {
            for (int i = 0; i < zonesPerRegion; i++) {
                zones.put(r + "-" + (char) ('a' + i), instancesPerZone);
            }
        }
        return zones;
    }

    /**
     * @param zone a zone of the upstream
     * @return its region: the listed region its name starts with ({@code <region>-})
     */
    public String regionOf(String zone) {
        String best = null;
        for (String r : regions) {
            if (zone.startsWith(r + "-") && (best == null || r.length() > best.length())) {
                best = r;
            }
        }
        return best;
    }

    /** @return instances over all zones */
    public int instanceCount() {
        return zoneSizes.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * One phase of the timeline.
     *
     * @param name what happens, for the live line and the report
     * @param duration how long it lasts
     * @param actions the faults started (or ended) when it begins, in order
     */
    public record Phase(String name, Duration duration, List<Action> actions) {

        /** @return whether the phase starts a fault or a recovery (not a steady phase) */
        public boolean changesSomething() {
            return !actions.isEmpty();
        }
    }

    /**
     * One action on the upstream or the registry.
     *
     * @param kind what to do
     * @param target a zone ({@code r1-a}), a region ({@code r1}), an instance ({@code r1-a-0}) or
     *     {@code all}; {@code down} or {@code up} for the registry
     * @param delay for {@link Kind#SLOW}: how long answers take
     * @param code for {@link Kind#STATUS}: the status answered
     */
    public record Action(Kind kind, String target, Duration delay, int code) {
    }

    /** Kinds of action. */
    public enum Kind {
        /** Stop accepting connections. */
        REFUSE,
        /** Answer after a delay. */
        SLOW,
        /** Answer every call with a status. */
        STATUS,
        /** Accept connections and answer at once with 200. */
        HEAL,
        /** Take the registry down or bring it back up. */
        REGISTRY
    }

    /** @return the whole timeline's length */
    public Duration duration() {
        return phases.stream().map(Phase::duration).reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * @param newRate requests per second
     * @return this scenario at another rate
     */
    public Scenario withRate(int newRate) {
        return new Scenario(callerRegion, callerZone, regions, zoneSizes, newRate, threads, phases, callerPolicy,
                callers);
    }

    /**
     * @param names the callers, {@code meshless} first
     * @return this scenario run by those callers
     */
    public Scenario withCallers(List<String> names) {
        return new Scenario(callerRegion, callerZone, regions, zoneSizes, rate, threads, phases, callerPolicy, names);
    }

    /** @return whether a second caller runs beside the Meshless caller */
    public boolean compares() {
        return callers.size() > 1;
    }

    /**
     * @param phaseDuration the length of every phase
     * @return this scenario with every phase that long
     */
    public Scenario withPhaseDuration(Duration phaseDuration) {
        return new Scenario(callerRegion, callerZone, regions, zoneSizes, rate, threads,
                phases.stream().map(p -> new Phase(p.name(), phaseDuration, p.actions())).toList(), callerPolicy,
                callers);
    }

    /** @return every zone name, region by region */
    public List<String> zones() {
        return List.copyOf(zoneSizes.keySet());
    }
}
