package dev.meshless.spring.boot.cloud.loadbalancer;

import dev.meshless.balancer.EndpointState;
import dev.meshless.balancer.LocalityLoadBalancer;
import dev.meshless.balancer.Picker;
import dev.meshless.balancer.RoutingPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Spring Cloud LoadBalancer's instance list for one service, backed by the Meshless routing plan,
 * for applications that keep Spring Cloud's own balancer ({@code meshless.loadbalancer.mode=supplier}):
 * the balancer then chooses among the instances Meshless currently routes to.
 *
 * <p>The list holds, in tier order (same zone, same region, other regions), the
 * {@link EndpointState#AVAILABLE available} and {@link EndpointState#PROBING probing} endpoints of every
 * tier that receives traffic (the probe share is not enforced here: Spring Cloud chooses), and all
 * endpoints of a tier in panic. It is the set, not the proportions: a round robin over it spreads
 * calls evenly over the listed instances, whatever the tiers' shares.
 *
 * <p>{@link #get()} emits the current list at once (Spring Cloud's balancers take that first one per
 * request) and, while subscribed, again each time the list changes. Changes are heard through
 * {@link PlanChanges}, a listener the starter attaches to every client; without one (an
 * application's own {@code MeshlessClients} bean) the list is still current at each subscription,
 * but is not re-emitted. Re-emissions run on the thread that changed the plan. The list is rebuilt
 * only when the balancer's picker changes (one volatile read otherwise). Thread-safe.
 */
public final class MeshlessServiceInstanceListSupplier implements ServiceInstanceListSupplier {

    private final String serviceId;
    private final LocalityLoadBalancer balancer;
    private final PlanChanges changes;
    /** The last list built and the picker it was built from; replaced as a whole by any caller. */
    private volatile Snapshot snapshot;

    /**
     * @param balancer the Meshless balancer of the service
     * @param changes plan change notifications, or {@code null} to emit once per subscription
     */
    public MeshlessServiceInstanceListSupplier(LocalityLoadBalancer balancer, PlanChanges changes) {
        this.balancer = Objects.requireNonNull(balancer, "balancer");
        this.serviceId = balancer.service();
        this.changes = changes;
    }

    @Override
    public String getServiceId() {
        return serviceId;
    }

    @Override
    public Flux<List<ServiceInstance>> get() {
        if (changes == null) {
            return Flux.defer(() -> Flux.just(current()));
        }
        return Flux.<List<ServiceInstance>>create(sink -> {
            Object lock = new Object();
            // Build and emit under one lock, so that a slower emission never overtakes a newer list.
            Runnable emit = () -> {
                synchronized (lock) {
                    sink.next(current());
                }
            };
            PlanChanges.Watch watch = changes.watch(serviceId, emit);
            sink.onDispose(watch::close);
            emit.run();
        }, FluxSink.OverflowStrategy.LATEST).distinctUntilChanged();
    }

    /** @return the instances the plan routes to now, in tier order; unmodifiable */
    public List<ServiceInstance> current() {
        Picker picker = balancer.picker();
        Snapshot s = snapshot;
        if (s != null && s.picker == picker) {
            return s.instances;
        }
        List<ServiceInstance> instances = routed(picker.plan());
        snapshot = new Snapshot(picker, instances);
        return instances;
    }

    private static List<ServiceInstance> routed(RoutingPlan plan) {
        if (!plan.routable()) {
            return List.of();
        }
        List<ServiceInstance> instances = new ArrayList<>();
        for (RoutingPlan.TierPlan tier : plan.tiers()) {
            if (tier.share() <= 0.0) {
                continue;
            }
            for (RoutingPlan.ZonePlan zone : tier.zones()) {
                for (RoutingPlan.EndpointPlan e : zone.endpoints()) {
                    // Probing endpoints are listed too: Spring Cloud's own balancer chooses among the
                    // list, and an endpoint it never saw could never answer and be known-good again.
                    if (tier.panic() || e.state() == EndpointState.AVAILABLE || e.state() == EndpointState.PROBING) {
                        instances.add(MeshlessServiceInstance.of(e.endpoint()));
                    }
                }
            }
        }
        return List.copyOf(instances);
    }

    @Override
    public String toString() {
        return "MeshlessServiceInstanceListSupplier{" + serviceId + "}";
    }

    private record Snapshot(Picker picker, List<ServiceInstance> instances) {
    }
}
