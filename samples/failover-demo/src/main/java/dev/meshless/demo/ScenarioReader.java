package dev.meshless.demo;

import dev.meshless.demo.caller.CallerApplication;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a {@link Scenario} from YAML, checking every field: a problem is one {@link BadScenarioException}
 * whose message names the field's path and the bad value.
 */
public final class ScenarioReader {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private ScenarioReader() {
    }

    /** A scenario that cannot be run, with one line saying why. */
    public static final class BadScenarioException extends RuntimeException {
        BadScenarioException(String message) {
            super(message);
        }
    }

    /** @return the built-in drill */
    public static Scenario builtIn() {
        try (InputStream in = ScenarioReader.class.getResourceAsStream("/default-scenario.yaml")) {
            return read(in, "default-scenario.yaml");
        } catch (IOException e) {
            throw new IllegalStateException("the built-in scenario cannot be read", e);
        }
    }

    /**
     * @param file a YAML scenario
     * @return the scenario
     * @throws BadScenarioException naming the problem
     */
    public static Scenario read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new BadScenarioException("scenario file " + file + " does not exist");
        } catch (IOException e) {
            throw new BadScenarioException("scenario file " + file + " cannot be read: " + e.getMessage());
        }
    }

    static Scenario read(InputStream in, String source) {
        try {
            return parse(in, source);
        } catch (BadScenarioException e) {
            if (e.getMessage().startsWith(source)) {
                throw e;
            }
            throw new BadScenarioException(source + ": " + e.getMessage());
        }
    }

    private static Scenario parse(InputStream in, String source) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(in);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            String why = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
            throw new BadScenarioException(source + " is not valid YAML" + where + ": " + why);
        }
        if (root == null || !root.isObject()) {
            throw new BadScenarioException(source + " must hold a mapping with caller, upstream, load and phases");
        }
        allowOnly(root, "", "caller", "upstream", "upstreams", "load", "phase-duration", "phases", "callers");
        JsonNode caller = required(root, "caller");
        allowOnly(caller, "caller.", "region", "zone", "policy");
        String region = name(caller, "caller.region");
        String zone = name(caller, "caller.zone");
        Map<String, String> callerPolicy = new LinkedHashMap<>();
        JsonNode policy = caller.get("policy");
        if (policy != null) {
            if (!policy.isObject()) {
                throw new BadScenarioException("caller.policy must be a mapping of settings under "
                        + "meshless.services.upstream (outlier-detection.base-ejection-time: 2s), but was " + policy);
            }
            flatten(policy, "", "caller.policy", callerPolicy);
        }
        List<Scenario.Upstream> upstreams = upstreams(root);
        List<String> regions = upstreams.get(0).regions();
        Map<String, Integer> zoneSizes = upstreams.get(0).zoneSizes();
        JsonNode load = root.path("load");
        if (!load.isMissingNode()) {
            allowOnly(load, "load.", "rate", "threads");
        }
        int rate = integer(load, "rate", "load.rate", 200, 1, 5_000);
        int threads = integer(load, "threads", "load.threads", 256, 1, 1_024);
        Duration phaseDuration = duration(root.get("phase-duration"), "phase-duration", Duration.ofSeconds(10));
        Map<String, Set<String>> targets = new LinkedHashMap<>();
        Set<String> callerZones = new java.util.LinkedHashSet<>();
        for (Scenario.Upstream u : upstreams) {
            targets.put(u.name(), targets(u));
            callerZones.addAll(u.zones());
        }
        if (!callerZones.contains(zone) || !region.equals(upstreams.stream().filter(u -> u.zoneSizes()
                .containsKey(zone)).findFirst().map(u -> u.regionOf(zone)).orElse(null))) {
            throw new BadScenarioException("caller.zone must be one of the upstream" + (upstreams.size() > 1 ? "s'"
                    : "'s") + " zones " + callerZones + ", but was '" + region + "/" + zone + "'");
        }
        JsonNode phaseList = required(root, "phases");
        if (!phaseList.isArray() || phaseList.isEmpty()) {
            throw new BadScenarioException("phases must be a non-empty list");
        }
        List<Scenario.Phase> phases = new ArrayList<>();
        for (int i = 0; i < phaseList.size(); i++) {
            phases.add(phase(phaseList.get(i), "phases[" + i + "]", phaseDuration, targets));
        }
        return new Scenario(region, zone, regions, zoneSizes, rate, threads, phases, callerPolicy, upstreams,
                callers(root.get("callers")));
    }

    /**
     * The upstream services: one {@code upstream} section (the service {@value Scenario#DEFAULT_SERVICE});
     * {@code upstreams: [a, b]} with one {@code upstream} section that each of them follows; or
     * {@code upstreams: {a: {topology}, b: {topology}}}, each with its own.
     */
    private static List<Scenario.Upstream> upstreams(JsonNode root) {
        JsonNode names = root.get("upstreams");
        if (names == null || names.isNull()) {
            List<String> regions = regions(required(root, "upstream"), "upstream.");
            return List.of(new Scenario.Upstream(Scenario.DEFAULT_SERVICE, regions,
                    zones(root.get("upstream"), regions, "upstream.")));
        }
        List<Scenario.Upstream> upstreams = new ArrayList<>();
        if (names.isArray() && !names.isEmpty()) {
            JsonNode shared = required(root, "upstream");
            List<String> regions = regions(shared, "upstream.");
            Map<String, Integer> zones = zones(shared, regions, "upstream.");
            for (int i = 0; i < names.size(); i++) {
                upstreams.add(new Scenario.Upstream(service(names.get(i).asString(""), "upstreams[" + i + "]",
                        upstreams), regions, zones));
            }
        } else if (names.isObject() && !names.isEmpty()) {
            if (root.has("upstream")) {
                throw new BadScenarioException("upstream cannot be combined with upstreams as a mapping, which gives"
                        + " every service its own topology");
            }
            for (Map.Entry<String, JsonNode> e : names.properties()) {
                String path = "upstreams." + e.getKey();
                String name = service(e.getKey(), path, upstreams);
                if (!e.getValue().isObject()) {
                    throw new BadScenarioException(path + " must be a topology mapping (regions, zones...), but was "
                            + e.getValue());
                }
                List<String> regions = regions(e.getValue(), path + ".");
                upstreams.add(new Scenario.Upstream(name, regions, zones(e.getValue(), regions, path + ".")));
            }
        } else {
            throw new BadScenarioException("upstreams must be a non-empty list of service names or a mapping of"
                    + " service names to topologies, but was " + names);
        }
        return upstreams;
    }

    private static String service(String name, String path, List<Scenario.Upstream> before) {
        if (!CallerApplication.SERVICES.contains(name) || before.stream().anyMatch(u -> u.name().equals(name))) {
            throw new BadScenarioException(path + " must be a service the drill's caller calls, once: one of "
                    + CallerApplication.SERVICES + ", but was '" + name + "'");
        }
        return name;
    }

    private static List<String> regions(JsonNode topology, String prefix) {
        allowOnly(topology, prefix, "regions", "zones-per-region", "instances-per-zone", "zones");
        List<String> regions = new ArrayList<>();
        JsonNode regionList = required(topology, prefix + "regions", "regions");
        if (!regionList.isArray() || regionList.isEmpty()) {
            throw new BadScenarioException(prefix + "regions must be a non-empty list of region names");
        }
        for (int i = 0; i < regionList.size(); i++) {
            String r = regionList.get(i).asString("");
            if (!NAME.matcher(r).matches() || regions.contains(r)) {
                throw new BadScenarioException(prefix + "regions[" + i + "] must be a new lower-case name, but was '"
                        + r + "'");
            }
            regions.add(r);
        }
        return regions;
    }

    /** What an action on the service may target: its zones, regions, instances, or all. */
    private static Set<String> targets(Scenario.Upstream upstream) {
        Set<String> targets = new HashSet<>(upstream.zones());
        targets.addAll(upstream.regions());
        targets.add("all");
        upstream.zoneSizes().forEach((z, instances) -> {
            for (int i = 0; i < instances; i++) {
                targets.add(z + "-" + i);
            }
        });
        return targets;
    }

    /** {@code callers}: known names, each once, {@code meshless} among them; it runs first. */
    private static List<String> callers(JsonNode list) {
        if (list == null || list.isNull()) {
            return List.of(Scenario.CALLERS.get(0));
        }
        if (!list.isArray() || list.isEmpty()) {
            throw new BadScenarioException("callers must be a non-empty list of " + Scenario.CALLERS + ", but was "
                    + list);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String name = list.get(i).asString(String.valueOf(list.get(i)));
            if (!Scenario.CALLERS.contains(name) || names.contains(name)) {
                throw new BadScenarioException("callers[" + i + "] must be one of " + Scenario.CALLERS
                        + ", each once, but was '" + name + "'");
            }
            names.add(name);
        }
        if (!names.contains(Scenario.CALLERS.get(0))) {
            throw new BadScenarioException("callers must include meshless, whose expectations the drill checks,"
                    + " but was " + names);
        }
        return Scenario.CALLERS.stream().filter(names::contains).toList();
    }

    /** Nested mappings become dotted keys; a value must be a scalar, checked by the caller at start-up. */
    private static void flatten(JsonNode node, String prefix, String path, Map<String, String> into) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(value, key + ".", path + "." + field.getKey(), into);
            } else if (value.isValueNode() && !value.isNull()) {
                into.put(key, value.asString());
            } else {
                throw new BadScenarioException(path + "." + field.getKey() + " must be a value, but was " + value);
            }
        }
    }

    /**
     * The upstream's zones: either uniform ({@code zones-per-region}, {@code instances-per-zone}) or
     * listed with their instance counts ({@code zones: {r1-a: 1, r1-b: 4}}), each named
     * {@code <region>-<name>} after one of the regions, every region with at least one zone.
     */
    static Map<String, Integer> zones(JsonNode upstream, List<String> regions, String prefix) {
        JsonNode listed = upstream.get("zones");
        if (listed == null || listed.isNull()) {
            int zones = integer(upstream, "zones-per-region", prefix + "zones-per-region", 3, 1, 26);
            int instances = integer(upstream, "instances-per-zone", prefix + "instances-per-zone", 2, 1, 10);
            return Scenario.uniform(regions, zones, instances);
        }
        for (String uniform : List.of("zones-per-region", "instances-per-zone")) {
            if (upstream.has(uniform)) {
                throw new BadScenarioException(prefix + uniform + " cannot be combined with " + prefix + "zones,"
                        + " which gives every zone its instance count");
            }
        }
        if (!listed.isObject() || listed.isEmpty()) {
            throw new BadScenarioException(prefix + "zones must map zone names to instance counts, such as"
                    + " {r1-a: 1, r1-b: 4}");
        }
        Map<String, Integer> zones = new java.util.LinkedHashMap<>();
        Scenario naming = new Scenario("x", "x", regions, Map.of(), 1, 1, List.of());
        for (String region : regions) {
            for (Map.Entry<String, JsonNode> z : listed.properties()) {
                if (region.equals(naming.regionOf(z.getKey()))) {
                    zones.put(z.getKey(), integer(listed, z.getKey(), prefix + "zones." + z.getKey(), -1, 1, 10));
                }
            }
        }
        for (Map.Entry<String, JsonNode> z : listed.properties()) {
            String name = z.getKey();
            if (!NAME.matcher(name).matches() || naming.regionOf(name) == null) {
                throw new BadScenarioException(prefix + "zones." + name + " must be named <region>-<zone> after one of"
                        + " the regions " + regions + ", but was '" + name + "'");
            }
        }
        for (String region : regions) {
            if (zones.keySet().stream().noneMatch(z -> region.equals(naming.regionOf(z)))) {
                throw new BadScenarioException(prefix + "regions lists '" + region + "', but " + prefix + "zones has no"
                        + " zone " + region + "-...");
            }
        }
        return zones;
    }

    private static Scenario.Phase phase(JsonNode node, String path, Duration defaultDuration,
                                        Map<String, Set<String>> targets) {
        if (!node.isObject()) {
            throw new BadScenarioException(path + " must be a mapping with a name");
        }
        allowOnly(node, path + ".", "name", "duration", "actions");
        String name = required(node, path + ".name", "name").asString("");
        if (name.isBlank()) {
            throw new BadScenarioException(path + ".name must not be blank");
        }
        Duration duration = duration(node.get("duration"), path + ".duration", defaultDuration);
        List<Scenario.Action> actions = new ArrayList<>();
        JsonNode list = node.path("actions");
        if (!list.isMissingNode()) {
            if (!list.isArray()) {
                throw new BadScenarioException(path + ".actions must be a list");
            }
            for (int i = 0; i < list.size(); i++) {
                actions.add(action(list.get(i), path + ".actions[" + i + "]", targets));
            }
        }
        return new Scenario.Phase(name, duration, actions);
    }

    private static Scenario.Action action(JsonNode node, String path, Map<String, Set<String>> services) {
        if (!node.isObject()) {
            throw new BadScenarioException(path + " must be a mapping such as {refuse: r1-a}");
        }
        Scenario.Kind kind = null;
        for (Scenario.Kind k : Scenario.Kind.values()) {
            if (node.has(k.name().toLowerCase(Locale.ROOT))) {
                if (kind != null) {
                    throw new BadScenarioException(path + " must hold one action, but holds " + kind.name()
                            .toLowerCase(Locale.ROOT) + " and " + k.name().toLowerCase(Locale.ROOT));
                }
                kind = k;
            }
        }
        if (kind == null) {
            throw new BadScenarioException(path + " must be one of refuse, slow, status, capacity, heal, registry, but"
                    + " holds " + fieldNames(node));
        }
        String key = kind.name().toLowerCase(Locale.ROOT);
        String target = node.get(key).asString("");
        if (kind == Scenario.Kind.REGISTRY) {
            allowOnly(node, path + ".", key);
            if (!target.equals("down") && !target.equals("up")) {
                throw new BadScenarioException(path + ".registry must be down or up, but was '" + target + "'");
            }
            return new Scenario.Action(kind, target, null, 0);
        }
        String service = null;
        JsonNode named = node.get("service");
        if (named != null) {
            service = named.asString("");
            if (!services.containsKey(service)) {
                throw new BadScenarioException(path + ".service must be one of the upstreams " + services.keySet()
                        + ", but was '" + service + "'");
            }
        }
        Set<String> targets = services.get(service == null ? services.keySet().iterator().next() : service);
        check(path + "." + key, target, targets);
        switch (kind) {
            case SLOW:
                allowOnly(node, path + ".", key, "service", "delay");
                return new Scenario.Action(kind, target, duration(required(node, path + ".delay", "delay"),
                        path + ".delay", null), 0, service, 0, null);
            case STATUS:
                allowOnly(node, path + ".", key, "service", "code");
                int code = integer(node, "code", path + ".code", -1, 200, 599);
                return new Scenario.Action(kind, target, null, code, service, 0, null);
            case CAPACITY:
                allowOnly(node, path + ".", key, "service", "concurrency", "latency");
                int concurrency = integer(node, "concurrency", path + ".concurrency", -1, 1, 1_000);
                return new Scenario.Action(kind, target, null, 0, service, concurrency,
                        node.has("latency") ? duration(node.get("latency"), path + ".latency", null) : null);
            default:
                allowOnly(node, path + ".", key, "service");
                return new Scenario.Action(kind, target, null, 0, service, 0, null);
        }
    }

    private static void check(String path, String target, Set<String> targets) {
        if (!targets.contains(target)) {
            throw new BadScenarioException(path + " must name a zone, a region, an instance or all, but was '"
                    + target + "'");
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        return required(node, field, field);
    }

    private static JsonNode required(JsonNode node, String path, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new BadScenarioException(path + " is missing");
        }
        return value;
    }

    private static String name(JsonNode node, String path) {
        String value = required(node, path, path.substring(path.lastIndexOf('.') + 1)).asString("");
        if (!NAME.matcher(value).matches()) {
            throw new BadScenarioException(path + " must be a lower-case name, but was '" + value + "'");
        }
        return value;
    }

    private static int integer(JsonNode node, String field, String path, int defaultValue, int min, int max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (defaultValue < 0) {
                throw new BadScenarioException(path + " is missing");
            }
            return defaultValue;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < min || value.asInt() > max) {
            throw new BadScenarioException(path + " must be a whole number from " + min + " to " + max + ", but was "
                    + (value.isNumber() ? value.toString() : "'" + value.asString(value.toString()) + "'"));
        }
        return value.asInt();
    }

    private static Duration duration(JsonNode value, String path, Duration defaultValue) {
        if (value == null || value.isNull()) {
            if (defaultValue == null) {
                throw new BadScenarioException(path + " is missing");
            }
            return defaultValue;
        }
        return duration(value.asString(String.valueOf(value)), path);
    }

    /**
     * The one rule for durations in scenarios and on the command line.
     *
     * @param text such as {@code 500ms}, {@code 10s} or {@code 2m}
     * @param path the field or flag, for the message
     * @return the duration, above 0 and at most 60 minutes
     * @throws BadScenarioException naming the field and the value otherwise
     */
    static Duration duration(String text, String path) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new BadScenarioException(path + " must be a duration such as 500ms, 10s or 2m, but was '"
                    + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = m.group(2).equals("ms") ? Duration.ofMillis(n) : m.group(2).equals("s") ? Duration.ofSeconds(n)
                : Duration.ofMinutes(n);
        if (d.isZero() || d.compareTo(Duration.ofHours(1)) > 0) {
            throw new BadScenarioException(path + " must be above 0 and at most 60m, but was '" + text + "'");
        }
        return d;
    }

    private static void allowOnly(JsonNode node, String prefix, String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            String field = it.next().getKey();
            if (!ok.contains(field)) {
                throw new BadScenarioException("unknown field '" + prefix + field + "'; expected one of "
                        + String.join(", ", allowed));
            }
        }
    }

    private static String fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.properties().forEach(e -> names.add(e.getKey()));
        return names.toString();
    }
}
