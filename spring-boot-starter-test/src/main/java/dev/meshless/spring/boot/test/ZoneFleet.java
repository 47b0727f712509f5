package dev.meshless.spring.boot.test;

import dev.meshless.registry.ServiceEndpoints;
import dev.meshless.spring.boot.test.FleetInstance.Fault;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Real HTTP endpoints of one service on 127.0.0.1, in named zones and regions, which a test makes
 * refuse connections, answer slowly or fail — a zone, a region or an instance at a time — and heals,
 * counting the requests each received. Each instance is a JDK HTTP server on an ephemeral port that
 * it keeps when it stops and starts again.
 *
 * <p>As a JUnit 5 extension in a Spring Boot test with {@link AutoConfigureMeshlessTest}:
 * <pre>{@code
 * @RegisterExtension
 * static ZoneFleet inventory = ZoneFleet.builder("inventory")
 *         .zone("eu-west-1", "eu-west-1a", 2)
 *         .zone("eu-west-1", "eu-west-1b", 2)
 *         .build();
 *
 * @Test
 * void whenEuWest1aGoesDownCallsStillAnswer() {
 *     inventory.refuse("eu-west-1a");
 *     // ... call inventory through the application: every call answers, from eu-west-1b
 * }
 * }</pre>
 * In a static field the endpoints start before the class's first test and stop after its last; in
 * an instance field, around each test. In a Spring test they are registered in the application's
 * {@link MeshlessTestRegistry} as soon as they start (loading the application context then) and
 * removed when they stop. Before each test every instance is healed, its count set to zero and
 * its endpoint registered again as declared; the application's Meshless state (ejections, open
 * breakers) is the application's, and stays.
 *
 * <p>Without JUnit or Spring: {@link #start()}, then {@link #endpoints()} for any registry (core's
 * {@code StaticRegistry.of(fleet.endpoints())}) or {@link #register}, and {@link #close()}.
 *
 * <p>Thread-safe. Requests are answered on the fleet's own daemon threads, at most 256 at once.
 */
public final class ZoneFleet implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, AutoCloseable {

    private static final int MAX_HANDLER_THREADS = 256;

    private final String service;
    private final List<FleetInstance> instances;
    /** Written under this fleet's lock: handler threads while started, else null. */
    private ThreadPoolExecutor handlers;
    /** Written under this fleet's lock: where the endpoints are registered, if anywhere. */
    private MeshlessTestRegistry registry;
    /** Written under this fleet's lock: started by {@link #beforeEach}, so stopped by {@link #afterEach}. */
    private boolean perTest;

    private ZoneFleet(Builder b) {
        this.service = b.service;
        List<FleetInstance> all = new ArrayList<>();
        for (Zone z : b.zones) {
            for (int i = 0; i < z.count(); i++) {
                all.add(new FleetInstance(z.zone() + "-" + i, service, z.region(), z.zone(), b.responder));
            }
        }
        this.instances = List.copyOf(all);
    }

    /**
     * @param service the service the endpoints stand for, e.g. {@code inventory}
     * @return a builder: add zones, optionally say what the instances answer
     */
    public static Builder builder(String service) {
        return new Builder(service);
    }

    /**
     * Starts every instance that is not running, with the handler threads. Idempotent.
     *
     * @return this fleet
     * @throws UncheckedIOException when a server cannot listen (everything started is stopped)
     */
    public synchronized ZoneFleet start() {
        if (handlers == null) {
            handlers = new ThreadPoolExecutor(0, MAX_HANDLER_THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                    r -> {
                        Thread t = new Thread(r, "zone-fleet-" + service);
                        t.setDaemon(true);
                        return t;
                    });
            try {
                instances.forEach(i -> i.listen(handlers));
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
        return this;
    }

    /**
     * Puts the endpoints in a registry, replacing the service's endpoints there; {@link #close()}
     * removes them.
     *
     * @param target the registry, usually the application's (see {@link AutoConfigureMeshlessTest})
     */
    public synchronized void register(MeshlessTestRegistry target) {
        target.replace(service, endpoints());
        registry = target;
    }

    /** Removes the endpoints from the registry, stops every server and the handler threads. */
    @Override
    public synchronized void close() {
        if (registry != null) {
            registry.replace(service, List.of());
            registry = null;
        }
        instances.forEach(FleetInstance::stop);
        if (handlers != null) {
            handlers.shutdownNow();
            handlers = null;
        }
        perTest = false;
    }

    /** @return the service's name */
    public String service() {
        return service;
    }

    /** @return every instance, zone by zone in the order they were declared */
    public List<FleetInstance> instances() {
        return instances;
    }

    /**
     * @return the instances as Meshless endpoints: id, 127.0.0.1 and the port, region and zone
     * @throws IllegalStateException before {@link #start()}: ports are not known yet
     */
    public List<Endpoint> endpoints() {
        return instances.stream().map(FleetInstance::endpoint).toList();
    }

    /**
     * Stops the instances' servers: their ports refuse connections, as a zone that is down does.
     * They stay registered, as they would until a registry's health checks notice.
     *
     * @param target a zone, a region or an instance id
     */
    public synchronized void refuse(String target) {
        matching(target).forEach(FleetInstance::stop);
    }

    /**
     * Makes the instances answer only after a delay, on top of any other fault.
     *
     * @param target a zone, a region or an instance id
     * @param delay how long each answer waits
     */
    public synchronized void slow(String target, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        matching(target).forEach(i -> i.fault(new Fault(delay, i.fault().status())));
    }

    /**
     * Makes the instances answer {@code 503 Service Unavailable}.
     *
     * @param target a zone, a region or an instance id
     */
    public void fail(String target) {
        fail(target, 503);
    }

    /**
     * Makes the instances answer every request with a status, whatever the responder would say.
     *
     * @param target a zone, a region or an instance id
     * @param status the status, e.g. 500 or 503
     */
    public synchronized void fail(String target, int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be between 100 and 599, was " + status);
        }
        matching(target).forEach(i -> i.fault(new Fault(i.fault().delay(), status)));
    }

    /**
     * Ends every fault of the instances: they listen again on their ports and answer at once.
     *
     * @param target a zone, a region or an instance id
     */
    public synchronized void heal(String target) {
        matching(target).forEach(this::heal);
    }

    /** Ends every fault of every instance. */
    public synchronized void healAll() {
        instances.forEach(this::heal);
    }

    /**
     * @param target a zone, a region or an instance id
     * @return the requests its instances received (whatever they answered; a refused connection is
     *     no request) since they started or since {@link #resetRequests()}
     */
    public int requests(String target) {
        return matching(target).stream().mapToInt(FleetInstance::requests).sum();
    }

    /** @return the requests every instance received */
    public int requests() {
        return instances.stream().mapToInt(FleetInstance::requests).sum();
    }

    /** Sets every instance's count of requests to zero. */
    public void resetRequests() {
        instances.forEach(FleetInstance::resetRequests);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
        registerInSpring(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        synchronized (this) {
            if (handlers == null) {
                perTest = true;
                start();
                registerInSpring(context);
            } else if (registry != null) {
                register(registry); // undoes what the last test changed in the registry
            }
            healAll();
        }
        resetRequests();
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        if (perTest) {
            close();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void registerInSpring(ExtensionContext context) {
        if (!usesSpring(context)) {
            return;
        }
        MeshlessTestRegistry target = SpringExtension.getApplicationContext(context)
                .getBeanProvider(MeshlessTestRegistry.class).getIfAvailable();
        if (target == null) {
            throw new IllegalStateException("ZoneFleet of '" + service + "' cannot register its endpoints: the"
                    + " application context of " + context.getRequiredTestClass().getName() + " has no"
                    + " MeshlessTestRegistry. Annotate the test class with @AutoConfigureMeshlessTest.");
        }
        register(target);
    }

    /** @return whether the test class, or a class enclosing it, runs with Spring's extension */
    private static boolean usesSpring(ExtensionContext context) {
        for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
            boolean spring = AnnotationSupport.findRepeatableAnnotations(c, ExtendWith.class).stream()
                    .flatMap(e -> Arrays.stream(e.value())).anyMatch(SpringExtension.class::isAssignableFrom);
            if (spring) {
                return true;
            }
        }
        return false;
    }

    private List<FleetInstance> matching(String target) {
        List<FleetInstance> matched = instances.stream().filter(i -> i.matches(target)).toList();
        if (matched.isEmpty()) {
            Set<String> zones = new LinkedHashSet<>();
            instances.forEach(i -> zones.add(i.region() + "/" + i.zone()));
            throw new IllegalArgumentException("no zone, region or instance '" + target + "' in the fleet of '"
                    + service + "'; its zones: " + zones);
        }
        return matched;
    }

    private void heal(FleetInstance instance) {
        instance.fault(Fault.NONE);
        if (handlers != null) {
            instance.listen(handlers);
        }
    }

    /** A zone as declared: where, and how many instances. */
    private record Zone(String region, String zone, int count) {
    }

    /** Declares a fleet; not thread-safe. */
    public static final class Builder {
        private final String service;
        private final List<Zone> zones = new ArrayList<>();
        private FleetResponder responder = (request, instance) -> FleetResponse.text(instance.id());

        private Builder(String service) {
            ServiceEndpoints.empty(service); // checks the name
            this.service = service;
        }

        /**
         * @param region the zone's region, e.g. {@code eu-west-1}
         * @param zone the zone, e.g. {@code eu-west-1a}; once per fleet
         * @param count how many instances run there, 1 to 100
         * @return this builder
         */
        public Builder zone(String region, String zone, int count) {
            Locality.of(region, zone);
            if (count < 1 || count > 100) {
                throw new IllegalArgumentException("instances in " + zone + " must be between 1 and 100, was " + count);
            }
            if (zones.stream().anyMatch(z -> z.zone().equals(zone))) {
                throw new IllegalArgumentException("zone " + zone + " is declared twice");
            }
            zones.add(new Zone(region, zone, count));
            return this;
        }

        /**
         * @param answers what a healthy instance answers; by default a 200 whose text body is the
         *     instance's id. An exception it throws is answered as a 500 naming it.
         * @return this builder
         */
        public Builder responder(FleetResponder answers) {
            this.responder = Objects.requireNonNull(answers, "responder");
            return this;
        }

        /**
         * @return the fleet, not started: a JUnit extension starts it, or {@link ZoneFleet#start()}
         * @throws IllegalStateException when no zone was declared
         */
        public ZoneFleet build() {
            if (zones.isEmpty()) {
                throw new IllegalStateException("the fleet of '" + service + "' has no zone");
            }
            return new ZoneFleet(this);
        }
    }
}
