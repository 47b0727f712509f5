package dev.meshless.spring.boot.cloud.loadbalancer;

import dev.meshless.balancer.Pick;
import dev.meshless.call.AttemptToken;
import dev.meshless.outcome.Outcome;
import dev.meshless.topology.Endpoint;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.cloud.client.ServiceInstance;

/**
 * A Meshless {@link Endpoint} as Spring Cloud sees it: instance id = endpoint id, host, port, and
 * the endpoint's metadata plus {@value #ZONE} and {@value #REGION} (and {@value #SUB_ZONE} when
 * set) from its locality. It is secure (HTTPS) only when its metadata says {@code secure=true}.
 *
 * <p>An instance chosen by {@link MeshlessReactorLoadBalancer} carries its {@link Pick}, one
 * instance per choice, and the {@link AttemptToken} of the call it serves, so that
 * {@link MeshlessLoadBalancerLifecycle} ends that call's attempt once and a Spring Cloud retry knows
 * which tier the previous attempt failed in. Instances
 * listed by {@link MeshlessServiceInstanceListSupplier} carry no pick and are shared between calls.
 *
 * <p>Two instances are equal when their endpoints are equal; the pick and call state are not
 * compared. Thread-safe.
 */
public final class MeshlessServiceInstance implements ServiceInstance {

    /** Metadata key holding the endpoint's zone. */
    public static final String ZONE = "zone";
    /** Metadata key holding the endpoint's region. */
    public static final String REGION = "region";
    /** Metadata key holding the endpoint's sub-zone, when it has one. */
    public static final String SUB_ZONE = "sub-zone";
    /** Metadata key that makes the instance secure (HTTPS) when its value is {@code true}. */
    public static final String SECURE = "secure";

    private final Endpoint endpoint;
    private final Pick pick;
    private final Map<String, String> metadata;
    private final boolean secure;
    // Call state of a picked instance; written by the lifecycle of the one call it serves.
    private final AtomicReference<AttemptToken> token = new AtomicReference<>();
    private volatile Outcome outcome;

    private MeshlessServiceInstance(Endpoint endpoint, Pick pick) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.pick = pick;
        Map<String, String> m = new LinkedHashMap<>(endpoint.metadata());
        m.put(ZONE, endpoint.locality().zone());
        m.put(REGION, endpoint.locality().region());
        if (endpoint.locality().subZone() != null) {
            m.put(SUB_ZONE, endpoint.locality().subZone());
        }
        this.metadata = Collections.unmodifiableMap(m);
        this.secure = "true".equalsIgnoreCase(endpoint.metadata().get(SECURE));
    }

    /**
     * @param endpoint an endpoint
     * @return a view of it without a pick, as the supplier lists it
     */
    public static MeshlessServiceInstance of(Endpoint endpoint) {
        return new MeshlessServiceInstance(endpoint, null);
    }

    /**
     * @param pick a pick of the Meshless balancer
     * @return a view of its endpoint that carries the pick, for one call
     */
    public static MeshlessServiceInstance picked(Pick pick) {
        return new MeshlessServiceInstance(pick.endpoint(), pick);
    }

    /** @return the endpoint this instance shows */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** @return the pick that chose this instance, or {@code null} when the supplier listed it */
    public Pick pick() {
        return pick;
    }

    /**
     * @return the outcome the lifecycle recorded for the call this picked instance served, or
     *     {@code null} while unknown
     */
    public Outcome outcome() {
        return outcome;
    }

    @Override
    public String getInstanceId() {
        return endpoint.id();
    }

    @Override
    public String getServiceId() {
        return endpoint.service();
    }

    @Override
    public String getHost() {
        return endpoint.host();
    }

    @Override
    public int getPort() {
        return endpoint.port();
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    /** @return {@code http(s)://host:port}, an IPv6 host in brackets (ServiceInstance.createUri writes it bare) */
    @Override
    public URI getUri() {
        return URI.create(getScheme() + "://" + endpoint.address());
    }

    @Override
    public String getScheme() {
        return secure ? "https" : "http";
    }

    @Override
    public Map<String, String> getMetadata() {
        return metadata;
    }

    /** @return the token of the call's attempt, or {@code null} before it began */
    AttemptToken token() {
        return token.get();
    }

    /**
     * Attaches the token of the call's attempt, once.
     *
     * @param begun a token just begun
     * @return the instance's token: {@code begun}, or the one attached before it (the caller then
     *     releases {@code begun})
     */
    AttemptToken attach(AttemptToken begun) {
        return token.compareAndSet(null, begun) ? begun : token.get();
    }

    /** @param recorded the outcome of the call */
    void outcome(Outcome recorded) {
        this.outcome = recorded;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MeshlessServiceInstance && endpoint.equals(((MeshlessServiceInstance) o).endpoint);
    }

    @Override
    public int hashCode() {
        return endpoint.hashCode();
    }

    @Override
    public String toString() {
        return "MeshlessServiceInstance{" + endpoint + (pick != null ? ", tier " + pick.tier() : "") + "}";
    }
}
