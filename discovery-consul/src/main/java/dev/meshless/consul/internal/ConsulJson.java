package dev.meshless.consul.internal;

import dev.meshless.consul.ConsulException;
import dev.meshless.consul.ConsulException.Reason;
import dev.meshless.consul.ServiceInstance;
import dev.meshless.topology.HealthStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses and validates the JSON bodies of the Consul endpoints Meshless reads, following the shapes
 * in Consul's API documentation. Anything that does not fit — bad syntax, a missing or mistyped
 * field, a port out of range, an unknown check status, too many instances — rejects the whole answer
 * with a {@link ConsulException} that names the service, the datacenter and the offending entry.
 *
 * <p>Thread-safe.
 */
public final class ConsulJson {

    /** Shared, thread-safe mapper; also used to write request bodies and the snapshot. */
    public static final JsonMapper MAPPER = JsonMapper.builder().build();

    private ConsulJson() {
    }

    /**
     * @param body the body of {@code GET /v1/health/service/:service}
     * @param service the service asked for, for messages
     * @param datacenter the datacenter asked, for messages (null: the agent's)
     * @param maxEndpoints the most entries accepted
     * @return the instances, in answer order
     * @throws ConsulException with reason MALFORMED or TOO_MANY_ENDPOINTS
     */
    public static List<ServiceInstance> healthService(byte[] body, String service, String datacenter,
            int maxEndpoints) {
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
        for (int i = 0; i < root.size(); i++) {
            instances.add(entry(root.get(i), where.at(i)));
        }
        return instances;
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
            services.put(e.getKey(), strings(e.getValue(), where.field(e.getKey())));
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

    private static ServiceInstance entry(JsonNode entry, Where where) {
        JsonNode node = object(entry, "Node", where, true);
        JsonNode svc = object(entry, "Service", where, true);
        String id = text(svc, "ID", where.field("Service"), true);
        String port = "Service.Port";
        JsonNode p = svc.get("Port");
        if (p == null || !p.isIntegralNumber()) {
            throw where.malformed(port + " must be a number, but is " + p);
        }
        if (!p.canConvertToInt() || p.intValue() < 1 || p.intValue() > 65535) {
            throw where.malformed(port + " of instance '" + id + "' must be between 1 and 65535, but is " + p);
        }
        JsonNode weights = object(svc, "Weights", where.field("Service"), false);
        JsonNode locality = object(svc, "Locality", where.field("Service"), false);
        return new ServiceInstance(
                text(node, "Node", where.field("Node"), true),
                text(node, "Address", where.field("Node"), true),
                stringMap(node.get("Meta"), where.field("Node.Meta")),
                id,
                text(svc, "Service", where.field("Service"), true),
                svc.get("Address") == null || svc.get("Address").isNull() ? ""
                        : text(svc, "Address", where.field("Service"), false),
                p.intValue(),
                strings(svc.get("Tags"), where.field("Service.Tags")),
                stringMap(svc.get("Meta"), where.field("Service.Meta")),
                weight(weights, "Passing", where),
                weight(weights, "Warning", where),
                locality == null ? null : blankToNull(text(locality, "Region", where.field("Service.Locality"), false)),
                locality == null ? null : blankToNull(text(locality, "Zone", where.field("Service.Locality"), false)),
                health(entry.get("Checks"), where));
    }

    private static HealthStatus health(JsonNode checks, Where where) {
        if (checks == null || checks.isNull()) {
            return HealthStatus.PASSING;
        }
        if (!checks.isArray()) {
            throw where.malformed("Checks must be an array, but is " + checks.getNodeType());
        }
        HealthStatus worst = HealthStatus.PASSING;
        for (JsonNode check : checks) {
            Where at = where.field("Checks");
            String checkId = text(check, "CheckID", at, true);
            String status = text(check, "Status", at, true);
            HealthStatus s;
            if (checkId.equals("_node_maintenance") || checkId.startsWith("_service_maintenance:")
                    || status.equals("maintenance")) {
                s = HealthStatus.CRITICAL;
            } else {
                try {
                    s = HealthStatus.parse("Checks.Status", status);
                } catch (IllegalArgumentException e) {
                    throw where.malformed("check '" + checkId + "' has status '" + status
                            + "', not passing, warning or critical");
                }
            }
            if (s.ordinal() > worst.ordinal()) {
                worst = s;
            }
        }
        return worst;
    }

    private static int weight(JsonNode weights, String field, Where where) {
        if (weights == null) {
            return 1;
        }
        JsonNode w = weights.get(field);
        if (w == null || w.isNull()) {
            return 1;
        }
        if (!w.isIntegralNumber() || !w.canConvertToInt() || w.intValue() < 0) {
            throw where.malformed("Service.Weights." + field + " must be a number of at least 0, but is " + w);
        }
        return w.intValue();
    }

    private static JsonNode object(JsonNode parent, String field, Where where, boolean required) {
        JsonNode n = parent == null ? null : parent.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw where.malformed(field + " is missing");
            }
            return null;
        }
        if (!n.isObject()) {
            throw where.malformed(field + " must be an object, but is " + n.getNodeType());
        }
        return n;
    }

    private static String text(JsonNode parent, String field, Where where, boolean required) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw where.malformed(field + " is missing");
            }
            return "";
        }
        if (!n.isString()) {
            throw where.malformed(field + " must be a string, but is " + n.getNodeType());
        }
        if (required && n.stringValue().isBlank()) {
            throw where.malformed(field + " must not be blank");
        }
        return n.stringValue();
    }

    private static Map<String, String> stringMap(JsonNode n, Where where) {
        if (n == null || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw where.malformed("must be an object, but is " + n.getNodeType());
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!e.getValue().isString()) {
                throw where.malformed("'" + e.getKey() + "' must be a string, but is " + e.getValue().getNodeType());
            }
            map.put(e.getKey(), e.getValue().stringValue());
        }
        return map;
    }

    private static List<String> strings(JsonNode n, Where where) {
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw where.malformed("must be an array, but is " + n.getNodeType());
        }
        List<String> list = new ArrayList<>(n.size());
        for (JsonNode v : n) {
            if (!v.isString()) {
                throw where.malformed("must hold strings, but has " + v.getNodeType());
            }
            list.add(v.stringValue());
        }
        return list;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Where in which answer a problem was found, for messages. */
    private static final class Where {
        private final String service;
        private final String datacenter;
        private final String path;

        Where(String service, String datacenter) {
            this(service, datacenter, "");
        }

        private Where(String service, String datacenter, String path) {
            this.service = service;
            this.datacenter = datacenter;
            this.path = path;
        }

        Where at(int index) {
            return new Where(service, datacenter, "entry #" + index);
        }

        Where field(String field) {
            return new Where(service, datacenter, path.isEmpty() ? field : path + " " + field);
        }

        ConsulException malformed(String problem) {
            return new ConsulException(service, datacenter, Reason.MALFORMED, 0,
                    this + ": " + (path.isEmpty() ? "" : path + ": ") + problem, null);
        }

        @Override
        public String toString() {
            String dc = datacenter == null ? "the agent's datacenter" : "datacenter '" + datacenter + "'";
            return service == null ? "Consul answer from " + dc
                    : "Consul answer for service '" + service + "' in " + dc;
        }
    }
}
