package dev.meshless.consul.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.json.JsonMapper;

/**
 * Changes a Consul catalog through its HTTP API ({@code PUT /v1/catalog/register|deregister}), so
 * that the same test drives the simulator or a real agent. Instances registered here are removed by
 * {@link #close()}.
 */
public final class Catalog implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String address;
    private final String token;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Instance> registered = new CopyOnWriteArrayList<>();

    /** @param address the agent's base URL */
    public Catalog(String address) {
        this(address, null);
    }

    /**
     * @param address the agent's base URL
     * @param token the ACL token to write with ({@code X-Consul-Token}), or null
     */
    public Catalog(String address, String token) {
        this.address = address;
        this.token = token;
    }

    /**
     * @param dc datacenter
     * @param node node name
     * @param service service name
     * @param id instance id
     * @return an instance to describe further and {@link #register}
     */
    public static Instance instance(String dc, String node, String service, String id) {
        return new Instance(dc, node, service, id);
    }

    /**
     * Registers (or updates) the instance, its node and its check: {@code structs.RegisterRequest}
     * (agent/structs/structs.go) with a {@code NodeService} whose {@code Port} is left out when 0.
     */
    public void register(Instance i) {
        Map<String, Object> svc = new LinkedHashMap<>();
        svc.put("ID", i.id);
        svc.put("Service", i.service);
        svc.put("Address", i.address);
        if (i.port != 0) {
            svc.put("Port", i.port);
        }
        svc.put("Meta", i.meta);
        if (!i.taggedAddresses.isEmpty()) {
            svc.put("TaggedAddresses", i.taggedAddresses);
        }
        if (i.locality != null) {
            svc.put("Locality", i.locality);
        }
        if (i.namespace != null) {
            svc.put("Namespace", i.namespace);
        }
        svc.put("Weights", Map.of("Passing", i.weightPassing, "Warning", i.weightWarning));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Datacenter", i.dc);
        body.put("Node", i.node);
        body.put("Address", i.nodeAddress);
        body.put("NodeMeta", i.nodeMeta);
        if (!i.nodeTaggedAddresses.isEmpty()) {
            body.put("TaggedAddresses", i.nodeTaggedAddresses);
        }
        if (i.nodeLocality != null) {
            body.put("Locality", i.nodeLocality);
        }
        if (i.peer != null) {
            body.put("PeerName", i.peer);
        }
        body.put("Service", svc);
        List<Object> checks = new ArrayList<>();
        checks.add(Map.of("CheckID", "service:" + i.id, "Name", "check of " + i.id, "Status", i.status,
                "ServiceID", i.id));
        if (i.maintenance) {
            checks.add(Map.of("CheckID", "_service_maintenance:" + i.id, "Name", "Service Maintenance Mode",
                    "Notes", "deploying", "Status", "critical", "ServiceID", i.id));
        }
        body.put("Checks", checks);
        put("/v1/catalog/register", body);
        registered.removeIf(r -> r.dc.equals(i.dc) && r.node.equals(i.node) && r.id.equals(i.id));
        registered.add(i);
    }

    /** Removes the instance. */
    public void deregister(Instance i) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("Datacenter", i.dc, "Node", i.node, "ServiceID", i.id));
        if (i.peer != null) {
            body.put("PeerName", i.peer);
        }
        put("/v1/catalog/deregister", body);
        registered.remove(i);
    }

    @Override
    public void close() {
        for (Instance i : new ArrayList<>(registered)) {
            try {
                deregister(i);
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
    }

    private void put(String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address + path))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            if (token != null) {
                request.header("X-Consul-Token", token);
            }
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException(path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A service instance to register; mutable, not thread-safe. */
    public static final class Instance {
        final String dc;
        final String node;
        final String service;
        final String id;
        String nodeAddress = "10.0.0.1";
        Map<String, String> nodeMeta = new LinkedHashMap<>();
        String address = "";
        int port = 8080;
        Map<String, String> meta = new LinkedHashMap<>();
        int weightPassing = 1;
        int weightWarning = 1;
        String status = "passing";
        boolean maintenance;
        Map<String, Object> taggedAddresses = new LinkedHashMap<>();
        Map<String, String> nodeTaggedAddresses = new LinkedHashMap<>();
        Map<String, String> locality;
        Map<String, String> nodeLocality;
        String peer;
        String namespace;

        private Instance(String dc, String node, String service, String id) {
            this.dc = dc;
            this.node = node;
            this.service = service;
            this.id = id;
            this.meta.put("zone", dc + "-a");
        }

        /** Removes the default {@code zone} metadata ({@code <dc>-a}). */
        public Instance withoutZone() {
            meta.remove("zone");
            return this;
        }

        public Instance nodeAddress(String a) {
            nodeAddress = a;
            return this;
        }

        public Instance nodeMeta(String k, String v) {
            nodeMeta.put(k, v);
            return this;
        }

        public Instance address(String a, int p) {
            address = a;
            port = p;
            return this;
        }

        public Instance port(int p) {
            port = p;
            return this;
        }

        public Instance meta(String k, String v) {
            meta.put(k, v);
            return this;
        }

        public Instance weights(int passing, int warning) {
            weightPassing = passing;
            weightWarning = warning;
            return this;
        }

        public Instance status(String s) {
            status = s;
            return this;
        }

        /** Adds the check Consul's maintenance mode adds ({@code _service_maintenance:<id>}, critical). */
        public Instance maintenance(boolean on) {
            maintenance = on;
            return this;
        }

        /** Leaves {@code Service.Port} out, as Go does for 0 (e.g. an instance registered without one). */
        public Instance withoutPort() {
            port = 0;
            return this;
        }

        /** A {@code Service.TaggedAddresses} entry: {@code {"Address", "Port"}}. */
        public Instance taggedAddress(String key, String address, int p) {
            taggedAddresses.put(key, Map.of("Address", address, "Port", p));
            return this;
        }

        /** A {@code Node.TaggedAddresses} entry (a plain string). */
        public Instance nodeTaggedAddress(String key, String address) {
            nodeTaggedAddresses.put(key, address);
            return this;
        }

        /** {@code Service.Locality} (Consul 1.17+). */
        public Instance locality(String region, String zone) {
            locality = Map.of("Region", region, "Zone", zone);
            return this;
        }

        /** {@code Node.Locality} (Consul 1.17+). */
        public Instance nodeLocality(String region, String zone) {
            nodeLocality = Map.of("Region", region, "Zone", zone);
            return this;
        }

        /** Imported from this cluster peer (simulator only: agents take no imported services over HTTP). */
        public Instance peer(String name) {
            peer = name;
            return this;
        }

        /** In this namespace (Consul Enterprise). */
        public Instance namespace(String ns) {
            namespace = ns;
            return this;
        }

        /** @return the endpoint id Meshless gives this instance */
        public String endpointId() {
            return dc + "/" + node + "/" + id;
        }
    }
}
