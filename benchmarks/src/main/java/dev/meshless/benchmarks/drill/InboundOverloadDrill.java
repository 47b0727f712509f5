package dev.meshless.benchmarks.drill;

import dev.meshless.spring.boot.shedding.LoadShedder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The inbound overload drill, run by hand: for each configuration a fresh {@link DrillServer}, a short
 * warm-up below capacity, then open-loop load above it ({@link OpenLoopLoad}); prints a table and writes
 * JSON. Options ({@code --name=value}): {@code workers} (8), {@code service-ms} (50), {@code rate} (320,
 * twice the capacity), {@code seconds} (20), {@code warmup-seconds} (5, at half the capacity),
 * {@code timeout-ms} (1000), {@code min-limit} (5, the adaptive algorithms' floor), {@code degrade-to}
 * (0: off; else the workers left, for good, halfway through the load, reported apart), {@code configs}
 * (all: {@code off,bulkhead,fixed,gradient2,vegas,envoy-gradient}), {@code out}
 * ({@code benchmarks/target/inbound-overload-drill.json}). docs/overload.md "The inbound drill" explains it.
 */
public final class InboundOverloadDrill {

    /** Every configuration, in the order run. */
    static final List<String> CONFIGS = List.of("off", "bulkhead", "fixed", "gradient2", "vegas", "envoy-gradient");

    private InboundOverloadDrill() {
    }

    /**
     * @param args {@code --name=value} options (see the class)
     * @throws IOException when the JSON cannot be written
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            String[] pair = arg.replaceFirst("^--", "").split("=", 2);
            if (pair.length != 2) {
                throw new IllegalArgumentException("Expected --name=value, got '" + arg + "'");
            }
            options.put(pair[0], pair[1]);
        }
        Settings settings = Settings.of(options);
        List<String> configs = List.of(options.getOrDefault("configs", String.join(",", CONFIGS)).split(","));
        Path out = Path.of(options.getOrDefault("out", "benchmarks/target/inbound-overload-drill.json"));
        System.out.printf(Locale.ROOT, "Inbound overload drill: %d workers x %d ms = %d rps capacity; "
                        + "%d s at %d rps after %d s at %d rps; timeout %d ms; adaptive min-limit %d%s%n",
                settings.workers, settings.serviceMs, settings.capacity(), settings.seconds, settings.rate,
                settings.warmupSeconds, settings.capacity() / 2, settings.timeoutMs, settings.minLimit,
                settings.degradeTo > 0 ? "; " + settings.degradeTo + " workers left halfway" : "");
        List<DrillReport.Row> rows = new ArrayList<>();
        for (String config : configs) {
            List<DrillReport.Row> measured = run(config.trim(), settings);
            rows.addAll(measured);
            System.out.println(DrillReport.line(measured.get(0)));
        }
        System.out.println();
        System.out.println(DrillReport.table(rows));
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, DrillReport.json(rows, settings));
        System.out.println("Written: " + out);
    }

    /**
     * Runs one configuration on a fresh application.
     *
     * @param config one of {@link #CONFIGS}
     * @param settings the drill's settings
     * @return what it measured: one row, or two with {@code degrade-to} (before and after the drop)
     */
    static List<DrillReport.Row> run(String config, Settings settings) {
        double loadBefore = DrillReport.loadAverage();
        try (DrillServer server = DrillServer.start(settings.workers, Duration.ofMillis(settings.serviceMs),
                config.equals("bulkhead") ? settings.workers : 0, properties(config, settings));
             OpenLoopLoad load = new OpenLoopLoad()) {
            URI target = URI.create("http://127.0.0.1:" + server.port() + "/work");
            Duration timeout = Duration.ofMillis(settings.timeoutMs);
            if (settings.warmupSeconds > 0) {
                load.run(target, Math.max(1, settings.capacity() / 2), Duration.ofSeconds(settings.warmupSeconds), timeout);
            }
            Optional<LoadShedder> shedder = server.shedder();
            List<int[]> samples = new ArrayList<>();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "drill-sampler");
                thread.setDaemon(true);
                return thread;
            });
            long start = System.nanoTime();
            sampler.scheduleAtFixedRate(() -> {
                int[] sample = {(int) ((System.nanoTime() - start) / 1_000_000),
                        shedder.map(LoadShedder::limit).orElse(-1), shedder.map(LoadShedder::inFlight).orElse(-1),
                        server.queued()};
                synchronized (samples) {
                    samples.add(sample);
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            long[] served = {server.served(), -1, -1};
            int parts = settings.degradeTo > 0 ? 2 : 1;
            if (parts == 2) {
                sampler.schedule(() -> {
                    served[1] = server.served();
                    server.degrade(settings.degradeTo);
                }, settings.seconds * 500L, TimeUnit.MILLISECONDS);
            }
            List<OpenLoopLoad.Outcomes> outcomes = load.run(target, settings.rate, Duration.ofSeconds(settings.seconds),
                    timeout, parts);
            served[2] = server.served();
            sampler.shutdownNow();
            List<int[]> all;
            synchronized (samples) {
                all = List.copyOf(samples);
            }
            double loadAfter = DrillReport.loadAverage();
            if (parts == 1) {
                return List.of(new DrillReport.Row(config, "", outcomes.get(0), served[2] - served[0],
                        settings.seconds, 0, all, loadBefore, loadAfter));
            }
            return List.of(new DrillReport.Row(config, settings.workers + " workers", outcomes.get(0),
                            served[1] - served[0], settings.seconds / 2.0, 0, all, loadBefore, loadAfter),
                    new DrillReport.Row(config, settings.degradeTo + " workers", outcomes.get(1),
                            served[2] - served[1], settings.seconds / 2.0, settings.seconds * 500, all, loadBefore,
                            loadAfter));
        }
    }

    /**
     * @param config one of {@link #CONFIGS}
     * @param settings the drill's settings
     * @return the application's {@code meshless.load-shedding} properties for it
     */
    public static Map<String, Object> properties(String config, Settings settings) {
        Map<String, Object> properties = new LinkedHashMap<>();
        String prefix = "meshless.load-shedding.";
        switch (config) {
            case "off", "bulkhead" -> properties.put(prefix + "enabled", "false");
            case "fixed" -> {
                int limit = settings.fixedLimit();
                properties.put(prefix + "enabled", "true");
                properties.put(prefix + "min-limit", limit);
                properties.put(prefix + "max-limit", limit);
                properties.put(prefix + "initial-limit", limit);
            }
            case "gradient2", "vegas", "envoy-gradient" -> {
                properties.put(prefix + "enabled", "true");
                properties.put(prefix + "algorithm", config);
                properties.put(prefix + "min-limit", settings.minLimit);
            }
            default -> throw new IllegalArgumentException("Unknown configuration '" + config + "', expected one of " + CONFIGS);
        }
        return properties;
    }

    /**
     * The drill's numbers.
     *
     * @param workers requests the endpoint serves at once
     * @param serviceMs how long each takes, in milliseconds
     * @param rate requests per second sent during the load
     * @param seconds how long the load lasts
     * @param warmupSeconds how long the warm-up at half the capacity lasts
     * @param timeoutMs each request's timeout, in milliseconds
     * @param minLimit {@code min-limit} of the adaptive algorithms
     * @param degradeTo the workers left halfway through the load, for good, or 0 to keep them all
     */
    public record Settings(int workers, int serviceMs, int rate, int seconds, int warmupSeconds, int timeoutMs,
                           int minLimit, int degradeTo) {

        /**
         * @param options {@code name → value}, as on the command line without {@code --}
         * @return the settings, with the defaults for the options not given
         */
        public static Settings of(Map<String, String> options) {
            return new Settings(option(options, "workers", 8), option(options, "service-ms", 50),
                    option(options, "rate", 320), option(options, "seconds", 20),
                    option(options, "warmup-seconds", 5), option(options, "timeout-ms", 1000),
                    option(options, "min-limit", 5), option(options, "degrade-to", 0));
        }

        private static int option(Map<String, String> options, String name, int otherwise) {
            String value = options.get(name);
            return value == null ? otherwise : Integer.parseInt(value);
        }

        /** @return requests per second the endpoint serves at most */
        public int capacity() {
            return workers * 1000 / serviceMs;
        }

        /**
         * @return the smallest limit whose share for {@code normal} requests (80 %, rounded down) admits
         *     {@code workers} requests at once: the shedder held at the endpoint's known capacity
         */
        public int fixedLimit() {
            int limit = workers;
            while (limit * 80 / 100 < workers) {
                limit++;
            }
            return limit;
        }
    }
}
