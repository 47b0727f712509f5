package dev.meshless.spring.boot.cloud.loadbalancer;

import dev.meshless.balancer.Exclusions;
import dev.meshless.balancer.NoEndpointAvailableException;
import dev.meshless.balancer.Pick;
import dev.meshless.call.ServiceClient;
import dev.meshless.spring.boot.cloud.discovery.InstanceMapping;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.EmptyResponse;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.RetryableRequestContext;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import reactor.core.publisher.Mono;

/**
 * Spring Cloud LoadBalancer's balancer for one service, backed by the Meshless picker: existing
 * {@code @LoadBalanced} clients and OpenFeign pick zone first, spill over gradually and fail over to
 * other zones and regions, without code changes.
 *
 * <p>A first attempt is {@code balancer().pick()}. A Spring Cloud retry (a
 * {@link RetryableRequestContext} naming the previous instance) is picked by the call path's own
 * retry rules ({@link ServiceClient#pickAfter}): it excludes that instance; when the previous attempt
 * ended in an endpoint failure (as reported by {@link MeshlessLoadBalancerLifecycle}) and the
 * service's {@code attempts-per-tier} is 1, it also excludes that instance's tier, so that a dead
 * zone costs one attempt — falling back to other endpoints of the same tiers when no other tier can
 * serve. Spring Cloud tells a retry only the instance just tried, so with {@code attempts-per-tier}
 * above 1 only that instance is excluded.
 *
 * <p>Each choice returns a new {@link MeshlessServiceInstance} carrying its {@link Pick}; nothing
 * available gives an {@link EmptyResponse} and a DEBUG line with the reason. Picking is lock-free
 * and does no I/O, so {@link #choose(Request)} is safe on event-loop threads. Thread-safe.
 */
public final class MeshlessReactorLoadBalancer implements ReactorServiceInstanceLoadBalancer {

    private static final Logger log = LoggerFactory.getLogger(MeshlessReactorLoadBalancer.class);

    private final ServiceClient client;

    /**
     * @param client the Meshless client of the service, whose balancer picks and whose policy says
     *     how retries move between tiers
     */
    public MeshlessReactorLoadBalancer(ServiceClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** @return the service this balancer chooses instances of */
    public String serviceId() {
        return client.service();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Mono<Response<ServiceInstance>> choose(Request request) {
        return Mono.fromSupplier(() -> chooseNow(request));
    }

    /**
     * Chooses at once (the work behind {@link #choose(Request)}).
     *
     * @param request Spring Cloud's request, whose context may name the previous instance of a retry
     * @return the chosen instance, or an empty response when nothing is available
     */
    public Response<ServiceInstance> chooseNow(Request<?> request) {
        ServiceInstance previous = previousInstance(request);
        try {
            Pick pick = previous == null ? client.balancer().pick() : retryPick(previous);
            return new DefaultResponse(MeshlessServiceInstance.picked(pick));
        } catch (NoEndpointAvailableException e) {
            if (log.isDebugEnabled()) {
                log.debug("{}: no instance for Spring Cloud LoadBalancer ({}): {}", client.service(), e.reason(),
                        e.getMessage());
            }
            return new EmptyResponse();
        }
    }

    /** A retry excludes what the call path's own retries would, knowing only the attempt just made. */
    private Pick retryPick(ServiceInstance previous) {
        if (previous instanceof MeshlessServiceInstance m && m.pick() != null) {
            return client.pickAfter(m.pick(), m.outcome());
        }
        return client.balancer().pick(Exclusions.none().withEndpointId(InstanceMapping.endpointId(previous)));
    }

    private static ServiceInstance previousInstance(Request<?> request) {
        Object context = request == null ? null : request.getContext();
        return context instanceof RetryableRequestContext retry ? retry.getPreviousServiceInstance() : null;
    }

    @Override
    public String toString() {
        return "MeshlessReactorLoadBalancer{" + client.service() + "}";
    }
}
