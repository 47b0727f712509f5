package dev.meshless.demo;

import dev.meshless.call.ServiceClient;
import dev.meshless.demo.caller.CallerApplication;
import dev.meshless.demo.peer.SpringCloudCaller;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.topology.Locality;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The failover drill, the project's main demo: starts the upstream service (12 HTTP servers on
 * loopback), the demo registry, and a Spring Boot caller using the Meshless starter; drives steady
 * load through the caller's real client path while the scenario's faults come and go; prints one
 * line per second; writes {@code report.json} and a self-contained {@code report.html}.
 *
 * <pre>java -jar samples/failover-demo/target/meshless-demo.jar [--scenario=FILE] [--rate=N]
 *     [--phase-duration=10s] [--out=DIR] [--compare]</pre>
 *
 * <p>With {@code --compare} (or {@code callers: [meshless, spring-cloud]} in the scenario) a second
 * caller, built with Spring Cloud LoadBalancer and Resilience4j and without Meshless
 * ({@link SpringCloudCaller}), runs the same timeline at the same rate over the same fleet and registry;
 * the report puts both side by side, and the verdict remains the Meshless caller's.
 */
public final class FailoverDemo {

    private static final Duration WARM_UP = Duration.ofSeconds(4);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(20);

    private FailoverDemo() {
    }

    /**
     * @param args see the class documentation
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * @param args command-line arguments
     * @param out where the live lines and the summary go
     * @param err where a bad argument or scenario is reported, in one line
     * @return the exit code: 0 after a drill (its verdict is in the report), 2 for bad input
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        Scenario scenario;
        try {
            options = Options.parse(args);
            scenario = options.scenario() == null ? ScenarioReader.builtIn() : ScenarioReader.read(options.scenario());
            if (options.rate() != null) {
                scenario = scenario.withRate(options.rate());
            }
            if (options.phaseDuration() != null) {
                scenario = scenario.withPhaseDuration(options.phaseDuration());
            }
            if (options.compare()) {
                scenario = scenario.withCallers(Scenario.CALLERS);
            }
        } catch (ScenarioReader.BadScenarioException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        Report report = drill(scenario, out);
        try {
            write(report, options.out());
        } catch (IOException e) {
            err.println("error: cannot write the report to " + options.out() + ": " + e.getMessage());
            return 1;
        }
        Summary.print(report, out);
        out.println();
        for (Report.PhaseResult p : report.phases()) {
            if (p.recoveryMillis() != null) {
                out.printf(java.util.Locale.ROOT, "'%s': traffic home (>= 99%% in %s, to stay) %.1f s after the heal%n",
                        p.name(), report.scenario().callerZone(), p.recoveryMillis() / 1000.0);
            }
        }
        out.println(report.violations().isEmpty() ? "Every expectation met." : "Expectations missed:");
        report.violations().forEach(v -> out.println("  - " + v));
        out.println("Report: " + options.out().resolve("report.html").toAbsolutePath());
        if (report.callers().size() > 1) {
            out.println();
            ComparisonTable.lines(report).forEach(out::println);
        }
        return 0;
    }

    /**
     * Runs the drill and returns what it saw.
     *
     * @param scenario the drill
     * @param out where the live lines go
     * @return the report
     */
    public static Report drill(Scenario scenario, PrintStream out) {
        Map<String, UpstreamFleet> fleets = new LinkedHashMap<>();
        try {
            for (Scenario.Upstream u : scenario.upstreams()) {
                fleets.put(u.name(), new UpstreamFleet(u));
            }
            return drill(scenario, fleets, out);
        } finally {
            fleets.values().forEach(UpstreamFleet::close);
        }
    }

    private static Report drill(Scenario scenario, Map<String, UpstreamFleet> fleets, PrintStream out) {
        Map<String, List<UpstreamFleet.Instance>> listed = new LinkedHashMap<>();
        fleets.forEach((name, fleet) -> listed.put(name, fleet.instances()));
        List<String> services = scenario.services();
        String first = services.get(0);
        AttemptTimeline timeline = new AttemptTimeline(services);
        try (DemoRegistry registry = new DemoRegistry(listed);
             ConfigurableApplicationContext caller = new SpringApplicationBuilder(CallerApplication.class)
                     .web(WebApplicationType.NONE).properties(callerProperties(scenario, registry))
                     .initializers(c -> c.getBeanFactory().registerSingleton("attemptTimeline", timeline)).run();
             SpringCloudCaller peer = scenario.callers().contains(SpringCloudCaller.NAME)
                     ? new SpringCloudCaller(scenario, fleets, registry.url()) : null) {
            CallerApplication.ServiceCalls calls = caller.getBean(CallerApplication.ServiceCalls.class);
            MeshlessClients clients = caller.getBean(MeshlessClients.class);
            for (String service : services) {
                awaitRoutable(clients.client(service));
            }
            Runnable request = () -> callEach(services, calls::call);
            Runnable peerRequest = peer == null ? null : () -> callEach(services, peer::call);
            warmUp(scenario, request, peerRequest, out);
            awaitSettled(scenario, clients, out);
            if (peer != null && !peer.awaitHome(SETTLE_TIMEOUT)) {
                out.println("  warm-up: the " + SpringCloudCaller.NAME + " caller was not answered from "
                        + scenario.callerZone() + " with its breakers closed within " + SETTLE_TIMEOUT.toSeconds()
                        + " s; starting anyway");
            }
            Recorder recorder = new Recorder();
            Recorder peerRecorder = new Recorder();
            MeterRegistry meters = caller.getBean(MeterRegistry.class);
            long origin = System.nanoTime();
            fleets.forEach((name, fleet) -> fleet.countArrivals((i, by) -> (SpringCloudCaller.NAME.equals(by)
                    ? peerRecorder : recorder).arrival(name, (int) (millisSince(origin) / Recorder.SLOT_MILLIS), i.id())));
            timeline.start(origin, recorder);
            if (peer != null) {
                peer.startFiling(origin, peerRecorder);
            }
            List<PhaseRecord> ran = new ArrayList<>();
            List<PhaseRecord> peerRan = new ArrayList<>();
            try (ConcurrencySampler sampler = new ConcurrencySampler(meters, services, origin, recorder);
                 LoadGenerator load = new LoadGenerator(scenario.rate(), scenario.threads(), origin, request,
                         recorder);
                 LoadGenerator peerLoad = peer == null ? null : new LoadGenerator(scenario.rate(), scenario.threads(),
                         origin, peerRequest, peerRecorder)) {
                LiveLine live = new LiveLine(scenario, recorder, out, peer == null ? "" : label(Report.MESHLESS));
                LiveLine peerLive = peer == null ? null
                        : new LiveLine(scenario, peerRecorder, out, label(SpringCloudCaller.NAME));
                for (int i = 0; i < scenario.phases().size(); i++) {
                    Scenario.Phase phase = scenario.phases().get(i);
                    long start = millisSince(origin);
                    for (Scenario.Action a : phase.actions()) {
                        if (a.kind() == Scenario.Kind.REGISTRY) {
                            registry.setUp(a.target().equals("up"));
                        } else {
                            fleets.get(a.service() == null ? first : a.service()).apply(a);
                        }
                    }
                    Map<String, List<String>> targets = new LinkedHashMap<>();
                    fleets.forEach((name, fleet) -> targets.put(name, targetZones(scenario, scenario.upstream(name),
                            fleet)));
                    long probes = count(meters, "meshless.client.probes", first);
                    long retried = count(meters, "meshless.client.calls.retried", first);
                    long end = start + phase.duration().toMillis();
                    live.phase(i, phase);
                    if (peerLive != null) {
                        peerLive.phase(i, phase);
                    }
                    while (millisSince(origin) < end) {
                        pause(Math.min(1_000, end - millisSince(origin)));
                        long now = millisSince(origin);
                        live.print(now);
                        if (peerLive != null) {
                            peerLive.print(now);
                        }
                    }
                    long ended = millisSince(origin);
                    ran.add(new PhaseRecord(phase, start, ended, targets.get(first),
                            count(meters, "meshless.client.probes", first) - probes,
                            count(meters, "meshless.client.calls.retried", first) - retried, targets));
                    // The other caller's probes and retries are not counted: those are Meshless's meters.
                    peerRan.add(new PhaseRecord(phase, start, ended, targets.get(first), 0, 0, targets));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("the drill was interrupted", e);
            } finally {
                fleets.values().forEach(f -> f.countArrivals((i, by) -> { }));
                timeline.stop();
                if (peer != null) {
                    peer.stopFiling();
                }
            }
            Report report = Report.of(scenario, ran, recorder)
                    .forCaller(Report.MESHLESS, meshlessSettings(scenario, registry));
            return peer == null ? report : report.withPeers(List.of(
                    Report.of(scenario, peerRan, peerRecorder).forCaller(SpringCloudCaller.NAME, peer.settings())));
        }
    }

    /** The live lines' prefix when two callers run: the caller's name, padded so that the lines align. */
    private static String label(String caller) {
        return String.format(java.util.Locale.ROOT, "%-13s", caller);
    }

    /**
     * The Meshless caller's settings for the report: those of {@link #callerProperties} that configure it
     * (the rest are the starter's defaults).
     */
    static List<CallerSetting> meshlessSettings(Scenario scenario, DemoRegistry registry) {
        String why = "set by the drill so that it shows recovery in seconds (samples/failover-demo/README.md,"
                + " 'What the drill configures'); everything not listed is the starter's default";
        List<CallerSetting> settings = new ArrayList<>();
        for (String service : scenario.services()) {
            settings.add(new CallerSetting("@ZoneAware(\"" + service + "\") HTTP interface", "(code)", "Meshless"
                    + " routes, retries and fails over the interface's calls", "docs/spring-boot.md"));
        }
        callerProperties(scenario, registry).forEach((key, value) -> {
            if (key.startsWith("meshless.") || key.startsWith("spring.http.clients.")) {
                settings.add(new CallerSetting(key, String.valueOf(value), why, "docs/configuration.md"));
            }
        });
        return settings;
    }

    /**
     * One user request: a call to each service, in order; it fails when one of them fails, and says
     * which (all are called, so that each service's failures are counted on their own).
     */
    private static void callEach(List<String> services, java.util.function.Function<String, String> call) {
        Map<String, String> failures = new LinkedHashMap<>();
        for (String service : services) {
            try {
                checkAnswer(call.apply(service));
            } catch (RuntimeException e) {
                failures.put(service, LoadGenerator.reason(e));
            }
        }
        if (!failures.isEmpty()) {
            throw new LoadGenerator.ServicesFailedException(failures);
        }
    }

    /** @return a counter of the service's calls so far, 0 before its first increment */
    private static long count(MeterRegistry meters, String name, String service) {
        io.micrometer.core.instrument.Counter c = meters.find(name).tag("service", service).counter();
        return c == null ? 0 : (long) c.count();
    }

    /** An upstream answers {@code <instance> <zone> <region>}; anything else is a failed request. */
    private static void checkAnswer(String body) {
        if (body == null || body.split(" ").length != 3) {
            throw new IllegalStateException("unexpected answer from upstream: '" + body + "'");
        }
    }

    /** The caller's configuration: where it runs, where its registry is, and its policies for each upstream service. */
    static Map<String, Object> callerProperties(Scenario scenario, DemoRegistry registry) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.application.name", "caller");
        p.put("spring.main.banner-mode", "off");
        p.put("logging.level.root", "WARN");
        p.put("logging.level.dev.meshless", "ERROR");
        p.put("demo.registry-url", registry.url());
        p.put("meshless.locality.region", scenario.callerRegion());
        p.put("meshless.locality.zone", scenario.callerZone());
        p.put("meshless.registry.discovery-client.refresh-interval", "1s");
        p.put("meshless.http.services", String.join(",", scenario.services()));
        // The demo's jar holds Spring Cloud LoadBalancer for the comparison's spring-cloud caller; this caller
        // does not use it (its @ZoneAware interfaces are Meshless's either way), as before it was on the class path.
        p.put("spring.cloud.loadbalancer.enabled", "false");
        for (String service : scenario.services()) {
            // Ejection times and zone-breaker waits stay at their defaults (30 s, 10 s): recovery comes from
            // the active health probes (1 s apart, one pass; a zone's other endpoints probed at once), as it would in production.
            String prefix = "meshless.services." + service + ".";
            p.put(prefix + "timeouts.deadline", "2s");
            p.put(prefix + "timeouts.per-try", "300ms");
            p.put(prefix + "service-breaker.wait-duration-in-open-state", "2s");
            scenario.callerPolicy().forEach((key, value) -> p.put(prefix + key, value));
        }
        p.put("spring.http.clients.connect-timeout", "200ms");
        p.put("spring.http.clients.read-timeout", "300ms");
        return p;
    }

    /**
     * A running service has warm connections and compiled code. The warm-up ramps the load up over
     * {@link #WARM_UP} (a tenth, a quarter, half, then the full rate), unrecorded, through every caller
     * at once. What failed during the warm-up is printed.
     */
    private static void warmUp(Scenario scenario, Runnable request, Runnable peerRequest, PrintStream out) {
        out.println("Warming up for " + WARM_UP.toSeconds() + " s...");
        Recorder warm = new Recorder();
        Recorder peerWarm = new Recorder();
        long step = WARM_UP.toMillis() / 4;
        for (double fraction : new double[] {0.1, 0.25, 0.5, 1.0}) {
            int rate = Math.max(1, (int) (scenario.rate() * fraction));
            try (LoadGenerator load = new LoadGenerator(rate, scenario.threads(), System.nanoTime(), request, warm);
                 LoadGenerator peerLoad = peerRequest == null ? null
                         : new LoadGenerator(rate, scenario.threads(), System.nanoTime(), peerRequest, peerWarm)) {
                pause(step);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("the drill was interrupted", e);
            }
        }
        printFailures(warm, peerRequest == null ? "" : Report.MESHLESS + " ", out);
        printFailures(peerWarm, SpringCloudCaller.NAME + " ", out);
    }

    private static void printFailures(Recorder warm, String caller, PrintStream out) {
        Map<String, Long> errors = new java.util.TreeMap<>();
        warm.requests().stream().filter(r -> !r.ok()).forEach(r -> errors.merge(r.error(), 1L, Long::sum));
        errors.forEach((why, n) -> out.println("  warm-up: " + caller + n + " of " + warm.requests().size()
                + " failed: " + why));
    }

    /**
     * Waits until the Meshless caller has settled — its service breaker closed and every endpoint of its
     * zone back in the routing plan — so that the first phase measures Meshless rather than the JVM's start.
     */
    private static void awaitSettled(Scenario scenario, MeshlessClients clients, PrintStream out) {
        Locality home = Locality.of(scenario.callerRegion(), scenario.callerZone());
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        for (Scenario.Upstream u : scenario.upstreams()) {
            ServiceClient client = clients.client(u.name());
            // A service without a zone in the caller's has no home share to wait for.
            double settled = u.zoneSizes().containsKey(scenario.callerZone()) ? 0.999 : 0.0;
            while (client.serviceBreaker().getState() != CircuitBreaker.State.CLOSED
                    || client.balancer().plan().shareByZone().getOrDefault(home, 0.0) < settled) {
                if (System.nanoTime() > deadline) {
                    out.println("  warm-up: the caller had not settled after " + SETTLE_TIMEOUT.toSeconds()
                            + " s (" + u.name() + ": service breaker " + client.serviceBreaker().getState()
                            + ", share of " + home + " " + client.balancer().plan().shareByZone().getOrDefault(home, 0.0)
                            + "); starting anyway");
                    return;
                }
                pause(50);
            }
        }
    }

    private static void awaitRoutable(ServiceClient client) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!client.balancer().plan().routable()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the caller did not learn the upstream's endpoints within 15 s");
            }
            pause(20);
        }
    }

    /**
     * Where traffic may go now: the caller's zone alone while all of it is healthy; else the zones
     * of its region that can still serve (a partly healthy caller's zone keeps part of its traffic
     * and spills the rest to its neighbours); else those of other regions. Moving off a bad instance
     * inside a zone that stays a target is outlier detection's work, seen in errors and latency,
     * not in zone shares.
     */
    static List<String> targetZones(Scenario scenario, UpstreamFleet fleet) {
        return targetZones(scenario, scenario.upstreams().get(0), fleet);
    }

    /** {@link #targetZones(Scenario, UpstreamFleet)} for one of the scenario's upstream services. */
    static List<String> targetZones(Scenario scenario, Scenario.Upstream upstream, UpstreamFleet fleet) {
        if (upstream.zoneSizes().containsKey(scenario.callerZone()) && fleet.healthy(scenario.callerZone())) {
            return List.of(scenario.callerZone());
        }
        List<String> sameRegion = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String zone : upstream.zones()) {
            if (fleet.canServe(zone)) {
                (zone.startsWith(scenario.callerRegion() + "-") ? sameRegion : others).add(zone);
            }
        }
        return sameRegion.isEmpty() ? others : sameRegion;
    }

    private static void write(Report report, Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        Files.writeString(dir.resolve("report.json"), json.writeValueAsString(report.toJson()), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.html"), HtmlReport.render(report), StandardCharsets.UTF_8);
    }

    private static long millisSince(long originNanos) {
        return (System.nanoTime() - originNanos) / 1_000_000;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(Math.max(1, millis)); // the drill's clock: phases last real seconds
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the drill was interrupted", e);
        }
    }

    /** The command line. */
    record Options(Path scenario, Integer rate, Duration phaseDuration, Path out, boolean compare) {

        static Options parse(String[] args) {
            Path scenario = null;
            Integer rate = null;
            Duration phase = null;
            Path out = Path.of("target", "meshless-demo");
            boolean compare = false;
            for (String arg : args) {
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg : arg.substring(0, eq);
                String value = eq < 0 ? "" : arg.substring(eq + 1);
                switch (name) {
                    case "--scenario" -> scenario = Path.of(nonEmpty(name, value));
                    case "--rate" -> rate = wholeNumber(name, value, 1, 5_000);
                    case "--phase-duration" -> phase = ScenarioReader.duration(value, name);
                    case "--out" -> out = Path.of(nonEmpty(name, value));
                    case "--compare" -> compare = noValue(arg);
                    case "--help", "-h" -> throw new IllegalArgumentException("usage: java -jar meshless-demo.jar"
                            + " [--scenario=FILE] [--rate=N] [--phase-duration=10s] [--out=DIR] [--compare]");
                    default -> throw new IllegalArgumentException("unknown option '" + arg + "'; expected --scenario,"
                            + " --rate, --phase-duration, --out or --compare");
                }
            }
            return new Options(scenario, rate, phase, out, compare);
        }

        private static boolean noValue(String arg) {
            if (!arg.equals("--compare")) {
                throw new IllegalArgumentException("--compare takes no value, but was '" + arg + "'");
            }
            return true;
        }

        private static String nonEmpty(String name, String value) {
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + " needs a value, as in " + name + "=...");
            }
            return value;
        }

        private static int wholeNumber(String name, String value, int min, int max) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max
                    + ", but was '" + value + "'");
        }
    }
}
