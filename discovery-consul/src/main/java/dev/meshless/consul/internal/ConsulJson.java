package dev.meshless.consul.internal;

import dev.meshless.consul.ConsulException;
import dev.meshless.consul.ConsulException.Reason;
import dev.meshless.consul.ServiceInstance;
import dev.meshless.consul.SkippedEntry;
import dev.meshless.topology.HealthStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses and validates the JSON bodies of the Consul endpoints Meshless reads, in the shapes of
 * hashicorp/consul's structs (agent/structs/structs.go) as Go's {@code encoding/json} writes them: nil
 * maps as {@code null}, zero {@code omitempty} fields left out ({@code Service.Port}), tagged addresses
 * of a service as {@code {"Address","Port"}} objects.
 *
 * <p>An answer that is not what the endpoint returns at all — not JSON, the wrong top-level type, more
 * instances than allowed — is rejected whole with a {@link ConsulException}. Within a health answer,
 * each entry stands alone: one with a missing or mistyped field, a port out of range or a check status
 * Consul does not know is left out as a {@link SkippedEntry}, and the others are used.
 *
 * <p>Thread-safe.
 */
public final class ConsulJson {

    /** Shared, thread-safe mapper; also used to write request bodies and the snapshot. */
    public static final JsonMapper MAPPER = JsonMapper.builder().build();

    private ConsulJson() {
    }

    /**
     * The usable entries of a health answer and those left out.
     *
     * @param instances the instances, in answer order
     * @param skipped the entries that could not be read, with why
     */
    public record HealthEntries(List<ServiceInstance> instances, List<SkippedEntry> skipped) {
    }

    /**
     * @param body the body of {@code GET /v1/health/service/:service}
     * @param service the service asked for, for messages
     * @param datacenter the datacenter asked, for messages (null: the agent's)
     * @param maxEndpoints the most entries accepted
     * @return the instances, in answer order, and the entries left out
     * @throws ConsulException with reason MALFORMED (not a JSON array) or TOO_MANY_ENDPOINTS
     */
    public static HealthEntries healthService(byte[] body, String service, String datacenter, int maxEndpoints) {
        Where where = new Where(service, datacenter);
        JsonNode root = parse(body, where);
        if (!root.isArray()) {
            throw where.malformed("the body must be a JSON array, but is " + root.getNodeType());
        }
        if (root.size() > maxEndpoints) {
            throw new ConsulException(service, datacenter, Reason.TOO_MANY_ENDPOINTS, 0, where + ": the answer lists "
                    + root.size() + " instances, more than maxEndpoints (" + maxEndpoints + ")", null);
        }
        List<ServiceInstance> instances = new ArrayList<>(root.size());
        List<SkippedEntry> skipped = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode e = root.get(i);
            try {
                instances.add(entry(e));
            } catch (Unusable u) {
                skipped.add(new SkippedEntry(name(e, i), u.reason, u.getMessage()));
            }
        }
        return new HealthEntries(instances, skipped);
    }

    /**
     * @param body the body of {@code GET /v1/agent/self}
     * @return {@code Config.Datacenter}: the agent's own datacenter
     * @throws ConsulException with reason MALFORMED
     */
    public static String agentDatacenter(byte[] body) {
        Where where = new Where(null, null);
        JsonNode dc = parse(body, where).path("Config").path("Datacenter");
        if (!dc.isString() || dc.stringValue().isBlank()) {
            throw where.malformed("Config.Datacenter must be a non-blank string, but is " + dc);
        }
        return dc.stringValue();
    }

    /**
     * @param body the body of {@code GET /v1/catalog/datacenters}
     * @return the datacenter names
     * @throws ConsulException with reason MALFORMED
     */
    public static List<String> datacenters(byte[] body) {
        Where where = new Where(null, null);
        JsonNode root = parse(body, where);
        if (!root.isArray()) {
            throw where.malformed("the datacenter list must be a JSON array, but is " + root.getNodeType());
        }
        List<String> names = new ArrayList<>(root.size());
        for (JsonNode n : root) {
            if (!n.isString() || n.stringValue().isBlank()) {
                throw where.malformed("the datacenter list must hold non-blank names, but has " + n);
            }
            names.add(n.stringValue());
        }
        return names;
    }

    /**
     * @param body the body of {@code GET /v1/catalog/services}
     * @param datacenter the datacenter asked, for messages
     * @return service name → tags
     * @throws ConsulException with reason MALFORMED
     */
    public static Map<String, List<String>> services(byte[] body, String datacenter) {
        Where where = new Where(null, datacenter);
        JsonNode root = parse(body, where);
        if (!root.isObject()) {
            throw where.malformed("the service list must be a JSON object, but is " + root.getNodeType());
        }
        Map<String, List<String>> services = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            try {
                services.put(e.getKey(), strings(e.getValue(), e.getKey()));
            } catch (Unusable u) {
                throw where.malformed(u.getMessage());
            }
        }
        return services;
    }

    private static JsonNode parse(byte[] body, Where where) {
        try {
            JsonNode root = MAPPER.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw where.malformed("the body is empty");
            }
            return root;
        } catch (JacksonException e) {
            throw where.malformed("the body is not valid JSON: " + Redaction.excerpt(e.getOriginalMessage(), 200));
        }
    }

    /** How an entry is named in messages: {@code <Node.Node>/<Service.ID>}, else its position. */
    private static String name(JsonNode entry, int index) {
        JsonNode node = entry.path("Node").path("Node");
        JsonNode id = entry.path("Service").path("ID");
        return node.isString() && id.isString() ? node.stringValue() + "/" + id.stringValue() : "entry #" + index;
    }

    private static ServiceInstance entry(JsonNode entry) {
        if (!entry.isObject()) {
            throw new Unusable(SkippedEntry.MALFORMED, "the entry must be an object, but is " + entry.getNodeType());
        }
        JsonNode node = object(entry, "Node", "", true);
        JsonNode svc = object(entry, "Service", "", true);
        JsonNode weights = object(svc, "Weights", "Service.", false);
        JsonNode locality = object(svc, "Locality", "Service.", false);
        JsonNode nodeLocality = object(node, "Locality", "Node.", false);
        boolean[] maintenance = new boolean[1];
        HealthStatus health = health(entry.get("Checks"), maintenance);
        return new ServiceInstance(
                text(node, "Node", "Node.", true),
                text(node, "Address", "Node.", false),
                stringMap(node.get("Meta"), "Node.Meta"),
                text(svc, "ID", "Service.", true),
                text(svc, "Service", "Service.", true),
                text(svc, "Address", "Service.", false),
                port(svc.get("Port"), "Service.Port"),
                strings(svc.get("Tags"), "Service.Tags"),
                stringMap(svc.get("Meta"), "Service.Meta"),
                weight(weights, "Passing"),
                weight(weights, "Warning"),
                locality == null ? null : blankToNull(text(locality, "Region", "Service.Locality.", false)),
                locality == null ? null : blankToNull(text(locality, "Zone", "Service.Locality.", false)),
                health,
                maintenance[0],
                stringMap(node.get("TaggedAddresses"), "Node.TaggedAddresses"),
                taggedAddresses(svc.get("TaggedAddresses")),
                nodeLocality == null ? null : blankToNull(text(nodeLocality, "Region", "Node.Locality.", false)),
                nodeLocality == null ? null : blankToNull(text(nodeLocality, "Zone", "Node.Locality.", false)),
                blankToNull(text(svc, "PeerName", "Service.", false)),
                blankToNull(text(svc, "Namespace", "Service.", false)),
                blankToNull(text(svc, "Partition", "Service.", false)));
    }

    /** api.HealthChecks.AggregatedStatus (api/health.go): maintenance > critical > warning > passing. */
    private static HealthStatus health(JsonNode checks, boolean[] maintenance) {
        if (checks == null || checks.isNull()) {
            return HealthStatus.PASSING;
        }
        if (!checks.isArray()) {
            throw new Unusable(SkippedEntry.MALFORMED, "Checks must be an array, but is " + checks.getNodeType());
        }
        HealthStatus worst = HealthStatus.PASSING;
        for (JsonNode check : checks) {
            if (!check.isObject()) {
                throw new Unusable(SkippedEntry.MALFORMED, "Checks must hold objects, but has " + check.getNodeType());
            }
            String checkId = text(check, "CheckID", "Checks[].", true);
            String status = text(check, "Status", "Checks[].", false);
            HealthStatus s;
            if (checkId.equals("_node_maintenance") || checkId.startsWith("_service_maintenance:")
                    || status.equals("maintenance")) {
                maintenance[0] = true;
                s = HealthStatus.CRITICAL;
            } else {
                try {
                    s = HealthStatus.parse("Checks.Status", status);
                } catch (IllegalArgumentException e) {
                    throw new Unusable(SkippedEntry.UNKNOWN_CHECK_STATUS, "check '" + checkId + "' has status '"
                            + status + "', not passing, warning or critical");
                }
            }
            if (s.ordinal() > worst.ordinal()) {
                worst = s;
            }
        }
        return worst;
    }

    /** A missing or null port is 0 (Go leaves a zero {@code Port} out); anything else must be 1 to 65535. */
    private static int port(JsonNode p, String field) {
        if (p == null || p.isNull()) {
            return 0;
        }
        if (!p.isIntegralNumber() || !p.canConvertToInt() || p.intValue() < 0 || p.intValue() > 65535) {
            throw new Unusable(SkippedEntry.BAD_PORT, field + " must be a number from 1 to 65535, but is " + p);
        }
        return p.intValue();
    }

    /** A missing {@code Weights} is {1, 1}, as structs.NodeService.ToServiceNode defaults it. */
    private static int weight(JsonNode weights, String field) {
        if (weights == null) {
            return 1;
        }
        JsonNode w = weights.get(field);
        if (w == null || w.isNull()) {
            return 1;
        }
        if (!w.isIntegralNumber() || !w.canConvertToInt() || w.intValue() < 0) {
            throw new Unusable(SkippedEntry.MALFORMED, "Service.Weights." + field + " must be a number of at least 0,"
                    + " but is " + w);
        }
        return w.intValue();
    }

    /** {@code map[string]structs.ServiceAddress}: each value an {@code {"Address","Port"}} object. */
    private static Map<String, ServiceInstance.TaggedAddress> taggedAddresses(JsonNode n) {
        if (n == null || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw new Unusable(SkippedEntry.MALFORMED, "Service.TaggedAddresses must be an object, but is "
                    + n.getNodeType());
        }
        Map<String, ServiceInstance.TaggedAddress> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            String field = "Service.TaggedAddresses." + e.getKey();
            if (!e.getValue().isObject()) {
                throw new Unusable(SkippedEntry.MALFORMED, field + " must be an object, but is "
                        + e.getValue().getNodeType());
            }
            int port = e.getValue().get("Port") == null || e.getValue().get("Port").isNull() ? 0
                    : port(e.getValue().get("Port"), field + ".Port");
            map.put(e.getKey(), new ServiceInstance.TaggedAddress(text(e.getValue(), "Address", field + ".", false),
                    port));
        }
        return map;
    }

    private static JsonNode object(JsonNode parent, String field, String prefix, boolean required) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new Unusable(SkippedEntry.MALFORMED, prefix + field + " is missing");
            }
            return null;
        }
        if (!n.isObject()) {
            throw new Unusable(SkippedEntry.MALFORMED, prefix + field + " must be an object, but is "
                    + n.getNodeType());
        }
        return n;
    }

    private static String text(JsonNode parent, String field, String prefix, boolean required) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new Unusable(SkippedEntry.MALFORMED, prefix + field + " is missing");
            }
            return "";
        }
        if (!n.isString()) {
            throw new Unusable(SkippedEntry.MALFORMED, prefix + field + " must be a string, but is " + n.getNodeType());
        }
        if (required && n.stringValue().isBlank()) {
            throw new Unusable(SkippedEntry.MALFORMED, prefix + field + " must not be blank");
        }
        return n.stringValue();
    }

    private static Map<String, String> stringMap(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw new Unusable(SkippedEntry.MALFORMED, field + " must be an object, but is " + n.getNodeType());
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!e.getValue().isString()) {
                throw new Unusable(SkippedEntry.MALFORMED, field + "." + e.getKey() + " must be a string, but is "
                        + e.getValue().getNodeType());
            }
            map.put(e.getKey(), e.getValue().stringValue());
        }
        return map;
    }

    private static List<String> strings(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new Unusable(SkippedEntry.MALFORMED, field + " must be an array, but is " + n.getNodeType());
        }
        List<String> list = new ArrayList<>(n.size());
        for (JsonNode v : n) {
            if (!v.isString()) {
                throw new Unusable(SkippedEntry.MALFORMED, field + " must hold strings, but has " + v.getNodeType());
            }
            list.add(v.stringValue());
        }
        return list;
    }

    /** One entry cannot be used; carries the skip reason. Cheap: no stack trace. */
    private static final class Unusable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        Unusable(String reason, String problem) {
            super(problem, null, false, false);
            this.reason = reason;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Which answer a problem was found in, for messages. */
    private record Where(String service, String datacenter) {

        ConsulException malformed(String problem) {
            return new ConsulException(service, datacenter, Reason.MALFORMED, 0, this + ": " + problem, null);
        }

        @Override
        public String toString() {
            String dc = datacenter == null ? "the agent's datacenter" : "datacenter '" + datacenter + "'";
            return service == null ? "Consul answer from " + dc
                    : "Consul answer for service '" + service + "' in " + dc;
        }
    }
}
