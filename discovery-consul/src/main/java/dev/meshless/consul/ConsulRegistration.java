package dev.meshless.consul;

import dev.meshless.consul.internal.Backoff;
import dev.meshless.consul.internal.Futures;
import dev.meshless.consul.internal.GoDuration;
import dev.meshless.config.Values;
import dev.meshless.time.TimeSource;
import dev.meshless.topology.HealthStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the running instance with its local agent, keeps its TTL check passing, and deregisters
 * it on {@link #close()}.
 *
 * <p>{@link #start()} tries to register for at most {@code startupTimeout} (retrying with jittered
 * backoff) and then returns, registered or not; failed registrations keep being retried in the
 * background, so that a Consul outage never holds up start-up. Heartbeats go every
 * {@code heartbeatInterval}; when the agent no longer knows the check (it lost its state: 404, or 500
 * from agents before Consul 1.11), the instance is registered again. {@link #status} changes what the heartbeats report, e.g. warning
 * while draining.
 *
 * <p>Thread-safe; background work runs on the {@link TimeSource}'s timers and the HTTP client's threads.
 */
public final class ConsulRegistration implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsulRegistration.class);

    private final ConsulClient client;
    private final ConsulRegistrationConfig config;
    private final TimeSource time;
    private final Map<String, Object> definition;
    private final String checkId;
    private final Backoff backoff;
    private volatile boolean registered;
    private volatile boolean closed;
    private volatile HealthStatus status = HealthStatus.PASSING;
    private volatile String note;
    private TimeSource.Cancellable timer;
    /** The latest heartbeat; each one starts when the one before has finished. Guarded by {@code this}. */
    private CompletableFuture<?> heartbeats = CompletableFuture.completedFuture(null);

    private ConsulRegistration(ConsulClient client, ConsulRegistrationConfig config, TimeSource time) {
        this.client = client;
        this.config = config;
        this.time = time;
        this.checkId = "service:" + config.instanceId();
        this.backoff = new Backoff(config.retryInitial(), config.retryMax());
        this.definition = definition(config, checkId);
    }

    /**
     * @param client the local agent's client
     * @param config what to register
     * @return a registration on the system clock; call {@link #start()}
     */
    public static ConsulRegistration create(ConsulClient client, ConsulRegistrationConfig config) {
        return create(client, config, TimeSource.system());
    }

    /**
     * @param client the local agent's client
     * @param config what to register
     * @param time timers for heartbeats and retries, and the clock of {@code startupTimeout}
     * @return a registration; call {@link #start()}
     */
    public static ConsulRegistration create(ConsulClient client, ConsulRegistrationConfig config, TimeSource time) {
        return new ConsulRegistration(Objects.requireNonNull(client, "client"), Objects.requireNonNull(config,
                "config"), Objects.requireNonNull(time, "time"));
    }

    /**
     * Registers, blocking for at most {@code startupTimeout}; keeps retrying in the background when
     * that is not enough.
     *
     * @return whether the instance is registered
     */
    public boolean start() {
        long deadline = time.nanoTime() + config.startupTimeout().toNanos();
        while (!closed) {
            long remaining = deadline - time.nanoTime();
            if (remaining <= 0) {
                break;
            }
            Duration attempt = Duration.ofNanos(Math.min(remaining, client.config().requestTimeout().toNanos()));
            try {
                client.registerServiceAsync(definition, true, attempt).join();
                onRegistered();
                return true;
            } catch (CompletionException e) {
                Duration delay = backoff.nextDelay();
                logFailure(e, delay);
                if (delay.toNanos() >= deadline - time.nanoTime()) {
                    break;
                }
                try {
                    time.sleep(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (!closed) {
            Duration delay = backoff.nextDelay();
            log.warn("Service instance '{}' is not registered with Consul after startupTimeout ({}); starting "
                    + "anyway and retrying in the background", config.instanceId(),
                    Values.format(config.startupTimeout()));
            schedule(this::registerInBackground, delay);
        }
        return false;
    }

    /** @return whether the agent accepted the registration (and has not lost it since) */
    public boolean registered() {
        return registered;
    }

    /**
     * Sets what the TTL heartbeats report from now on, and reports it at once.
     *
     * @param status passing, warning (e.g. draining) or critical
     * @param note the check's output, or null
     */
    public void status(HealthStatus status, String note) {
        this.status = Objects.requireNonNull(status, "status");
        this.note = note;
        if (registered && config.httpCheck() == null) {
            heartbeat(false);
        }
    }

    /** @return the JSON body sent to {@code PUT /v1/agent/service/register} */
    public Map<String, Object> definition() {
        return definition;
    }

    /** @return the id of the registered check */
    public String checkId() {
        return checkId;
    }

    /** Stops heartbeats and retries, and deregisters the instance (waiting up to the request timeout). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (this) {
            if (timer != null) {
                timer.cancel();
            }
        }
        if (!registered) {
            return;
        }
        try {
            client.deregisterService(config.instanceId());
            registered = false;
            log.info("Deregistered service instance '{}' from Consul", config.instanceId());
        } catch (ConsulException e) {
            log.warn("Cannot deregister service instance '{}' from Consul ({}); the agent removes it after {}",
                    config.instanceId(), e.getMessage(), Values.format(config.deregisterCriticalAfter()));
        }
    }

    private void onRegistered() {
        boolean again = backoff.failures() > 0;
        backoff.reset();
        registered = true;
        log.info("Registered service instance '{}' ({}) with Consul at {}{}", config.instanceId(), config,
                client.address(), again ? " after retrying" : "");
        if (config.httpCheck() == null) {
            heartbeat(true);
        }
    }

    private void registerInBackground() {
        if (closed) {
            return;
        }
        client.registerServiceAsync(definition, true, client.config().requestTimeout()).whenComplete((ok, failure) -> {
            if (closed) {
                return;
            }
            if (failure == null) {
                onRegistered();
            } else {
                Duration delay = backoff.nextDelay();
                logFailure(failure, delay);
                schedule(this::registerInBackground, delay);
            }
        });
    }

    /**
     * Sends a heartbeat after the previous one has finished, so that they reach the agent in order and
     * the last one carries the latest {@link #status}; {@code reschedule} keeps the periodic chain going.
     */
    private void heartbeat(boolean reschedule) {
        synchronized (this) {
            if (closed) {
                return;
            }
            heartbeats = heartbeats.handle((ignored, failure) -> null)
                    .thenCompose(ignored -> closed ? CompletableFuture.completedFuture(null)
                            : client.updateTtlCheckAsync(checkId, status, note))
                    .whenComplete((ok, failure) -> afterHeartbeat(failure, reschedule));
        }
    }

    private void afterHeartbeat(Throwable failure, boolean reschedule) {
        if (closed) {
            return;
        }
        if (failure != null) {
            Throwable cause = Futures.unwrap(failure);
            // Only the periodic chain re-registers, so that a status() call cannot start a second chain.
            if (reschedule && cause instanceof ConsulException && lostCheck((ConsulException) cause)) {
                log.warn("Consul no longer knows check '{}' of instance '{}'; registering again", checkId,
                        config.instanceId());
                registered = false;
                schedule(this::registerInBackground, Duration.ZERO);
                return;
            }
            log.warn("TTL heartbeat of instance '{}' failed: {}", config.instanceId(), cause.getMessage());
        }
        if (reschedule) {
            schedule(() -> heartbeat(true), config.heartbeatInterval());
        }
    }

    /**
     * Whether the agent no longer knows the TTL check — it lost its state (restarted without its data
     * directory, or another registration replaced it): 404 "Unknown check ID" from Consul 1.11 on
     * (vetCheckUpdateWithAuthorizer, agent/acl.go); 500 from older agents, "Unknown check" with ACLs
     * (vetCheckUpdate) or "CheckID … does not have associated TTL" without (Agent.updateTTLCheck,
     * agent/agent.go). Anything else — a 500 from a server without a leader, an unreachable agent — is
     * retried as a heartbeat.
     */
    static boolean lostCheck(ConsulException e) {
        if (e.reason() != ConsulException.Reason.HTTP_STATUS) {
            return false;
        }
        String answer = e.answer() == null ? "" : e.answer();
        return e.status() == 404 || (e.status() == 500 && (answer.contains("Unknown check")
                || answer.contains("does not have associated TTL")));
    }

    private synchronized void schedule(Runnable task, Duration delay) {
        if (!closed) {
            timer = time.schedule(task, delay);
        }
    }

    private void logFailure(Throwable failure, Duration delay) {
        Throwable cause = Futures.unwrap(failure);
        String message = cause.getMessage();
        if (backoff.failures() == 1 || backoff.failures() % 10 == 0) {
            log.warn("Cannot register service instance '{}' with Consul ({} attempt(s)): {}; retrying in {}",
                    config.instanceId(), backoff.failures(), message, Values.format(Duration.ofMillis(
                    delay.toMillis())));
        } else {
            log.debug("Cannot register service instance '{}' with Consul: {}", config.instanceId(), message);
        }
    }

    private static Map<String, Object> definition(ConsulRegistrationConfig c, String checkId) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("CheckID", checkId);
        check.put("Name", "Service '" + c.serviceName() + "' " + (c.httpCheck() != null ? "HTTP" : "TTL") + " check");
        if (c.httpCheck() != null) {
            check.put("HTTP", c.httpCheck());
            check.put("Interval", GoDuration.format(c.checkInterval()));
            check.put("Timeout", GoDuration.format(c.checkTimeout()));
        } else {
            check.put("TTL", GoDuration.format(c.ttl()));
            check.put("Status", "passing");
        }
        check.put("DeregisterCriticalServiceAfter", GoDuration.format(c.deregisterCriticalAfter()));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ID", c.instanceId());
        d.put("Name", c.serviceName());
        d.put("Address", c.address());
        d.put("Port", c.port());
        d.put("Tags", List.copyOf(c.tags()));
        d.put("Meta", new LinkedHashMap<>(c.meta()));
        d.put("Weights", Map.of("Passing", c.weightPassing(), "Warning", c.weightWarning()));
        d.put("Check", check);
        return java.util.Collections.unmodifiableMap(d);
    }
}
