package dev.meshless.whatif;

import static dev.meshless.whatif.Fields.index;
import static dev.meshless.whatif.Fields.path;

import dev.meshless.balancer.EndpointStrategy;
import dev.meshless.balancer.LoadBalancingPolicy;
import dev.meshless.balancer.LoadBalancingSpec;
import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Percent;
import dev.meshless.config.Specs;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import dev.meshless.topology.Locality;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Turns a parsed topology document into a {@link Topology}, walking the tree field by field so that
 * every error names the exact path and value, and rejecting fields it does not know (a typo must
 * not silently fall back to a default). Checks run in document order and stop at the first error.
 */
final class TopologyParser {

    private static final List<String> TOP_LEVEL =
            List.of("caller", "policy", "callers", "endpoints", "upstream", "unavailableZones", "picks");
    /** The failover drill's topology section ({@code samples/failover-demo}), by the same names. */
    private static final List<String> UPSTREAM = List.of("regions", "zones-per-region", "instances-per-zone", "zones");
    private static final int MAX_ZONES_PER_REGION = 26;
    private static final int MAX_INSTANCES_PER_ZONE = 1_000;
    private static final List<String> LOCALITY = List.of("region", "zone");
    private static final List<String> CALLER_GROUP = List.of("region", "zone", "count");
    private static final List<String> ENDPOINT = List.of("id", "region", "zone", "weight", "health", "ejected");
    /** The policy takes the settings of core's specification, by the same names. */
    private static final List<String> POLICY = List.copyOf(Specs.settings(LoadBalancingSpec.class).keySet());

    private TopologyParser() {
    }

    /**
     * @param root the document's root node; a missing node for an empty document
     * @return the validated topology, defaults applied
     * @throws InputException naming the first bad field and its value
     */
    static Topology parse(JsonNode root) throws InputException {
        Fields.requireObject(root, "");
        Fields.requireKnown(root, "", TOP_LEVEL);
        Locality caller = locality(root.get("caller"), "caller");
        LoadBalancingPolicy policy = policy(Fields.optional(root, "policy"));
        List<Topology.CallerGroup> callers = callers(Fields.optional(root, "callers"));
        JsonNode upstream = Fields.optional(root, "upstream");
        if (upstream != null && Fields.optional(root, "endpoints") != null) {
            throw new InputException("endpoints and upstream cannot both be given: list the endpoints, or describe"
                    + " the upstream as the failover drill does");
        }
        List<Topology.EndpointSpec> endpoints = upstream != null ? upstream(upstream)
                : endpoints(root.get("endpoints"));
        List<Locality> unavailable = new ArrayList<>();
        JsonNode zones = Fields.optional(root, "unavailableZones");
        for (JsonNode zone : array(zones, "unavailableZones")) {
            unavailable.add(locality(zone, index("unavailableZones", unavailable.size())));
        }
        JsonNode picksNode = Fields.optional(root, "picks");
        int picks = picksNode == null ? Topology.DEFAULT_PICKS
                : (int) Fields.wholeNumber(picksNode, "picks", 0, Topology.MAX_PICKS);
        return new Topology(caller, policy, callers, endpoints, unavailable, picks);
    }

    private static Locality locality(JsonNode node, String path) throws InputException {
        Fields.requireObject(node, path);
        Fields.requireKnown(node, path, LOCALITY);
        return Locality.of(Fields.name(node, path, "region"), Fields.name(node, path, "zone"));
    }

    /** @return the elements of an optional array; none when absent */
    private static Iterable<JsonNode> array(JsonNode node, String path) throws InputException {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InputException(path + " must be an array, but was " + Fields.describe(node));
        }
        return node.values();
    }

    private static List<Topology.CallerGroup> callers(JsonNode node) throws InputException {
        if (node == null) {
            return null;
        }
        List<Topology.CallerGroup> groups = new ArrayList<>();
        for (JsonNode group : array(node, "callers")) {
            String path = index("callers", groups.size());
            Fields.requireObject(group, path);
            Fields.requireKnown(group, path, CALLER_GROUP);
            Locality zone = Locality.of(Fields.name(group, path, "region"), Fields.name(group, path, "zone"));
            int count = (int) Fields.wholeNumber(group.get("count"), path(path, "count"), 1,
                    Topology.MAX_CALLER_COUNT);
            groups.add(new Topology.CallerGroup(zone, count));
        }
        return groups;
    }

    private static List<Topology.EndpointSpec> endpoints(JsonNode node) throws InputException {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new InputException("endpoints must be a non-empty array, but was " + Fields.describe(node));
        }
        List<Topology.EndpointSpec> endpoints = new ArrayList<>();
        Map<String, Integer> firstIndexOfId = new HashMap<>();
        for (JsonNode e : node.values()) {
            int i = endpoints.size();
            String path = index("endpoints", i);
            Fields.requireObject(e, path);
            Fields.requireKnown(e, path, ENDPOINT);
            String id = Fields.name(e, path, "id");
            Integer first = firstIndexOfId.putIfAbsent(id, i);
            if (first != null) {
                throw new InputException(path(path, "id") + " must be unique, but was " + Fields.quote(id)
                        + ", the id of " + index("endpoints", first));
            }
            Locality zone = Locality.of(Fields.name(e, path, "region"), Fields.name(e, path, "zone"));
            JsonNode weightNode = Fields.optional(e, "weight");
            int weight = weightNode == null ? 1
                    : (int) Fields.wholeNumber(weightNode, path(path, "weight"), 1, Endpoint.MAX_WEIGHT);
            HealthStatus health = health(Fields.optional(e, "health"), path(path, "health"));
            boolean ejected = Fields.optionalBoolean(e, path, "ejected", false);
            endpoints.add(new Topology.EndpointSpec(id, zone, weight, health, ejected));
        }
        return endpoints;
    }

    /**
     * The failover drill's {@code upstream} section: {@code regions} and either
     * {@code zones-per-region} and {@code instances-per-zone} (zones {@code <region>-a}, {@code -b} …)
     * or {@code zones}, each zone ({@code <region>-<name>}) with its instance count. Instances are
     * {@code <zone>-0}, {@code -1} …, passing, weight 1, as the drill starts them.
     */
    private static List<Topology.EndpointSpec> upstream(JsonNode node) throws InputException {
        Fields.requireObject(node, "upstream");
        Fields.requireKnown(node, "upstream", UPSTREAM);
        JsonNode regionList = node.get("regions");
        if (regionList == null || !regionList.isArray() || regionList.isEmpty()) {
            throw new InputException("upstream.regions must be a non-empty array of region names, but was "
                    + Fields.describe(regionList));
        }
        List<String> regions = new ArrayList<>();
        for (JsonNode r : regionList.values()) {
            String path = index("upstream.regions", regions.size());
            if (!r.isString() || r.stringValue().isBlank() || regions.contains(r.stringValue())) {
                throw new InputException(path + " must be a new, non-blank region name, but was " + Fields.describe(r));
            }
            regions.add(r.stringValue());
        }
        Map<String, Integer> zones = new java.util.LinkedHashMap<>();
        JsonNode listed = Fields.optional(node, "zones");
        if (listed == null) {
            JsonNode perRegion = Fields.optional(node, "zones-per-region");
            JsonNode perZone = Fields.optional(node, "instances-per-zone");
            int zoneCount = perRegion == null ? 3
                    : (int) Fields.wholeNumber(perRegion, "upstream.zones-per-region", 1, MAX_ZONES_PER_REGION);
            int instances = perZone == null ? 2
                    : (int) Fields.wholeNumber(perZone, "upstream.instances-per-zone", 1, MAX_INSTANCES_PER_ZONE);
            for (String r : regions) {
                for (int i = 0; i < zoneCount; i++) {
                    zones.put(r + "-" + (char) ('a' + i), instances);
                }
            }
        } else {
            for (String uniform : List.of("zones-per-region", "instances-per-zone")) {
                if (Fields.optional(node, uniform) != null) {
                    throw new InputException("upstream." + uniform + " cannot be combined with upstream.zones, which"
                            + " gives every zone its instance count");
                }
            }
            Fields.requireObject(listed, "upstream.zones");
            for (Map.Entry<String, JsonNode> z : listed.properties()) {
                String path = path("upstream.zones", z.getKey());
                if (regionOf(z.getKey(), regions) == null) {
                    throw new InputException(path + " must be named <region>-<zone> after one of the regions "
                            + regions + ", but was " + Fields.quote(z.getKey()));
                }
                zones.put(z.getKey(), (int) Fields.wholeNumber(z.getValue(), path, 1, MAX_INSTANCES_PER_ZONE));
            }
        }
        List<Topology.EndpointSpec> endpoints = new ArrayList<>();
        for (Map.Entry<String, Integer> z : zones.entrySet()) {
            Locality zone = Locality.of(regionOf(z.getKey(), regions), z.getKey());
            for (int i = 0; i < z.getValue(); i++) {
                endpoints.add(new Topology.EndpointSpec(z.getKey() + "-" + i, zone, 1, HealthStatus.PASSING, false));
            }
        }
        return endpoints;
    }

    /** @return the listed region a zone's name starts with ({@code <region>-}), the longest, or null */
    private static String regionOf(String zone, List<String> regions) {
        String best = null;
        for (String r : regions) {
            if (zone.startsWith(r + "-") && zone.length() > r.length() + 1
                    && (best == null || r.length() > best.length())) {
                best = r;
            }
        }
        return best;
    }

    private static HealthStatus health(JsonNode node, String path) throws InputException {
        if (node == null) {
            return HealthStatus.PASSING;
        }
        try {
            if (node.isString()) {
                return HealthStatus.parse(path, node.stringValue());
            }
        } catch (IllegalArgumentException notAStatus) {
            // Reported below, with the value escaped onto one line.
        }
        throw new InputException(path + " must be one of passing, warning, critical, but was " + Fields.describe(node));
    }

    private static LoadBalancingPolicy policy(JsonNode node) throws InputException {
        LoadBalancingSpec spec = new LoadBalancingSpec();
        if (node != null) {
            Fields.requireObject(node, "policy");
            Fields.requireKnown(node, "policy", POLICY);
            // Every setting of core's specification, by its name and type; only the JSON types are
            // checked here: core checks the values and names the setting.
            Map<String, Class<?>> settings = Specs.settings(LoadBalancingSpec.class);
            for (String name : POLICY) {
                JsonNode v = Fields.optional(node, name);
                if (v != null) {
                    Specs.set(spec, name, value(v, settings.get(name), "policy." + name));
                }
            }
        }
        try {
            return spec.toPolicy();
        } catch (InvalidConfigurationException e) {
            throw new InputException("policy." + e.getMessage());
        }
    }

    /** A policy setting's JSON value as its specification's type. */
    private static Object value(JsonNode v, Class<?> type, String path) throws InputException {
        if (type == Double.class) {
            return Fields.number(v, path);
        }
        if (type == Percent.class) {
            return percent(v, path);
        }
        if (type == Boolean.class) {
            if (!v.isBoolean()) {
                throw new InputException(path + " must be true or false, but was " + Fields.describe(v));
            }
            return v.booleanValue();
        }
        if (type == Integer.class) {
            BigInteger n = Fields.integral(v);
            if (n == null || n.bitLength() > 31) {
                throw new InputException(path + " must be a whole number between 1 and " + Integer.MAX_VALUE
                        + ", but was " + Fields.describe(v));
            }
            return n.intValue();
        }
        if (type == List.class) {
            return regionOrder(v);
        }
        if (type == EndpointStrategy.class) {
            return strategy(v);
        }
        throw new IllegalStateException("the what-if simulator cannot read a " + type.getSimpleName() + " yet ("
                + path + "): teach TopologyParser.value");
    }

    /** @return {@code 50}, {@code 12.5} or {@code "50%"} as a percentage */
    private static Percent percent(JsonNode node, String path) throws InputException {
        try {
            if (node.isNumber()) {
                return Percent.of(node.doubleValue());
            }
            if (node.isString()) {
                return Percent.valueOf(node.stringValue());
            }
        } catch (IllegalArgumentException notAPercentage) {
            // Reported below, with the value escaped onto one line.
        }
        throw new InputException(path + " must be a percentage such as 50 or \"50%\", but was " + Fields.describe(node));
    }

    private static List<String> regionOrder(JsonNode node) throws InputException {
        List<String> regions = new ArrayList<>();
        for (JsonNode region : array(node, "policy.regionOrder")) {
            if (!region.isString()) {
                throw new InputException(index("policy.regionOrder", regions.size())
                        + " must be a non-blank region name, but was " + Fields.describe(region));
            }
            regions.add(region.stringValue());
        }
        return regions;
    }

    /** @return the strategy named {@code least-request}, {@code weighted-round-robin} or {@code random} */
    static EndpointStrategy strategy(JsonNode node) throws InputException {
        List<String> names = new ArrayList<>();
        for (EndpointStrategy s : EndpointStrategy.values()) {
            String name = label(s);
            if (node.isString() && node.stringValue().trim().equalsIgnoreCase(name)) {
                return s;
            }
            names.add(name);
        }
        throw new InputException("policy.endpointStrategy must be one of " + String.join(", ", names)
                + ", but was " + Fields.describe(node));
    }

    /** @return the name the file uses for a strategy, such as {@code least-request} */
    static String label(EndpointStrategy strategy) {
        return strategy.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
