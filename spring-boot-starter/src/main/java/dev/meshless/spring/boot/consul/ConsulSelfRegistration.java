package dev.meshless.spring.boot.consul;

import dev.meshless.consul.ConsulRegistration;
import dev.meshless.consul.ConsulRegistrationConfig;
import dev.meshless.time.TimeSource;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Registers the running application with its local Consul agent through the registry's
 * {@link dev.meshless.consul.ConsulRegistry#agentClient() agent client} (so the requests are
 * measured), keeps its TTL check passing, and deregisters it when the application stops.
 *
 * <p>A {@link SmartLifecycle} in phase {@value #PHASE}: it starts after the embedded web server
 * (phase {@code WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE}), so the port it registers
 * is the one the server really listens on — also with {@code server.port=0} — and stops before the
 * server's graceful shutdown ({@code GRACEFUL_SHUTDOWN_PHASE}), so callers stop picking this
 * instance while it still finishes its requests. {@code start()} blocks for at most
 * {@code meshless.consul.registration.startup-timeout}, then lets the application start and goes on
 * retrying in the background.
 *
 * <p>The check follows Spring Boot's readiness: {@link ReadinessState#REFUSING_TRAFFIC} reports it
 * critical (no Meshless caller picks the instance), {@link ReadinessState#ACCEPTING_TRAFFIC} passing.
 * Applications may set another status, e.g. warning while draining, with {@link #status}.
 *
 * <p>Thread-safe.
 */
public final class ConsulSelfRegistration implements SmartLifecycle,
        ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

    /**
     * After the web server starts ({@code Integer.MAX_VALUE - 2048}), before its graceful shutdown
     * ({@code Integer.MAX_VALUE - 1024}) stops.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private static final Logger log = LoggerFactory.getLogger(ConsulSelfRegistration.class);

    private final ConsulContributor contributor;
    private final IntFunction<ConsulRegistrationConfig> config;
    private final Integer configuredPort;
    private final ToIntFunction<ApplicationContext> webServerPort;
    private final ApplicationContext context;
    private final TimeSource time;
    /** Why this instance is not registered at all, or null; fixed at construction. */
    private final String off;

    private volatile boolean running;
    private volatile ConsulRegistration current;
    private volatile String state;
    private volatile HealthStatus status = HealthStatus.PASSING;
    private volatile String note;

    /**
     * @param contributor the Consul source, whose agent client registers
     * @param config the registration's configuration for a port (validated at start-up)
     * @param configuredPort {@code meshless.consul.registration.port}, or {@code null} for the web server's
     * @param webServerPort the port of the application context's web server, or a value below 1 without one
     * @param context the application context
     * @param time timers for heartbeats and retries
     * @param off why registration is off (no service name, no locality), or {@code null}
     */
    ConsulSelfRegistration(ConsulContributor contributor, IntFunction<ConsulRegistrationConfig> config,
                           Integer configuredPort, ToIntFunction<ApplicationContext> webServerPort,
                           ApplicationContext context, TimeSource time, String off) {
        this.contributor = contributor;
        this.config = config;
        this.configuredPort = configuredPort;
        this.webServerPort = webServerPort;
        this.context = context;
        this.time = time;
        this.off = off;
        this.state = off != null ? "off: " + off : "not started";
        contributor.registration(this);
    }

    @Override
    public void start() {
        synchronized (this) {
            if (running) {
                return;
            }
            running = true;
        }
        if (off != null) {
            return;
        }
        int port = configuredPort != null ? configuredPort : webServerPort.applyAsInt(context);
        if (port < 1) {
            state = "off: no web server port";
            log.info("Meshless: this instance is not registered with Consul: it has no web server; set "
                    + "meshless.consul.registration.port to register it");
            return;
        }
        ConsulRegistration registration = ConsulRegistration.create(contributor.registry().agentClient(),
                config.apply(port), time);
        registration.status(status, note);
        current = registration;
        state = "registering";
        registration.start();
    }

    @Override
    public void stop() {
        ConsulRegistration registration;
        synchronized (this) {
            running = false;
            registration = current;
            current = null;
        }
        if (registration != null) {
            registration.close();
            state = "deregistered";
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
        if (event.getState() == ReadinessState.REFUSING_TRAFFIC) {
            status(HealthStatus.CRITICAL, "readiness: refusing traffic");
        } else {
            status(HealthStatus.PASSING, null);
        }
    }

    /**
     * Sets what the check reports from now on (TTL check only; an HTTP check is the agent's).
     *
     * @param status passing, warning (e.g. draining) or critical
     * @param note the check's output, or {@code null}
     */
    public void status(HealthStatus status, String note) {
        this.status = status;
        this.note = note;
        ConsulRegistration registration = current;
        if (registration != null) {
            registration.status(status, note);
        }
    }

    /** @return the running registration, or {@code null} before start, after stop or when off */
    public ConsulRegistration registration() {
        return current;
    }

    /** @return whether the agent accepted the registration (and has not lost it since) */
    public boolean registered() {
        ConsulRegistration registration = current;
        return registration != null && registration.registered();
    }

    /** @return {@code registered}, {@code registering}, {@code off: <why>}, {@code deregistered} … */
    String state() {
        return registered() ? "registered" : current != null ? "registering" : state;
    }

    /** @return whether this instance should be registered but is not (Consul unreachable, refused) */
    boolean failing() {
        ConsulRegistration registration = current;
        return registration != null && !registration.registered();
    }

    /** @return the state, and what is registered once started; never the token */
    Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("state", state());
        ConsulRegistration registration = current;
        if (registration != null) {
            Map<String, Object> definition = registration.definition();
            d.put("instanceId", definition.get("ID"));
            d.put("service", definition.get("Name"));
            d.put("address", Endpoint.hostPort(String.valueOf(definition.get("Address")), (Integer) definition.get("Port")));
            d.put("meta", definition.get("Meta"));
            d.put("check", status.label());
        }
        return d;
    }
}
