package dev.meshless.demo.peer;

import dev.meshless.demo.CallerSetting;
import dev.meshless.demo.Scenario;
import dev.meshless.demo.UpstreamFleet;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
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
    private final SpringCloudCallerApplication.Upstream upstream;

    /**
     * Starts the application.
     *
     * @param scenario the drill
     * @param fleet the upstream's instances, to tell each attempt's zone by its port
     * @param registryUrl the demo registry, which it reads as the Meshless caller does
     */
    public SpringCloudCaller(Scenario scenario, UpstreamFleet fleet, String registryUrl) {
        this.scenario = scenario;
        Map<Integer, String> zones = new HashMap<>();
        fleet.instances().forEach(i -> zones.put(i.port(), i.zone()));
        this.attempts = new ZoneAttempts(zones);
        this.context = new SpringApplicationBuilder(SpringCloudCallerApplication.class)
                .web(WebApplicationType.NONE).properties(SpringCloudSettings.properties(scenario, registryUrl))
                .initializers(c -> c.getBeanFactory().registerSingleton("zoneAttempts", attempts)).run();
        this.upstream = context.getBean(SpringCloudCallerApplication.Upstream.class);
    }

    /**
     * One call, as the load generator makes it: it returns the answer's body or throws why it failed
     * (the cause, not the future's wrapper).
     *
     * @return the body
     */
    public String work() {
        try {
            return upstream.work().join();
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
        CircuitBreaker breaker = context.getBean(CircuitBreakerRegistry.class).circuitBreaker("upstream");
        long deadline = System.nanoTime() + timeout.toNanos();
        int home = 0;
        while (System.nanoTime() < deadline) {
            String answer;
            try {
                answer = work();
            } catch (RuntimeException e) {
                answer = "";
            }
            boolean inZone = answer.endsWith(" " + scenario.callerZone() + " " + scenario.callerRegion());
            home = inZone && breaker.getState() == CircuitBreaker.State.CLOSED ? home + 1 : 0;
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
