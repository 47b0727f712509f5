package dev.meshless.spring.boot;

import dev.meshless.call.CallListener;
import dev.meshless.call.CallMetrics;
import dev.meshless.call.CallObserver;
import dev.meshless.call.ServiceClient;
import dev.meshless.health.HealthCheckPolicy;
import dev.meshless.health.HealthProbe;
import dev.meshless.outcome.OutcomeClassifier;
import dev.meshless.ratelimit.GlobalRateLimiter;
import dev.meshless.ratelimit.LocalRateLimiter;
import dev.meshless.ratelimit.RateLimitGate;
import dev.meshless.ratelimit.RateLimitMetrics;
import dev.meshless.ratelimit.RateLimiter;
import dev.meshless.ratelimit.SharedBuckets;
import dev.meshless.ratelimit.SharedRateLimiter;
import dev.meshless.registry.EndpointRegistry;
import dev.meshless.spring.boot.PolicyResolver;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.policy.ServicePolicies;
import dev.meshless.time.TimeSource;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's {@link ServiceClient}s, one per called service, built on first use with that
 * service's resolved policies, the merged registry, this instance's locality and the shared
 * Resilience4j registries. HTTP integrations, the Spring Cloud LoadBalancer bridge,
 * {@code @ZoneAware} and the actuator endpoint all go through this bean.
 *
 * <p>Thread-safe.
 */
public class MeshlessClients implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MeshlessClients.class);

    private final EndpointRegistry registry;
    private final MeshlessInstance instance;
    private volatile PolicyResolver policies;
    private final ClassifierFactory classifiers;
    private final TimeSource time;
    private final CircuitBreakerRegistry breakers;
    private final RateLimiterRegistry limiters;
    private final CallMetrics metrics;
    private final CallObserver observer;
    private final RateLimitMetrics rateLimitMetrics;
    private final List<CallListener> listeners;
    private final Set<String> routedHosts;
    private final SharedBuckets shared;
    /** Global outbound limiters, which follow the registry until closed. */
    private final List<AutoCloseable> outboundLimiters = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, ServiceClient> clients = new ConcurrentHashMap<>();
    /** Set once, before the first client is built; null for core's own probes. */
    private volatile HealthProbeFactory healthProbes;

    /**
     * @param registry where endpoints come from
     * @param instance who and where this instance is
     * @param policies resolves each service's policies
     * @param classifiers makes each client's classifier (HTTP-aware in the starter)
     * @param time time source
     * @param breakers Resilience4j registry for zone and service breakers
     * @param limiters Resilience4j registry for outbound limits, or {@code null}
     * @param metrics call metrics
     * @param rateLimitMetrics outbound-limit metrics
     * @param listeners every client's listeners
     * @param routedHosts host names routed by the HTTP integrations besides the clients already built
     * @param shared where global outbound limits are counted exactly (Redis), or {@code null}: then
     *     each instance enforces its registry share
     */
    public MeshlessClients(EndpointRegistry registry, MeshlessInstance instance, PolicyResolver policies,
                           ClassifierFactory classifiers, TimeSource time, CircuitBreakerRegistry breakers,
                           RateLimiterRegistry limiters, CallMetrics metrics, RateLimitMetrics rateLimitMetrics,
                           List<? extends CallListener> listeners, Set<String> routedHosts, SharedBuckets shared) {
        this(registry, instance, policies, classifiers, time, breakers, limiters, metrics, CallObserver.NOOP,
                rateLimitMetrics, listeners, routedHosts, shared);
    }

    /**
     * As the constructor without an observer, with every client's calls and attempts observed.
     *
     * @param registry where endpoints come from
     * @param instance who and where this instance is
     * @param policies resolves each service's policies
     * @param classifiers makes each client's classifier (HTTP-aware in the starter)
     * @param time time source
     * @param breakers Resilience4j registry for zone and service breakers
     * @param limiters Resilience4j registry for outbound limits, or {@code null}
     * @param metrics call metrics
     * @param observer follows every client's calls and attempts (Micrometer observations in the
     *     starter), or {@link CallObserver#NOOP}
     * @param rateLimitMetrics outbound-limit metrics
     * @param listeners every client's listeners
     * @param routedHosts host names routed by the HTTP integrations besides the clients already built
     * @param shared where global outbound limits are counted exactly (Redis), or {@code null}: then
     *     each instance enforces its registry share
     */
    public MeshlessClients(EndpointRegistry registry, MeshlessInstance instance, PolicyResolver policies,
                           ClassifierFactory classifiers, TimeSource time, CircuitBreakerRegistry breakers,
                           RateLimiterRegistry limiters, CallMetrics metrics, CallObserver observer,
                           RateLimitMetrics rateLimitMetrics, List<? extends CallListener> listeners,
                           Set<String> routedHosts, SharedBuckets shared) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.instance = Objects.requireNonNull(instance, "instance");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.classifiers = Objects.requireNonNull(classifiers, "classifiers");
        this.time = time;
        this.breakers = breakers;
        this.limiters = limiters;
        this.metrics = metrics;
        this.observer = Objects.requireNonNull(observer, "observer");
        this.rateLimitMetrics = rateLimitMetrics;
        this.listeners = List.copyOf(listeners);
        this.routedHosts = Set.copyOf(routedHosts);
        this.shared = shared;
    }

    /** Makes the classifier of one service's client. */
    @FunctionalInterface
    public interface ClassifierFactory {

        /**
         * @param service the service
         * @return the classifier of its client; an HTTP status it reports
         *     ({@link dev.meshless.outcome.Outcome#withHttpStatus}) is retried only when the
         *     service's policy lists it in {@code retry.retryable-statuses}
         */
        OutcomeClassifier classifier(String service);
    }

    /** Makes the active health-check probe of one service's client. */
    @FunctionalInterface
    public interface HealthProbeFactory {

        /**
         * @param service the service
         * @param policy its health-check settings
         * @return the probe, or {@code null} for core's built-in probe of {@code policy.type()}
         */
        HealthProbe probe(String service, HealthCheckPolicy policy);
    }

    /**
     * Sets where clients get their health-check probes (the starter's, over the application's HTTP
     * client); call before the first client is built.
     *
     * @param factory the factory, or {@code null} for core's built-in probes
     */
    public void healthProbes(HealthProbeFactory factory) {
        this.healthProbes = factory;
    }

    /**
     * @param service a service name
     * @return its client, built on first use
     */
    public ServiceClient client(String service) {
        ServiceClient c = clients.get(service);
        return c != null ? c : clients.computeIfAbsent(service, this::build);
    }

    /**
     * A client of the service that follows the policies of another section of
     * {@code meshless.services} (the {@code policy} attribute of {@code @ZoneAware}).
     *
     * @param service a service name
     * @param policy the name of the {@code meshless.services} section whose policies apply, or
     *     {@code null} or empty for the service's own
     * @return the client, built on first use
     */
    public ServiceClient client(String service, String policy) {
        if (policy == null || policy.isEmpty() || policy.equals(service)) {
            return client(service);
        }
        String key = service + "@" + policy;
        ServiceClient c = clients.get(key);
        return c != null ? c : clients.computeIfAbsent(key, k -> build(k, service, policy));
    }

    /**
     * @param host the host of a URL such as {@code http://inventory/stock}
     * @return whether the HTTP integrations route it through Meshless: a service named under
     *     {@code meshless.services}, in the static registry, in {@code meshless.http.services}, or
     *     already called through Meshless
     */
    public boolean routes(String host) {
        return host != null && (routedHosts.contains(host) || clients.containsKey(host));
    }

    /** @return the clients built so far, by service name */
    public Map<String, ServiceClient> clients() {
        return Collections.unmodifiableMap(new TreeMap<>(clients));
    }

    /** @return who and where this instance is */
    public MeshlessInstance instance() {
        return instance;
    }

    /** @return the resolver of the policies in force */
    public PolicyResolver policyResolver() {
        return policies;
    }

    /**
     * @param service a service name
     * @return the policies in force for it
     */
    public ServicePolicies policies(String service) {
        return policies.resolve(service);
    }

    /**
     * Applies newly resolved policies to every client built so far (a configuration reload):
     * balancing at once, calls from their next start. Outlier detection, breakers and outbound
     * limits keep their settings until restart.
     *
     * @param next the resolver of the new configuration, already checked
     */
    public void applyPolicies(PolicyResolver next) {
        this.policies = next;
        clients.forEach((key, client) -> {
            int at = key.indexOf('@');
            ServicePolicies p = next.resolve(at < 0 ? key : key.substring(at + 1));
            client.balancer().updatePolicy(p.balancing());
            client.updatePolicy(p.call());
        });
        log.info("Meshless: reloaded policies of {}", clients.keySet());
    }

    private ServiceClient build(String service) {
        return build(service, service, service);
    }

    private ServiceClient build(String key, String service, String policyName) {
        ServicePolicies p = policies.resolve(policyName);
        ServiceClient.Builder b = ServiceClient.builder(service)
                .registry(registry)
                .caller(instance.locality())
                .callerService(instance.locality() == null ? null : instance.service())
                .balancingPolicy(p.balancing())
                .callPolicy(p.call())
                .classifier(classifiers.classifier(service))
                .timeSource(time)
                .circuitBreakerRegistry(breakers)
                .metrics(metrics)
                .observer(observer);
        listeners.forEach(b::listener);
        HealthProbe probe = healthProbes == null ? null : healthProbes.probe(service, p.call().healthCheck());
        if (probe != null) {
            b.healthProbe(probe);
        }
        if (p.outboundRateLimit() != null) {
            b.gate(new RateLimitGate(Map.of(service, outboundLimiter(service, p))));
        }
        log.debug("Meshless: client for '{}' with {}", service, p);
        return b.build();
    }

    /**
     * A local limit, or for a global one the limit of every instance of this service together: one
     * bucket on the shared store ({@code <service>:outbound:<target>}) when there is one, falling back
     * to this instance's registry share, which is the limiter itself without a store.
     */
    private RateLimiter outboundLimiter(String service, ServicePolicies p) {
        LocalRateLimiter local = LocalRateLimiter.create(p.outboundRateLimit(),
                time == TimeSource.system() ? limiters : null, time, rateLimitMetrics);
        if (!p.outboundGlobal()) {
            return local;
        }
        String caller = instance.service();
        if (caller == null || caller.isBlank()) {
            throw new InvalidMeshlessConfigurationException("meshless.services." + service + ".outbound-rate-limit.scope",
                    "global", "needs this service's name (meshless.service or spring.application.name): it names"
                    + " the limit's bucket and this service's instances in the registry");
        }
        GlobalRateLimiter share = GlobalRateLimiter.start(local, registry, caller, instance.instanceId(),
                GlobalRateLimiter.ShareMode.EVEN, 1);
        RateLimiter limiter = shared == null ? share : new SharedRateLimiter(shared, caller + ":outbound:" + service,
                p.outboundRateLimit(), share, rateLimitMetrics);
        outboundLimiters.add((AutoCloseable) limiter);
        return limiter;
    }

    /** Closes every client: timers stop, registry subscriptions end. */
    @Override
    public void close() {
        for (AutoCloseable limiter : outboundLimiters) {
            try {
                limiter.close();
            } catch (Exception e) {
                log.warn("Meshless: closing a global outbound limit failed: {}", e.toString());
            }
        }
        List<ServiceClient> all = new ArrayList<>(clients.values());
        clients.clear();
        all.forEach(ServiceClient::close);
    }
}
