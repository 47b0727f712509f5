package dev.meshless.spring.boot.consul;

import dev.meshless.consul.ConsulRegistry;
import dev.meshless.consul.ViewStatus;
import dev.meshless.config.Values;
import dev.meshless.spring.boot.registry.RegistryContributor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.springframework.context.SmartLifecycle;

/**
 * Adds a {@link ConsulRegistry} to the application's merged registry as the source named
 * {@value #NAME}, at order {@value #ORDER}: after the static endpoints (order 0), whose definitions
 * win when both list an endpoint id, and before a Spring Cloud {@code DiscoveryClient} (order 100).
 *
 * <p>For the actuator it reports every view (service × datacenter: endpoints, origin, last good
 * time, age, errors, whether the last error is permanent, entries left out, endpoints in maintenance,
 * what the last answer said about the leader) and the self-registration's state; a view that Consul
 * cannot confirm (failed reads, loaded from the snapshot, answered by servers without a leader) makes
 * the source {@link #degraded()} — routing goes on from the last good view, so it is never a reason to
 * report the application DOWN. Permanent failures (a token without {@code service:read}, answers the
 * token's ACLs emptied, a filter Consul rejects) are listed apart in the health details, since only a
 * change of configuration or policy ends them. Nothing reported holds the ACL token.
 *
 * <p>When the application stops, the registry is closed — the watches end and the snapshot is
 * written with every view — in lifecycle phase {@value #PHASE}: after the web server has stopped
 * (requests still finishing keep a live view) and before beans are destroyed, because destroying
 * {@code MeshlessClients} ends the subscriptions, and a view without subscribers would no longer be
 * written. The registry cannot be started again once stopped.
 *
 * <p>Thread-safe.
 */
public final class ConsulContributor implements RegistryContributor, SmartLifecycle, AutoCloseable {

    /** The source's order: after the static registry (0), before a discovery client (100). */
    public static final int ORDER = 50;

    /** The source's name in logs and the actuator. */
    public static final String NAME = "consul";

    /** Stops after the web server and the self-registration (higher phases stop first). */
    public static final int PHASE = 0;

    private final ConsulRegistry registry;
    /** Set once by the auto-configuration when self-registration is configured; read by the actuator. */
    private volatile ConsulSelfRegistration registration;
    private volatile boolean running;

    /** @param registry the registry; closed with this contributor */
    public ConsulContributor(ConsulRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public ConsulRegistry registry() {
        return registry;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    /** @param registration this instance's registration, reported with the views */
    void registration(ConsulSelfRegistration registration) {
        this.registration = registration;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("datacenters", registry.datacenters());
        List<Map<String, Object>> views = new ArrayList<>();
        for (ViewStatus s : registry.status()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("service", s.service());
            v.put("datacenter", s.datacenter());
            v.put("region", s.region());
            v.put("endpoints", s.endpoints());
            v.put("origin", s.origin().name().toLowerCase(Locale.ROOT));
            v.put("lastGood", s.lastGood() == null ? null : s.lastGood().toString());
            v.put("age", s.age() == null ? null : age(s.age()));
            v.put("consecutiveErrors", s.consecutiveErrors());
            v.put("lastError", s.lastError());
            v.put("permanentError", s.permanentError());
            v.put("aclFiltered", s.aclFiltered());
            v.put("skipped", s.skipped());
            v.put("maintenance", s.maintenance());
            v.put("knownLeader", s.knownLeader());
            v.put("lastContact", s.lastContact() == null ? null : age(s.lastContact()));
            v.put("backend", s.backend());
            views.add(v);
        }
        d.put("views", views);
        ConsulSelfRegistration r = registration;
        if (r != null) {
            d.put("registration", r.describe());
        }
        return d;
    }

    @Override
    public Map<String, Object> healthDetails() {
        Map<String, Object> d = new LinkedHashMap<>();
        List<ViewStatus> status = registry.status();
        d.put("datacenters", registry.datacenters().size());
        d.put("views", status.size());
        Map<String, String> stale = new LinkedHashMap<>();
        Map<String, String> permanent = new LinkedHashMap<>();
        for (ViewStatus s : status) {
            String view = s.service() + "@" + s.datacenter();
            if (s.stale()) {
                stale.put(view, (s.origin() == ViewStatus.Origin.SNAPSHOT ? "from the snapshot"
                        : s.consecutiveErrors() > 0 ? s.consecutiveErrors() + " failed read(s)"
                        : "answered by servers without a leader"
                        + (s.lastContact() == null ? "" : " (last contact " + age(s.lastContact()) + " ago)"))
                        + (s.age() == null ? "" : ", age " + age(s.age())));
            }
            if (s.permanentError()) {
                permanent.put(view, s.lastError());
            }
        }
        d.put("staleViews", stale);
        d.put("permanentErrors", permanent);
        ConsulSelfRegistration r = registration;
        if (r != null) {
            d.put("registration", r.state());
        }
        return d;
    }

    @Override
    public boolean degraded() {
        ConsulSelfRegistration r = registration;
        return registry.status().stream().anyMatch(ViewStatus::stale) || (r != null && r.failing());
    }

    /** Nothing to do: the registry watches from the moment it is built. */
    @Override
    public void start() {
        running = true;
    }

    /** Closes the registry while every view is still subscribed, so the snapshot holds them all. */
    @Override
    public void stop() {
        running = false;
        registry.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Stops the watches and writes the snapshot (when configured), if {@link #stop()} has not. */
    @Override
    public void close() {
        running = false;
        registry.close();
    }

    @Override
    public String toString() {
        return NAME + ": " + registry;
    }

    private static String age(Duration age) {
        return Values.format(age.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofMillis(age.toMillis())
                : Duration.ofSeconds(age.getSeconds()));
    }
}
