package dev.meshless.spring.boot.cloud.discovery;

import dev.meshless.config.Check;
import dev.meshless.registry.EndpointListener;
import dev.meshless.registry.EndpointRegistry;
import dev.meshless.registry.ServiceEndpoints;
import dev.meshless.registry.Subscription;
import dev.meshless.time.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * A Meshless registry that reads a Spring Cloud {@link DiscoveryClient} (Consul, Eureka,
 * Kubernetes, the {@code SimpleDiscoveryClient} …), for applications that already use one.
 *
 * <p>For each subscribed service it reads {@link DiscoveryClient#getInstances} when the
 * subscription starts (on the subscribing thread, so that the first calls already have endpoints)
 * and then every refresh interval, and delivers the endpoints ({@link InstanceMapping}) only when
 * they differ from the last delivery. A discovery client has no change events, so a change reaches
 * Meshless within one interval. When the discovery client throws, the registry keeps quiet: the
 * balancer keeps routing on the last set, and the failure is logged at WARN once (then at DEBUG
 * until a read succeeds again).
 *
 * <p>The interval is timed on the {@link TimeSource}; the reads themselves run on the reader
 * executor (by default one daemon thread of this registry, {@code meshless-discovery-client}),
 * because a discovery client may block and timers must not. The next read of a service is scheduled
 * when its last one ends, so reads of one service never overlap and deliveries follow their order.
 * Thread-safe.
 */
public final class DiscoveryClientRegistry implements EndpointRegistry, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DiscoveryClientRegistry.class);

    private final DiscoveryClient discoveryClient;
    private final InstanceMapping mapping;
    private final Duration refreshInterval;
    private final TimeSource time;
    private final Executor reader;
    /** Non-null when this registry created the reader, and must shut it down. */
    private final ExecutorService ownReader;

    /**
     * A registry reading on its own daemon thread.
     *
     * @param discoveryClient where instances come from
     * @param mapping how instances become endpoints
     * @param refreshInterval how often each subscribed service is read again; positive
     * @param time times the interval
     */
    public DiscoveryClientRegistry(DiscoveryClient discoveryClient, InstanceMapping mapping, Duration refreshInterval,
                                   TimeSource time) {
        this(discoveryClient, mapping, refreshInterval, time, Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "meshless-discovery-client");
            t.setDaemon(true);
            return t;
        }), true);
    }

    /**
     * A registry reading on the given executor (tests pass {@code Runnable::run} to read on the
     * timer's thread).
     *
     * @param discoveryClient where instances come from
     * @param mapping how instances become endpoints
     * @param refreshInterval how often each subscribed service is read again; positive
     * @param time times the interval
     * @param reader runs the periodic reads
     */
    public DiscoveryClientRegistry(DiscoveryClient discoveryClient, InstanceMapping mapping, Duration refreshInterval,
                                   TimeSource time, Executor reader) {
        this(discoveryClient, mapping, refreshInterval, time, reader, false);
    }

    private DiscoveryClientRegistry(DiscoveryClient discoveryClient, InstanceMapping mapping, Duration refreshInterval,
                                    TimeSource time, Executor reader, boolean own) {
        this.discoveryClient = Objects.requireNonNull(discoveryClient, "discoveryClient");
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.refreshInterval = Check.positive("refreshInterval", refreshInterval);
        this.time = Objects.requireNonNull(time, "time");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.ownReader = own ? (ExecutorService) reader : null;
    }

    @Override
    public Subscription subscribe(String service, EndpointListener listener) {
        ServiceEndpoints.empty(service); // validates the name
        Poll poll = new Poll(service, Objects.requireNonNull(listener, "listener"));
        poll.read();
        poll.scheduleNext();
        return poll;
    }

    /** @return how often each subscribed service is read again */
    public Duration refreshInterval() {
        return refreshInterval;
    }

    /** Stops the reader thread this registry created; subscriptions stop reading. */
    @Override
    public void close() {
        if (ownReader != null) {
            ownReader.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "DiscoveryClientRegistry{" + discoveryClient.description() + ", every " + refreshInterval + "}";
    }

    /** One subscription: reads, compares, delivers, and schedules its next read. */
    private final class Poll implements Subscription {
        private final String service;
        private final EndpointListener listener;
        /** Guarded by {@code this}, like every read and delivery of the subscription. */
        private ServiceEndpoints lastDelivered;
        private boolean failing;
        private volatile boolean closed;
        private volatile TimeSource.Cancellable next;

        Poll(String service, EndpointListener listener) {
            this.service = service;
            this.listener = listener;
        }

        synchronized void read() {
            if (closed) {
                return;
            }
            List<ServiceInstance> instances;
            try {
                instances = discoveryClient.getInstances(service);
            } catch (RuntimeException e) {
                if (!failing) {
                    failing = true;
                    log.warn("Service '{}': discovery client {} failed; routing stays on the last {} endpoints",
                            service, discoveryClient.description(),
                            lastDelivered == null ? "(no)" : lastDelivered.endpoints().size(), e);
                } else {
                    log.debug("Service '{}': discovery client still failing: {}", service, e.toString());
                }
                return;
            }
            if (failing) {
                failing = false;
                log.info("Service '{}': discovery client {} answers again", service, discoveryClient.description());
            }
            ServiceEndpoints current = mapping.endpoints(service, instances);
            if (current.equals(lastDelivered)) {
                return;
            }
            lastDelivered = current;
            try {
                listener.onEndpoints(current);
            } catch (RuntimeException e) {
                log.warn("Endpoint listener for service '{}' failed", service, e);
            }
        }

        void scheduleNext() {
            if (!closed) {
                next = time.schedule(this::handOff, refreshInterval);
            }
        }

        private void handOff() {
            try {
                reader.execute(() -> {
                    try {
                        read();
                    } finally {
                        scheduleNext();
                    }
                });
            } catch (RejectedExecutionException registryClosed) {
                closed = true;
            }
        }

        @Override
        public void close() {
            closed = true;
            TimeSource.Cancellable pending = next;
            if (pending != null) {
                pending.cancel();
            }
        }
    }
}
