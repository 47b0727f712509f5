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
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Instance> registered = new CopyOnWriteArrayList<>();

    /** @param address the agent's base URL */
    public Catalog(String address) {
        this.address = address;
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

    /** Registers (or updates) the instance, its node and its check. */
    public void register(Instance i) {
        Map<String, Object> svc = new LinkedHashMap<>();
        svc.put("ID", i.id);
        svc.put("Service", i.service);
        svc.put("Address", i.address);
        svc.put("Port", i.port);
        svc.put("Meta", i.meta);
        svc.put("Weights", Map.of("Passing", i.weightPassing, "Warning", i.weightWarning));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Datacenter", i.dc);
        body.put("Node", i.node);
        body.put("Address", i.nodeAddress);
        body.put("NodeMeta", i.nodeMeta);
        body.put("Service", svc);
        body.put("Check", Map.of("CheckID", "service:" + i.id, "Name", "check of " + i.id, "Status", i.status,
                "ServiceID", i.id));
        put("/v1/catalog/register", body);
        registered.removeIf(r -> r.dc.equals(i.dc) && r.node.equals(i.node) && r.id.equals(i.id));
        registered.add(i);
    }

    /** Removes the instance. */
    public void deregister(Instance i) {
        put("/v1/catalog/deregister", Map.of("Datacenter", i.dc, "Node", i.node, "ServiceID", i.id));
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
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(address + path))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
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

        /** @return the endpoint id Meshless gives this instance */
        public String endpointId() {
            return dc + "/" + node + "/" + id;
        }
    }
}
