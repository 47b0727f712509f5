package dev.meshless.sample.consul;

import com.sun.net.httpserver.HttpServer;
import dev.meshless.consul.ConsulAgentConfig;
import dev.meshless.consul.ConsulClient;
import dev.meshless.consul.ConsulRegistration;
import dev.meshless.consul.ConsulRegistrationConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stand-in {@code inventory} instances for the sample, registered in two Consul datacenters with
 * the library's own {@link ConsulRegistration}: two in {@code eu-west-1a} and two in
 * {@code eu-west-1b} through the first agent, two in {@code eu-central-1a} through the second. Each
 * is a JDK HTTP server on 127.0.0.1 answering {@code GET /stock/<sku>} with its name.
 *
 * <p>Run it, then type {@code stop eu-west-1a} to make a zone stop answering (its registrations
 * stay passing, as when a zone's network fails before Consul notices), {@code start eu-west-1a} to
 * bring it back, {@code quit} to deregister everything.
 *
 * <pre>java -cp target/meshless-consul-sample.jar dev.meshless.sample.consul.InventoryFleet \
 *     [--dc1-agent=http://127.0.0.1:8500] [--dc2-agent=http://127.0.0.1:9500]</pre>
 */
public final class InventoryFleet implements AutoCloseable {

    /** Zone → datacenter agent index (0: first agent, 1: second) and region. */
    private static final Map<String, String[]> ZONES = new LinkedHashMap<>();

    static {
        ZONES.put("eu-west-1a", new String[] {"0", "eu-west-1"});
        ZONES.put("eu-west-1b", new String[] {"0", "eu-west-1"});
        ZONES.put("eu-central-1a", new String[] {"1", "eu-central-1"});
    }

    private final List<Instance> instances = new ArrayList<>();

    private static final class Instance {
        final String name;
        final String zone;
        final int port;
        final ConsulRegistration registration;
        volatile HttpServer server;

        Instance(String name, String zone, int port, HttpServer server, ConsulRegistration registration) {
            this.name = name;
            this.zone = zone;
            this.port = port;
            this.server = server;
            this.registration = registration;
        }
    }

    /**
     * Starts the instances and registers them.
     *
     * @param firstAgent the agent of the first datacenter ({@code eu-west-1})
     * @param secondAgent the agent of the second ({@code eu-central-1})
     */
    public InventoryFleet(String firstAgent, String secondAgent) {
        ConsulClient[] agents = {
            ConsulClient.create(ConsulAgentConfig.builder().address(firstAgent).build()),
            ConsulClient.create(ConsulAgentConfig.builder().address(secondAgent).build())
        };
        for (Map.Entry<String, String[]> zone : ZONES.entrySet()) {
            for (int i = 0; i < 2; i++) {
                String name = "inventory-" + zone.getKey() + "-" + i;
                HttpServer server = serve(0, name);
                int port = server.getAddress().getPort();
                ConsulRegistration registration = ConsulRegistration.create(agents[Integer.parseInt(zone.getValue()[0])],
                        ConsulRegistrationConfig.builder("inventory").instanceId(name).address("127.0.0.1").port(port)
                                .region(zone.getValue()[1]).zone(zone.getKey()).build());
                registration.start();
                instances.add(new Instance(name, zone.getKey(), port, server, registration));
            }
        }
    }

    private static HttpServer serve(int port, String name) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.createContext("/stock/", exchange -> {
                String sku = exchange.getRequestURI().getPath().substring("/stock/".length());
                byte[] body = (name + ": 7 of " + sku).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " on port " + port, e);
        }
    }

    /**
     * Stops answering in a zone: its servers close their ports, its registrations stay passing.
     *
     * @param zone e.g. {@code eu-west-1a}
     */
    public synchronized void stop(String zone) {
        for (Instance i : instances) {
            if (i.zone.equals(zone) && i.server != null) {
                i.server.stop(0);
                i.server = null;
            }
        }
    }

    /**
     * Answers again in a zone, on the same ports.
     *
     * @param zone e.g. {@code eu-west-1a}
     */
    public synchronized void start(String zone) {
        for (Instance i : instances) {
            if (i.zone.equals(zone) && i.server == null) {
                i.server = serve(i.port, i.name);
            }
        }
    }

    /** @return the zones of the fleet */
    public static List<String> zones() {
        return List.copyOf(ZONES.keySet());
    }

    /** Stops every server and deregisters every instance. */
    @Override
    public synchronized void close() {
        for (Instance i : instances) {
            i.registration.close();
            if (i.server != null) {
                i.server.stop(0);
            }
        }
    }

    /**
     * @param args {@code --dc1-agent=URL} and {@code --dc2-agent=URL}
     * @throws IOException when the console cannot be read
     */
    public static void main(String[] args) throws IOException {
        String first = "http://127.0.0.1:8500";
        String second = "http://127.0.0.1:9500";
        for (String arg : args) {
            if (arg.startsWith("--dc1-agent=")) {
                first = arg.substring("--dc1-agent=".length());
            } else if (arg.startsWith("--dc2-agent=")) {
                second = arg.substring("--dc2-agent=".length());
            } else {
                System.err.println("unknown option '" + arg + "'; expected --dc1-agent=URL or --dc2-agent=URL");
                System.exit(2);
            }
        }
        try (InventoryFleet fleet = new InventoryFleet(first, second)) {
            System.out.println("inventory: 2 instances in each of " + zones() + ", registered through " + first
                    + " and " + second);
            System.out.println("commands: stop <zone>, start <zone>, quit");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.trim().equals("quit"); line = in.readLine()) {
                String[] words = line.trim().split("\\s+");
                if (words.length == 2 && ZONES.containsKey(words[1]) && words[0].equals("stop")) {
                    fleet.stop(words[1]);
                    System.out.println(words[1] + " stopped answering");
                } else if (words.length == 2 && ZONES.containsKey(words[1]) && words[0].equals("start")) {
                    fleet.start(words[1]);
                    System.out.println(words[1] + " answers again");
                } else if (!line.isBlank()) {
                    System.out.println("expected: stop <zone>, start <zone> or quit, with a zone of " + zones());
                }
            }
        }
    }
}
