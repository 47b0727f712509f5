package dev.meshless.spring.boot.cloud.loadbalancer;

import dev.meshless.balancer.RoutingPlan;
import dev.meshless.call.CallListener;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells watchers of a service that its routing plan changed. A {@link CallListener} bean: the
 * starter's {@code MeshlessClients} passes it to every client it builds, so it hears each balancer's
 * plan changes; {@link MeshlessServiceInstanceListSupplier} watches through it to re-emit its list.
 *
 * <p>Watchers are called on the balancer's control side, one plan change at a time per balancer;
 * they must be short. A watcher's exception is logged and affects neither routing nor other
 * watchers. Thread-safe.
 */
public final class PlanChanges implements CallListener {

    private static final Logger log = LoggerFactory.getLogger(PlanChanges.class);

    /** One set per service watched; sets stay (empty) after their watchers leave, bounded by services. */
    private final Map<String, Set<Runnable>> watchers = new ConcurrentHashMap<>();

    /**
     * @param service a service name
     * @param onChange called after each change of the service's plan
     * @return a handle that stops the calls when closed
     */
    public Watch watch(String service, Runnable onChange) {
        Objects.requireNonNull(onChange, "onChange");
        Set<Runnable> forService = watchers.computeIfAbsent(service, s -> ConcurrentHashMap.newKeySet());
        forService.add(onChange);
        return () -> forService.remove(onChange);
    }

    @Override
    public void onPlanChanged(RoutingPlan previous, RoutingPlan current) {
        Set<Runnable> forService = watchers.get(current.service());
        if (forService == null) {
            return;
        }
        for (Runnable watcher : forService) {
            try {
                watcher.run();
            } catch (RuntimeException e) {
                log.warn("{}: a plan watcher failed; routing is not affected", current.service(), e);
            }
        }
    }

    /** A watch on one service's plan. */
    @FunctionalInterface
    public interface Watch extends AutoCloseable {
        /** Stops the calls; idempotent. */
        @Override
        void close();
    }
}
