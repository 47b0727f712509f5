package dev.meshless.sample.inventory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meshless.spring.boot.registry.StaticEndpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;

/**
 * A stand-in for the {@code inventory} service, to try the checkout sample on one machine: one JDK
 * HTTP server per inventory endpoint of the sample's {@code application.yml}, answering
 * {@code GET /stock/<sku>} with {@code {"sku":…,"available":100,"zone":…}} and {@code GET /health}
 * with 200 (503 while failing). Each zone can be taken
 * down (its ports close: connections are refused), made to fail (it answers 503) and brought back.
 *
 * <p>Run {@link #main} in one terminal and the checkout service in another; type {@code down
 * eu-west-1a}, {@code fail eu-west-1a}, {@code up eu-west-1a} or {@code quit}. The sample's test
 * uses the same class on ephemeral ports. Not part of what you copy: in real life these are your
 * inventory service's instances.
 */
public final class LocalInventory implements AutoCloseable {

    /** What a zone's instances do. */
    public enum Mode {
        /** answer 200 */
        UP("answers 200"),
        /** answer 503 */
        FAIL("answers 503"),
        /** refuse connections */
        DOWN("refuses connections");

        private final String description;

        Mode(String description) {
            this.description = description;
        }
    }

    private final List<Instance> instances = new ArrayList<>();

    private LocalInventory() {
    }

    /**
     * @return the inventory endpoints listed in the sample's {@code application.yml}
     *     ({@code meshless.registry.endpoints.inventory}), in order
     * @throws UncheckedIOException when the file cannot be read
     */
    public static List<StaticEndpoint> endpointsOfApplicationYml() {
        try {
            var sources = new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"));
            return new Binder(ConfigurationPropertySources.from(sources))
                    .bind("meshless.registry.endpoints.inventory", Bindable.listOf(StaticEndpoint.class))
                    .orElseThrow(() -> new IllegalStateException("application.yml lists no inventory endpoint"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts one server per endpoint, on 127.0.0.1.
     *
     * @param endpoints where inventory runs: each endpoint's zone and port
     * @param ephemeralPorts whether to listen on ephemeral ports instead of the endpoints' ports
     *     (see {@link #port})
     * @return the running stand-in
     * @throws IOException when a server cannot start (a port in use)
     */
    public static LocalInventory start(List<StaticEndpoint> endpoints, boolean ephemeralPorts) throws IOException {
        LocalInventory inventory = new LocalInventory();
        try {
            for (StaticEndpoint e : endpoints) {
                Instance instance = new Instance(e.getZone(), ephemeralPorts ? 0 : e.getPort());
                instance.listen();
                inventory.instances.add(instance);
            }
        } catch (IOException | RuntimeException e) {
            inventory.close();
            throw e;
        }
        return inventory;
    }

    /**
     * @param index an endpoint's position in the list given to {@link #start}
     * @return the port its server listens on
     */
    public int port(int index) {
        return instances.get(index).port;
    }

    /**
     * @param zone a zone
     * @param mode what its instances do from now on
     * @return how many instances run in that zone
     * @throws IOException when a server cannot listen again on its port
     */
    public int set(String zone, Mode mode) throws IOException {
        int changed = 0;
        for (Instance i : instances) {
            if (i.zone.equals(zone)) {
                i.set(mode);
                changed++;
            }
        }
        return changed;
    }

    /**
     * @param zone a zone
     * @return requests its instances received since they started (answered 200 or 503)
     */
    public int requests(String zone) {
        return instances.stream().filter(i -> i.zone.equals(zone)).mapToInt(i -> i.requests.get()).sum();
    }

    /** Stops every server. */
    @Override
    public void close() {
        instances.forEach(i -> i.stop());
    }

    /**
     * Starts the stand-in on the ports of {@code application.yml} and reads commands from the
     * terminal until {@code quit}.
     *
     * @param args none
     * @throws IOException when a server cannot start
     */
    public static void main(String[] args) throws IOException {
        List<StaticEndpoint> endpoints = endpointsOfApplicationYml();
        try (LocalInventory inventory = start(endpoints, false)) {
            for (StaticEndpoint e : endpoints) {
                System.out.printf("inventory %s/%s listening on 127.0.0.1:%d%n", e.getRegion(), e.getZone(), e.getPort());
            }
            System.out.println("Commands: down <zone> (refuse connections), fail <zone> (answer 503), up <zone>, quit");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] words = line.trim().split("\\s+");
                if (words[0].equals("quit")) {
                    return;
                }
                if (words.length == 2 && List.of("down", "fail", "up").contains(words[0])) {
                    Mode mode = Mode.valueOf(words[0].toUpperCase(Locale.ROOT));
                    if (inventory.set(words[1], mode) == 0) {
                        System.out.println("no inventory instance runs in zone " + words[1]);
                    } else {
                        System.out.printf("%s now %s (requests so far: %d)%n", words[1], mode.description,
                                inventory.requests(words[1]));
                    }
                } else if (!words[0].isEmpty()) {
                    System.out.println("?  down <zone> | fail <zone> | up <zone> | quit");
                }
            }
        }
    }

    /** One inventory instance: a server that can stop listening and listen again on the same port. */
    private static final class Instance {
        final String zone;
        final AtomicInteger requests = new AtomicInteger();
        int port;
        volatile Mode mode = Mode.UP;
        HttpServer server;

        Instance(String zone, int port) {
            this.zone = zone;
            this.port = port;
        }

        void listen() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            server.createContext("/stock/", this::answer);
            server.createContext("/health", this::health);
            server.start();
            port = server.getAddress().getPort();
        }

        synchronized void set(Mode next) throws IOException {
            if (next == Mode.DOWN && server != null) {
                stop();
            } else if (next != Mode.DOWN && server == null) {
                listen();
            }
            mode = next;
        }

        synchronized void stop() {
            if (server != null) {
                server.stop(0);
                server = null;
            }
        }

        /** What the callers' health probes read: 200 while up, 503 while failing. */
        private void health(HttpExchange exchange) throws IOException {
            try (exchange) {
                exchange.sendResponseHeaders(mode == Mode.UP ? 200 : 503, -1);
            }
        }

        private void answer(HttpExchange exchange) throws IOException {
            requests.incrementAndGet();
            String sku = exchange.getRequestURI().getPath().substring("/stock/".length());
            boolean ok = mode == Mode.UP;
            byte[] body = (ok ? "{\"sku\":\"" + sku + "\",\"available\":100,\"zone\":\"" + zone + "\"}"
                    : "{\"error\":\"inventory in " + zone + " is failing\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(ok ? 200 : 503, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
