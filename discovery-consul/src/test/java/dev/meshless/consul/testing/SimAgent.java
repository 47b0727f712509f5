package dev.meshless.consul.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The write side of the simulated agent: {@code PUT /v1/agent/service/register} (on the agent's own
 * node, with TTL or HTTP checks), {@code /v1/agent/service/deregister/:id},
 * {@code /v1/agent/check/pass|warn|fail/:id}, and the catalog's {@code /v1/catalog/register} and
 * {@code /v1/catalog/deregister}, which tests use to change state the same way against a real agent.
 */
final class SimAgent {

    /** An answer: status and body. */
    record Result(int status, String body) {
    }

    private final ConsulSimulator sim;

    SimAgent(ConsulSimulator sim) {
        this.sim = sim;
    }

    static String nodeName(String datacenter) {
        return "agent-" + datacenter;
    }

    Result write(String path, Map<String, String> query, JsonNode body) {
        Result[] result = new Result[1];
        // Like a raft transaction: a blocked reader sees a whole registration or nothing of it.
        sim.dc(body != null && body.get("Datacenter") != null ? body.get("Datacenter").asString()
                : sim.localDatacenter()).atomically(() -> result[0] = apply(path, query, body));
        return result[0];
    }

    private Result apply(String path, Map<String, String> query, JsonNode body) {
        String local = sim.localDatacenter();
        SimDatacenter dc = sim.dc(local);
        String node = nodeName(local);
        if (path.equals("/v1/agent/service/register")) {
            dc.upsertNode(node, "127.0.0.1", Map.of());
            String id = text(body, "ID", text(body, "Name", null));
            String name = text(body, "Name", null);
            if (name == null) {
                return new Result(400, "Missing service name");
            }
            if (query.containsKey("replace-existing-checks")) {
                dc.removeChecks(node, id);
            }
            dc.upsertService(service(node, id, name, body));
            List<JsonNode> checks = new ArrayList<>();
            if (body.get("Check") != null) {
                checks.add(body.get("Check"));
            }
            if (body.get("Checks") != null) {
                body.get("Checks").forEach(checks::add);
            }
            for (int i = 0; i < checks.size(); i++) {
                JsonNode c = checks.get(i);
                String checkId = text(c, "CheckID", "service:" + id + (checks.size() > 1 ? ":" + (i + 1) : ""));
                Duration ttl = c.get("TTL") == null ? null : ConsulSimulator.goDuration(c.get("TTL").asString());
                Map<String, Object> definition = new LinkedHashMap<>();
                c.properties().forEach(e -> definition.put(e.getKey(), e.getValue().asString()));
                dc.upsertCheck(new SimDatacenter.Check(node, checkId, text(c, "Name", "Service '" + name + "' check"),
                        text(c, "Status", "critical"), id, "", ttl,
                        ttl == null ? 0 : System.nanoTime() + ttl.toNanos(), definition, 0, 0));
            }
            return new Result(200, "");
        }
        if (path.startsWith("/v1/agent/service/deregister/")) {
            dc.removeService(node, path.substring("/v1/agent/service/deregister/".length()));
            return new Result(200, "");
        }
        if (path.startsWith("/v1/agent/check/")) {
            String[] parts = path.substring("/v1/agent/check/".length()).split("/", 2);
            String status = switch (parts[0]) {
                case "pass" -> "passing";
                case "warn" -> "warning";
                case "fail" -> "critical";
                default -> null;
            };
            SimDatacenter.Check c = parts.length < 2 ? null : dc.check(node, parts[1]);
            if (status == null || c == null) {
                return new Result(404, "Unknown check ID \"" + (parts.length < 2 ? "" : parts[1])
                        + "\". Ensure that the check ID is passed, not the check name.");
            }
            if (c.ttl() == null) {
                return new Result(500, "CheckID \"" + c.checkId() + "\" does not have associated TTL");
            }
            dc.updateCheck(node, c.checkId(), status, query.getOrDefault("note", ""), System.nanoTime()
                    + c.ttl().toNanos());
            return new Result(200, "");
        }
        if (path.equals("/v1/catalog/register")) {
            SimDatacenter target = sim.dc(text(body, "Datacenter", local));
            String n = text(body, "Node", null);
            target.upsertNode(n, text(body, "Address", "127.0.0.1"), strings(body.get("NodeMeta")));
            JsonNode svc = body.get("Service");
            String serviceId = null;
            if (svc != null) {
                serviceId = text(svc, "ID", text(svc, "Service", null));
                target.upsertService(service(n, serviceId, text(svc, "Service", null), svc));
            }
            List<JsonNode> checks = new ArrayList<>();
            if (body.get("Check") != null) {
                checks.add(body.get("Check"));
            }
            if (body.get("Checks") != null) {
                body.get("Checks").forEach(checks::add);
            }
            for (JsonNode c : checks) {
                target.upsertCheck(new SimDatacenter.Check(n, text(c, "CheckID", null), text(c, "Name", ""),
                        text(c, "Status", "critical"), text(c, "ServiceID", ""), text(c, "Output", ""), null, 0,
                        Map.of(), 0, 0));
            }
            return new Result(200, "true");
        }
        if (path.equals("/v1/catalog/deregister")) {
            SimDatacenter target = sim.dc(text(body, "Datacenter", local));
            String serviceId = text(body, "ServiceID", null);
            if (serviceId != null) {
                target.removeService(text(body, "Node", null), serviceId);
            }
            return new Result(200, "true");
        }
        return new Result(404, "Invalid URL path: not a recognized HTTP API endpoint");
    }

    private static SimDatacenter.Service service(String node, String id, String name, JsonNode s) {
        JsonNode weights = s.get("Weights");
        JsonNode locality = s.get("Locality");
        List<String> tags = new ArrayList<>();
        if (s.get("Tags") != null) {
            s.get("Tags").forEach(t -> tags.add(t.asString()));
        }
        return new SimDatacenter.Service(node, id, name, text(s, "Address", ""),
                s.get("Port") == null ? 0 : s.get("Port").asInt(), tags, strings(s.get("Meta")),
                weights == null ? 1 : weights.path("Passing").asInt(1), weights == null ? 1
                : weights.path("Warning").asInt(1), locality == null ? null : text(locality, "Region", null),
                locality == null ? null : text(locality, "Zone", null), 0, 0);
    }

    private static Map<String, String> strings(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
        }
        return out;
    }

    private static String text(JsonNode n, String field, String otherwise) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() || v.asString().isEmpty() ? otherwise : v.asString();
    }
}
