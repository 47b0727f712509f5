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
 *
 * <p>As real agents do: an agent-registered service with an IP address gets the default tagged
 * addresses {@code lan_ipv4}/{@code wan_ipv4} (or {@code _ipv6}) with its address and port
 * ({@code Agent.addServiceInternal}, agent/agent.go); the agent's own node carries {@code lan},
 * {@code lan_ipv4}, {@code wan}, {@code wan_ipv4} and the {@code consul-*} node metadata; a TTL update
 * for a check the agent does not know answers 404 "Unknown check ID" (Consul 1.11+,
 * {@code vetCheckUpdateWithAuthorizer}, agent/acl.go) or, with {@link ConsulSimulator#legacyCheckErrors},
 * 500 as older agents did ({@code updateTTLCheck}, agent/agent.go: "CheckID … does not have associated TTL").
 * The catalog write also takes {@code PeerName} (a simulator extension: real agents do not take
 * imported services over HTTP), {@code Namespace} and {@code Partition} (Consul Enterprise).
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
        target(body == null ? ConsulSimulator.json("{}") : body, sim.localDatacenter())
                .atomically(() -> result[0] = apply(path, query, body));
        return result[0];
    }

    private Result apply(String path, Map<String, String> query, JsonNode body) {
        String local = sim.localDatacenter();
        SimDatacenter dc = sim.dc(local);
        String node = nodeName(local);
        if (path.equals("/v1/agent/service/register")) {
            dc.upsertNode(agentNode(node));
            if (dc.check(node, "serfHealth") == null) { // every agent's node has it (leader reconciliation)
                dc.upsertCheck(new SimDatacenter.Check(node, "serfHealth", "Serf Health Status", "passing", "",
                        "Agent alive and reachable", null, 0, Map.of(), 0, 0));
            }
            String id = text(body, "ID", text(body, "Name", null));
            String name = text(body, "Name", null);
            if (name == null) {
                return new Result(400, "Missing service name");
            }
            String invalid = invalidMeta(body.get("Meta"));
            if (invalid != null) {
                return new Result(400, "Invalid Service Meta: " + invalid);
            }
            if (query.containsKey("replace-existing-checks")) {
                dc.removeChecks(node, id);
            }
            dc.upsertService(withDefaultTaggedAddresses(service(node, id, name, body)));
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
            if (status != null && c == null && sim.legacyCheckErrors()) {
                return new Result(500, "CheckID \"" + parts[1] + "\" does not have associated TTL");
            }
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
            SimDatacenter target = target(body, local);
            String n = text(body, "Node", null);
            JsonNode locality = body.get("Locality");
            target.upsertNode(new SimDatacenter.Node(n, text(body, "Address", "127.0.0.1"),
                    strings(body.get("NodeMeta")), strings(body.get("TaggedAddresses")),
                    locality == null ? null : text(locality, "Region", null),
                    locality == null ? null : text(locality, "Zone", null), text(body, "Partition", null), 0));
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
            SimDatacenter target = target(body, local);
            String serviceId = text(body, "ServiceID", null);
            if (serviceId != null) {
                target.removeService(text(body, "Node", null), serviceId);
            }
            return new Result(200, "true");
        }
        return new Result(404, "Invalid URL path: not a recognized HTTP API endpoint");
    }

    private SimDatacenter target(JsonNode body, String local) {
        String peer = text(body, "PeerName", null);
        return peer != null ? sim.peer(peer) : sim.dc(text(body, "Datacenter", local));
    }

    /** The agent's own node, as the agent registers it (agent/agent.go, agent/local/state.go). */
    private static SimDatacenter.Node agentNode(String node) {
        String address = "127.0.0.1";
        return new SimDatacenter.Node(node, address, Map.of("consul-network-segment", "", "consul-version", "1.17.2"),
                Map.of("lan", address, "lan_ipv4", address, "wan", address, "wan_ipv4", address), null, null, null, 0);
    }

    /** Agent.addServiceInternal (agent/agent.go): lan_ipv4/wan_ipv4 (or _ipv6) default to the service's address. */
    private static SimDatacenter.Service withDefaultTaggedAddresses(SimDatacenter.Service s) {
        String ip = s.address();
        boolean v4 = ip.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = !v4 && ip.contains(":");
        if (!v4 && !v6) {
            return s;
        }
        Map<String, SimDatacenter.TaggedAddress> tagged = new LinkedHashMap<>(s.taggedAddresses());
        SimDatacenter.TaggedAddress own = new SimDatacenter.TaggedAddress(ip, s.port());
        tagged.putIfAbsent(v4 ? "lan_ipv4" : "lan_ipv6", own);
        tagged.putIfAbsent(v4 ? "wan_ipv4" : "wan_ipv6", own);
        return new SimDatacenter.Service(s.node(), s.id(), s.name(), s.address(), s.port(), s.tags(), s.meta(), tagged,
                s.weightPassing(), s.weightWarning(), s.localityRegion(), s.localityZone(), s.namespace(),
                s.partition(), 0, 0);
    }

    /** structs.ValidateServiceMetadata (agent/structs/structs.go), as the agent's register endpoint applies it. */
    private static String invalidMeta(JsonNode meta) {
        if (meta == null || !meta.isObject()) {
            return null;
        }
        if (meta.size() > 64) {
            return "Node metadata cannot contain more than 64 key/value pairs";
        }
        for (Map.Entry<String, JsonNode> e : meta.properties()) {
            String key = e.getKey();
            String problem = key.isEmpty() ? "Key cannot be blank"
                    : !key.matches("[a-zA-Z0-9_-]+") ? "Key contains invalid characters"
                    : key.length() > 128 ? "Key is too long (limit: 128 characters)"
                    : key.startsWith("consul-") ? "Key prefix 'consul-' is reserved for internal use"
                    : e.getValue().asString().length() > 512 ? "Value is too long (limit: 512 characters)" : null;
            if (problem != null) {
                return "Couldn't load metadata pair ('" + key + "', '" + e.getValue().asString() + "'): " + problem;
            }
        }
        return null;
    }

    /** Decodes a service definition as structs.NodeService; Weights default to {1, 1} (NodeService.ToServiceNode). */
    private static SimDatacenter.Service service(String node, String id, String name, JsonNode s) {
        JsonNode weights = s.get("Weights");
        JsonNode locality = s.get("Locality");
        List<String> tags = new ArrayList<>();
        if (s.get("Tags") != null) {
            s.get("Tags").forEach(t -> tags.add(t.asString()));
        }
        Map<String, SimDatacenter.TaggedAddress> tagged = new LinkedHashMap<>();
        JsonNode taggedNode = s.get("TaggedAddresses");
        if (taggedNode != null && taggedNode.isObject()) {
            taggedNode.properties().forEach(e -> tagged.put(e.getKey(), new SimDatacenter.TaggedAddress(
                    text(e.getValue(), "Address", ""), e.getValue().path("Port").asInt(0))));
        }
        return new SimDatacenter.Service(node, id, name, text(s, "Address", ""),
                s.get("Port") == null ? 0 : s.get("Port").asInt(), tags, strings(s.get("Meta")), tagged,
                weights == null ? 1 : weights.path("Passing").asInt(1), weights == null ? 1
                : weights.path("Warning").asInt(1), locality == null ? null : text(locality, "Region", null),
                locality == null ? null : text(locality, "Zone", null), text(s, "Namespace", null),
                text(s, "Partition", null), 0, 0);
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
