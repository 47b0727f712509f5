package dev.meshless.consul.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.Predicate;

/**
 * Renders simulator state in the shapes real agents send: Go's {@code encoding/json} of the structs in
 * hashicorp/consul's {@code agent/structs/structs.go} ({@code CheckServiceNode} → {@code Node},
 * {@code NodeService}, {@code HealthCheck}), field by field in struct order, with Go's rules: a nil map
 * is {@code null}, an {@code omitempty} field with its zero value is left out (a port of 0, an empty
 * {@code TaggedAddresses}, {@code Locality}), a tagged address of a service is a
 * {@code {"Address","Port"}} object while a node's is a string. The health endpoint itself
 * ({@code agent/health_endpoint.go}, {@code healthServiceNodes}) turns nil {@code Checks},
 * {@code Service.Tags} and {@code ServiceTags} into empty lists. Consul CE has no {@code Namespace} or
 * {@code Partition} fields ({@code acl.EnterpriseMeta} is empty there); they are written only for the
 * instances a test put in a namespace or partition. The fixtures under
 * {@code src/test/resources/consul-api/} hold the same shapes; {@code SimulatorFidelityTest} compares them.
 *
 * <p>It also evaluates the subset of the filter language the simulator supports:
 * {@code Service.Meta.<key> == "v"} / {@code != "v"} and {@code Node.Meta.<key> == "v"}, joined by {@code and}.
 */
final class SimJson {

    private static final Pattern CLAUSE = Pattern.compile(
            "\\s*(Service|Node)\\.Meta\\.([A-Za-z0-9_.-]+)\\s*(==|!=)\\s*\"([^\"]*)\"\\s*");

    private SimJson() {
    }

    static Map<String, Object> entry(SimDatacenter dc, SimDatacenter.Entry e) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("Node", node(dc, e.node()));
        entry.put("Service", service(dc, e.service()));
        List<Object> checks = new ArrayList<>();
        for (SimDatacenter.Check c : e.checks()) {
            checks.add(check(dc, c, e.service()));
        }
        entry.put("Checks", checks);
        return entry;
    }

    /** {@code structs.Node}: ID, Node, Address, Datacenter, Partition, PeerName, TaggedAddresses, Meta, Locality, RaftIndex. */
    private static Map<String, Object> node(SimDatacenter dc, SimDatacenter.Node n) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("ID", "40e4a748-2192-161a-0510-" + String.format("%012x", Math.abs((long) n.name().hashCode())));
        node.put("Node", n.name());
        node.put("Address", n.address());
        node.put("Datacenter", dc.name());
        putIfSet(node, "Partition", n.partition());
        putIfSet(node, "PeerName", dc.peer());
        node.put("TaggedAddresses", nullIfEmpty(n.taggedAddresses()));
        node.put("Meta", nullIfEmpty(n.meta()));
        putIfSet(node, "Locality", locality(n.localityRegion(), n.localityZone()));
        node.put("CreateIndex", n.createIndex());
        node.put("ModifyIndex", n.createIndex());
        return node;
    }

    /**
     * {@code structs.NodeService}: Kind (omitempty), ID, Service, Tags, Address, TaggedAddresses (omitempty),
     * Meta, Port (omitempty), SocketPath (omitempty), Weights, EnableTagOverride, Locality (omitempty),
     * Proxy ({@code ConnectProxyConfig}: for a typical service Mode, MeshGateway and Expose), Connect,
     * PeerName, then Consul Enterprise's Namespace and Partition, and the raft indexes.
     */
    private static Map<String, Object> service(SimDatacenter dc, SimDatacenter.Service s) {
        Map<String, Object> svc = new LinkedHashMap<>();
        svc.put("ID", s.id());
        svc.put("Service", s.name());
        svc.put("Tags", s.tags());
        svc.put("Address", s.address());
        if (!s.taggedAddresses().isEmpty()) {
            Map<String, Object> tagged = new LinkedHashMap<>();
            s.taggedAddresses().forEach((k, v) -> tagged.put(k, Map.of("Address", v.address(), "Port", v.port())));
            svc.put("TaggedAddresses", tagged);
        }
        svc.put("Meta", nullIfEmpty(s.meta()));
        if (s.port() != 0) {
            svc.put("Port", s.port());
        }
        Map<String, Object> weights = new LinkedHashMap<>();
        weights.put("Passing", s.weightPassing());
        weights.put("Warning", s.weightWarning());
        svc.put("Weights", weights);
        svc.put("EnableTagOverride", false);
        putIfSet(svc, "Locality", locality(s.localityRegion(), s.localityZone()));
        Map<String, Object> proxy = new LinkedHashMap<>();
        proxy.put("Mode", "");
        proxy.put("MeshGateway", Map.of());
        proxy.put("Expose", Map.of());
        svc.put("Proxy", proxy);
        svc.put("Connect", Map.of());
        svc.put("PeerName", dc.peer() == null ? "" : dc.peer());
        putIfSet(svc, "Namespace", s.namespace());
        putIfSet(svc, "Partition", s.partition());
        svc.put("CreateIndex", s.createIndex());
        svc.put("ModifyIndex", s.modifyIndex());
        return svc;
    }

    /**
     * {@code structs.HealthCheck}: Node, CheckID, Name, Status, Notes, Output, ServiceID, ServiceName,
     * ServiceTags, Type, Interval, Timeout, ExposedPort, PeerName (omitempty), Definition
     * ({@code HealthCheckDefinition}, its durations as Go duration strings), raft indexes.
     */
    private static Map<String, Object> check(SimDatacenter dc, SimDatacenter.Check c, SimDatacenter.Service s) {
        boolean http = c.definition().containsKey("HTTP");
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("Node", c.node());
        check.put("CheckID", c.checkId());
        check.put("Name", c.name());
        check.put("Status", c.status());
        check.put("Notes", "");
        check.put("Output", c.output());
        check.put("ServiceID", c.serviceId());
        check.put("ServiceName", c.serviceId().isEmpty() ? "" : s.name());
        check.put("ServiceTags", c.serviceId().isEmpty() ? List.of() : s.tags());
        check.put("Type", c.ttl() != null ? "ttl" : http ? "http" : "");
        check.put("Interval", http ? c.definition().get("Interval") : "");
        check.put("Timeout", http ? c.definition().getOrDefault("Timeout", "") : "");
        check.put("ExposedPort", 0);
        putIfSet(check, "PeerName", dc.peer());
        Map<String, Object> definition = new LinkedHashMap<>();
        if (http) {
            definition.put("HTTP", c.definition().get("HTTP"));
            definition.put("Interval", c.definition().get("Interval"));
            putIfSet(definition, "Timeout", c.definition().get("Timeout"));
        }
        check.put("Definition", definition);
        check.put("CreateIndex", c.createIndex());
        check.put("ModifyIndex", c.modifyIndex());
        return check;
    }

    /** {@code structs.Locality}: Region and Zone, both omitempty; null (left out) when neither is set. */
    private static Map<String, Object> locality(String region, String zone) {
        if (region == null && zone == null) {
            return null;
        }
        Map<String, Object> locality = new LinkedHashMap<>();
        putIfSet(locality, "Region", region);
        putIfSet(locality, "Zone", zone);
        return locality;
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null && !"".equals(value)) {
            map.put(key, value);
        }
    }

    private static Object nullIfEmpty(Map<String, ?> map) {
        return map == null || map.isEmpty() ? null : map;
    }

    /**
     * @param expression a filter expression, or null
     * @return the predicate it stands for
     * @throws IllegalArgumentException when the simulator does not support the expression
     */
    static Predicate<SimDatacenter.Entry> filter(String expression) {
        if (expression == null || expression.isBlank()) {
            return e -> true;
        }
        Predicate<SimDatacenter.Entry> all = e -> true;
        for (String clause : expression.split("\\band\\b")) {
            Matcher m = CLAUSE.matcher(clause);
            if (!m.matches()) {
                throw new IllegalArgumentException("Failed to create boolexpr evaluator for expression \""
                        + expression + "\": unsupported by the simulator");
            }
            boolean service = m.group(1).equals("Service");
            String key = m.group(2);
            boolean equal = m.group(3).equals("==");
            String value = m.group(4);
            Predicate<SimDatacenter.Entry> p = e -> value.equals(
                    (service ? e.service().meta() : e.node().meta()).get(key)) == equal;
            all = all.and(p);
        }
        return all;
    }

    /** {@code passing}: only instances whose checks all pass. */
    static boolean passing(SimDatacenter.Entry e) {
        return e.checks().stream().allMatch(c -> c.status().equals("passing"));
    }
}
