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
 * @param callerPolicy the caller's own settings for each upstream service, over the drill's: keys under
 *     {@code meshless.services.<service>.} ({@code outlier-detection.base-ejection-time}) and values
 * @param upstreams the services the caller calls, each with its own fleet; one user request calls
 *     each of them once and fails when one of them fails. {@code regions} and {@code zoneSizes} are
 *     the first one's. Empty means one service named {@value #DEFAULT_SERVICE} with {@code regions}
 *     and {@code zoneSizes}.
 * @param callers the callers that run the timeline side by side, at the same rate: {@code meshless}
 *     first, whose expectations the drill checks, and optionally {@code spring-cloud}
 */
public record Scenario(String callerRegion, String callerZone, List<String> regions, Map<String, Integer> zoneSizes,
                       int rate, int threads, List<Phase> phases, Map<String, String> callerPolicy,
                       List<Upstream> upstreams, List<String> callers) {

    /** The service of a scenario with one {@code upstream} section. */
    public static final String DEFAULT_SERVICE = "upstream";

    /** The caller names a scenario may list, in the order they run and are reported. */
    public static final List<String> CALLERS = List.of("meshless", "spring-cloud");

    /** Copies the lists and keeps the zones' order. */
    public Scenario {
        regions = List.copyOf(regions);
        zoneSizes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(zoneSizes));
        phases = List.copyOf(phases);
        callerPolicy = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(callerPolicy));
        upstreams = upstreams.isEmpty() ? List.of(new Upstream(DEFAULT_SERVICE, regions, zoneSizes))
                : List.copyOf(upstreams);
        callers = List.copyOf(callers);
    }

    /** A drill of the Meshless caller alone. */
    public Scenario(String callerRegion, String callerZone, List<String> regions, Map<String, Integer> zoneSizes,
                    int rate, int threads, List<Phase> phases, Map<String, String> callerPolicy,
                    List<Upstream> upstreams) {
        this(callerRegion, callerZone, regions, zoneSizes, rate, threads, phases, callerPolicy, upstreams,
                List.of("meshless"));
    }

    /** A drill with one upstream service, {@value #DEFAULT_SERVICE}. */
    public Scenario(String callerRegion, String callerZone, List<String> regions, Map<String, Integer> zoneSizes,
                    int rate, int threads, List<Phase> phases, Map<String, String> callerPolicy) {
        this(callerRegion, callerZone, regions, zoneSizes, rate, threads, phases, callerPolicy, List.of());
    }

    /** A drill with one upstream service whose caller keeps the drill's settings. */
    public Scenario(String callerRegion, String callerZone, List<String> regions, Map<String, Integer> zoneSizes,
                    int rate, int threads, List<Phase> phases) {
        this(callerRegion, callerZone, regions, zoneSizes, rate, threads, phases, Map.of());
    }

    /**
     * One upstream service and its fleet.
     *
     * @param name the service's name in the registry and in {@code meshless.services.<name>}
     * @param regions its regions, in order
     * @param zoneSizes its zones, region by region, with their instance counts
     */
    public record Upstream(String name, List<String> regions, Map<String, Integer> zoneSizes) {

        /** Copies the lists and keeps the zones' order. */
        public Upstream {
            regions = List.copyOf(regions);
            zoneSizes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(zoneSizes));
        }

        /** @return its zones, region by region */
        public List<String> zones() {
            return List.copyOf(zoneSizes.keySet());
        }

        /**
         * @param zone one of its zones
         * @return that zone's region
         */
        public String regionOf(String zone) {
            return Scenario.regionOf(regions, zone);
        }
    }

    /** @return the names of the upstream services, the first being the one whose numbers head the report */
    public List<String> services() {
        return upstreams.stream().map(Upstream::name).toList();
    }

    /**
     * @param service one of {@link #services()}, or {@code null} for the first
     * @return that service
     */
    public Upstream upstream(String service) {
        if (service == null) {
            return upstreams.get(0);
        }
        return upstreams.stream().filter(u -> u.name().equals(service)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no upstream service '" + service + "'"));
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
        return regionOf(regions, zone);
    }

    private static String regionOf(List<String> regions, String zone) {
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
     * @param service the upstream service it hits; {@code null} for the first (the only one, usually)
     * @param concurrency for {@link Kind#CAPACITY}: requests each targeted instance serves at once
     * @param latency for {@link Kind#CAPACITY}: how long serving one request takes; {@code null} for no
     *     more than it takes already
     */
    public record Action(Kind kind, String target, Duration delay, int code, String service, int concurrency,
                         Duration latency) {

        /** An action on the first upstream service. */
        public Action(Kind kind, String target, Duration delay, int code) {
            this(kind, target, delay, code, null, 0, null);
        }

        /** @return whether it starts a fault: refuse, slow, status or capacity */
        public boolean fault() {
            return kind == Kind.REFUSE || kind == Kind.SLOW || kind == Kind.STATUS || kind == Kind.CAPACITY;
        }
    }

    /** Kinds of action. */
    public enum Kind {
        /** Stop accepting connections. */
        REFUSE,
        /** Answer after a delay. */
        SLOW,
        /** Answer every call with a status. */
        STATUS,
        /** Accept connections and answer at once with 200, with no capacity limit. */
        HEAL,
        /** Serve at most {@code concurrency} requests at once per instance; the rest queue. */
        CAPACITY,
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
                upstreams, callers);
    }

    /**
     * @param names the callers, {@code meshless} first
     * @return this scenario run by those callers
     */
    public Scenario withCallers(List<String> names) {
        return new Scenario(callerRegion, callerZone, regions, zoneSizes, rate, threads, phases, callerPolicy,
                upstreams, names);
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
                upstreams, callers);
    }

    /** @return every zone name, region by region */
    public List<String> zones() {
        return List.copyOf(zoneSizes.keySet());
    }
}
