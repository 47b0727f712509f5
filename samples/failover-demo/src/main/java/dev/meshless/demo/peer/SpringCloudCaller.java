package dev.meshless.demo.peer;

import dev.meshless.demo.CallerSetting;
import dev.meshless.demo.Recorder;
import dev.meshless.demo.Scenario;
import dev.meshless.demo.UpstreamFleet;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The spring-cloud caller as the drill runs it: its application ({@link SpringCloudCallerApplication})
 * with {@link SpringCloudSettings}, the attempts it sends to each zone, and one request.
 */
public final class SpringCloudCaller implements AutoCloseable {

    /** The caller's name in scenarios and reports. */
    public static final String NAME = "spring-cloud";

    private final Scenario scenario;
    private final ZoneAttempts attempts;
    private final ConfigurableApplicationContext context;
    private final Map<String, Supplier<CompletableFuture<String>>> calls;

    /**
     * Starts the application for a drill with one upstream service.
     *
     * @param scenario the drill
     * @param fleet the upstream's instances, to tell each attempt's zone by its port
     * @param registryUrl the demo registry, which it reads as the Meshless caller does
     */
    public SpringCloudCaller(Scenario scenario, UpstreamFleet fleet, String registryUrl) {
        this(scenario, Map.of(fleet.service(), fleet), registryUrl);
    }

    /**
     * Starts the application.
     *
     * @param scenario the drill
     * @param fleets each service's instances, to tell each attempt's service and zone by its port
     * @param registryUrl the demo registry, which it reads as the Meshless caller does
     */
    public SpringCloudCaller(Scenario scenario, Map<String, UpstreamFleet> fleets, String registryUrl) {
        this.scenario = scenario;
        Map<Integer, String> zones = new HashMap<>();
        Map<Integer, String> services = new HashMap<>();
        fleets.forEach((service, fleet) -> fleet.instances().forEach(i -> {
            zones.put(i.port(), i.zone());
            services.put(i.port(), service);
        }));
        this.attempts = new ZoneAttempts(zones, services, scenario.services().get(0));
        this.context = new SpringApplicationBuilder(SpringCloudCallerApplication.class)
                .web(WebApplicationType.NONE).properties(SpringCloudSettings.properties(scenario, registryUrl))
                .initializers(c -> c.getBeanFactory().registerSingleton("zoneAttempts", attempts)).run();
        SpringCloudCallerApplication.Upstreams upstreams = context.getBean(SpringCloudCallerApplication.Upstreams.class);
        this.calls = Map.of("upstream", upstreams::upstream, "inventory", upstreams::inventory,
                "pricing", upstreams::pricing);
    }

    /**
     * One call to the scenario's first service.
     *
     * @return the body
     */
    public String work() {
        return call(scenario.services().get(0));
    }

    /**
     * One call, as the load generator makes it: it returns the answer's body or throws why it failed
     * (the cause, not the future's wrapper).
     *
     * @param service the service called
     * @return the body
     */
    public String call(String service) {
        try {
            return calls.get(service).get().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** @return attempts per zone since the start */
    public Map<String, Long> attempts() {
        return attempts.total();
    }

    /**
     * Files each attempt under the 100 ms slot it started in, from now on.
     *
     * @param originNanos the drill's start
     * @param recorder where the slots go
     */
    public void startFiling(long originNanos, Recorder recorder) {
        attempts.start(originNanos, recorder);
    }

    /** Stops filing attempts. */
    public void stopFiling() {
        attempts.stop();
    }

    /** @return its settings with their reasons */
    public List<CallerSetting> settings() {
        return SpringCloudSettings.settings(scenario);
    }

    /** @return its application context */
    public ConfigurableApplicationContext context() {
        return context;
    }

    /**
     * Waits (bounded) until its calls are answered from the caller's zone (its health checks have run and
     * zone preference applies) and its circuit breaker is closed, as the drill waits for the Meshless
     * caller to settle. It calls the service to find out: a breaker leaves its open state only on calls.
     *
     * @param timeout how long to wait at most
     * @return whether it did within the timeout
     */
    public boolean awaitHome(Duration timeout) {
        CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
        long deadline = System.nanoTime() + timeout.toNanos();
        int home = 0;
        while (System.nanoTime() < deadline) {
            boolean settled = true;
            for (Scenario.Upstream u : scenario.upstreams()) {
                String answer;
                try {
                    answer = call(u.name());
                } catch (RuntimeException e) {
                    answer = "";
                }
                // A service without a zone in the caller's has no home to be answered from.
                boolean inZone = !u.zoneSizes().containsKey(scenario.callerZone())
                        || answer.endsWith(" " + scenario.callerZone() + " " + scenario.callerRegion());
                settled &= !answer.isEmpty() && inZone
                        && breakers.circuitBreaker(u.name()).getState() == CircuitBreaker.State.CLOSED;
            }
            home = settled ? home + 1 : 0;
            if (home >= 4) {
                return true;
            }
            try {
                Thread.sleep(50); // the health checks' and the breaker's clock: they run on real time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @Override
    public void close() {
        context.close();
    }
}
