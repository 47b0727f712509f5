package dev.meshless.consul.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where a test's Consul lives: the in-repo simulator (default) or, with
 * {@code -Dmeshless.consul.target=agent} (Maven profile {@code consul-it}), a real agent at
 * {@code CONSUL_HTTP_ADDR} whose datacenter is WAN-federated with a second one. Tests tagged
 * {@code agent} use only what both offer: the HTTP API, two datacenters, the {@link Catalog}.
 * Tests that need the simulator's switches call {@link #simulator(String)} and are skipped on a
 * real agent, with the reason printed.
 */
public final class ConsulTarget implements AutoCloseable {

    /** System property that selects the target: {@code simulator} or {@code agent}. */
    public static final String PROPERTY = "meshless.consul.target";

    private final String address;
    private final String local;
    private final String remote;
    private final ConsulSimulator simulator;
    private final Catalog catalog;

    private ConsulTarget(String address, String local, String remote, ConsulSimulator simulator) {
        this.address = address;
        this.local = local;
        this.remote = remote;
        this.simulator = simulator;
        this.catalog = new Catalog(address);
    }

    /** @return two WAN-federated datacenters behind one agent: {@code dc1} (its own) and {@code dc2} */
    public static ConsulTarget federation() {
        if (!"agent".equals(System.getProperty(PROPERTY, "simulator"))) {
            ConsulSimulator sim = ConsulSimulator.start("dc1", "dc2");
            return new ConsulTarget(sim.address(), "dc1", "dc2", sim);
        }
        String addr = System.getenv("CONSUL_HTTP_ADDR");
        if (addr == null || addr.isBlank()) {
            skip("meshless.consul.target=agent but CONSUL_HTTP_ADDR is not set; start two federated agents as "
                    + "docs/consul.md describes and export CONSUL_HTTP_ADDR");
        }
        String base = addr.contains("://") ? addr : "http://" + addr;
        try {
            HttpClient http = HttpClient.newHttpClient();
            JsonMapper json = JsonMapper.builder().build();
            JsonNode self = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/v1/agent/self")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            String own = self.path("Config").path("Datacenter").asString();
            List<String> all = json.readValue(http.send(HttpRequest.newBuilder(URI.create(base
                    + "/v1/catalog/datacenters")).build(), HttpResponse.BodyHandlers.ofString()).body(),
                    json.getTypeFactory().constructCollectionType(List.class, String.class));
            Optional<String> other = all.stream().filter(dc -> !dc.equals(own)).findFirst();
            if (other.isEmpty()) {
                skip("the agent at " + base + " knows only datacenter " + own + "; these tests need a second, "
                        + "WAN-federated one (docs/consul.md)");
            }
            return new ConsulTarget(base, own, other.get(), null);
        } catch (Exception e) {
            skip("cannot reach the Consul agent at " + base + ": " + e);
            return null;
        }
    }

    /** @return the agent's base URL */
    public String address() {
        return address;
    }

    /** @return the agent's own datacenter */
    public String dc1() {
        return local;
    }

    /** @return the other datacenter */
    public String dc2() {
        return remote;
    }

    /** @return whether this is the simulator */
    public boolean isSimulator() {
        return simulator != null;
    }

    /**
     * @param why what the test needs the simulator for
     * @return the simulator; skips the test on a real agent
     */
    public ConsulSimulator simulator(String why) {
        if (simulator == null) {
            skip("needs the simulator: " + why);
        }
        return simulator;
    }

    /** @return the catalog writer for this target */
    public Catalog catalog() {
        return catalog;
    }

    /**
     * @param prefix a readable prefix
     * @return a service name no other test uses (real agents are shared between tests)
     */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public void close() {
        catalog.close();
        if (simulator != null) {
            simulator.close();
        }
    }

    private static void skip(String reason) {
        System.err.println("[consul-it] SKIPPED: " + reason);
        Assumptions.abort(reason);
    }
}
