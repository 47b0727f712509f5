package dev.meshless.balancer;

import static dev.meshless.testing.TestEndpoints.CALLER;
import static dev.meshless.testing.TestEndpoints.SERVICE;
import static dev.meshless.testing.TestEndpoints.concat;
import static dev.meshless.testing.TestEndpoints.endpointFractions;
import static dev.meshless.testing.TestEndpoints.zone;
import static dev.meshless.testing.TestEndpoints.zoneFractions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.meshless.registry.EndpointListener;
import dev.meshless.registry.ServiceEndpoints;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import dev.meshless.topology.Locality;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Registry health, ejection and zone availability feed the plan; changes are events. */
class HealthInputsTest {

    private final List<String> events = new ArrayList<>();
    private final BalancerListener recorder = new BalancerListener() {
        @Override
        public void onPlanChanged(RoutingPlan previous, RoutingPlan current) {
            events.add("changed " + current.shareByTier());
        }

        @Override
        public void onPanicEntered(RoutingPlan plan) {
            events.add("panic " + plan.panicTiers());
        }

        @Override
        public void onPanicExited(RoutingPlan plan) {
            events.add("calm");
        }
    };
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger balancerLog = (Logger) LoggerFactory.getLogger(LocalityLoadBalancer.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        balancerLog.addAppender(logs);
        balancerLog.setLevel(Level.INFO);
    }

    @AfterEach
    void releaseLogs() {
        balancerLog.detachAppender(logs);
        balancerLog.setLevel(null);
    }

    private LocalityLoadBalancer balancer(StaticRegistry registry) {
        return LocalityLoadBalancer.builder(SERVICE).registry(registry).caller(CALLER).listener(recorder).build();
    }

    @Test
    void ejectedEndpointLeavesThePoolAndReturns() {
        LocalityLoadBalancer lb = balancer(StaticRegistry.of(zone("r1", "r1-a", 4, 0)));

        lb.setEjected("r1-a-0", true);
        assertThat(endpointFractions(lb::pick, 10_000)).doesNotContainKey("r1-a-0");
        assertThat(lb.plan().endpoints().get(0).state()).isEqualTo(EndpointState.EJECTED);

        lb.setEjected("r1-a-0", false);
        assertThat(endpointFractions(lb::pick, 10_000)).containsKey("r1-a-0");
    }

    @Test
    void anEndpointOutOfThePoolStillHasItsPickForOutcomesReportedOnIt() {
        LocalityLoadBalancer lb = balancer(StaticRegistry.of(zone("r1", "r1-a", 2, 0)));
        Pick before = lb.picker().pickOf("r1-a-0");

        lb.setEjected("r1-a-0", true);

        Pick ejected = lb.picker().pickOf("r1-a-0");
        assertThat(ejected.endpoint().id()).isEqualTo("r1-a-0");
        before.callStarted();
        assertThat(ejected.callsInFlight()).as("in-flight counts survive the rebuild").isEqualTo(1);
        before.callFinished();
        assertThat(lb.picker().pickOf("r9-z-0")).isNull();
    }

    @Test
    void ejectingHalfTheLocalZoneSpillsThirtyPercent() {
        LocalityLoadBalancer lb = balancer(StaticRegistry.of(concat(zone("r1", "r1-a", 2, 0),
                zone("r1", "r1-b", 2, 0))));

        lb.setEjected("r1-a-1", true);

        assertThat(lb.plan().tierShare(0)).isCloseTo(0.7, within(1e-12));
    }

    @Test
    void unavailableZoneMovesItsShareToTheNextTier() {
        LocalityLoadBalancer lb = balancer(StaticRegistry.of(concat(zone("r1", "r1-a", 2, 0),
                zone("r1", "r1-b", 2, 0), zone("r1", "r1-c", 2, 0))));

        lb.setZoneAvailable(Locality.of("r1", "r1-a", "rack-7"), false);

        assertThat(lb.plan().tierShare(0)).isZero();
        assertThat(lb.plan().endpoints()).filteredOn(e -> e.endpoint().locality().zone().equals("r1-a"))
                .extracting(RoutingPlan.EndpointPlan::state).containsOnly(EndpointState.ZONE_UNAVAILABLE);
        assertThat(zoneFractions(lb::pick, 20_000)).containsOnlyKeys("r1-b", "r1-c");

        lb.setZoneAvailable(Locality.of("r1", "r1-a"), true);
        assertThat(zoneFractions(lb::pick, 1_000)).containsOnlyKeys("r1-a");
    }

    @Test
    void registryHealthChangesArriveThroughTheRegistry() {
        StaticRegistry registry = StaticRegistry.of(concat(zone("r1", "r1-a", 2, 0), zone("r1", "r1-b", 2, 0)));
        LocalityLoadBalancer lb = balancer(registry);
        Endpoint a0 = registry.current(SERVICE).endpoints().get(0);

        registry.put(a0.toBuilder().health(HealthStatus.CRITICAL).build());

        assertThat(lb.plan().tierShare(0)).isCloseTo(0.7, within(1e-12));
    }

    @Test
    void aTrafficShiftIsAnEventAndOneInfoLineWithTheNumbers() {
        List<String> shifts = new ArrayList<>();
        LocalityLoadBalancer lb = LocalityLoadBalancer.builder(SERVICE)
                .registry(StaticRegistry.of(concat(zone("r1", "r1-a", 2, 0), zone("r1", "r1-b", 2, 0),
                        zone("r1", "r1-c", 2, 0))))
                .caller(CALLER)
                .listener(new BalancerListener() {
                    @Override
                    public void onFailover(RoutingPlan previous, RoutingPlan current) {
                        shifts.add(previous.tierShare(0) + " -> " + current.tierShare(0));
                    }
                })
                .build();

        lb.setZoneAvailable(Locality.of("r1", "r1-a"), false);
        lb.setEjected("r1-b-0", true); // tier shares unchanged: no shift
        lb.setZoneAvailable(Locality.of("r1", "r1-a"), true);

        assertThat(shifts).containsExactly("1.0 -> 0.0", "0.0 -> 1.0");
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "inventory: zone r1-a has 0 of 2 endpoints available (was 2); traffic now r1-b 50.0%, r1-c 50.0%",
                "inventory: zone r1-a has 2 of 2 endpoints available (was 0); traffic now r1-a 100.0%");
        assertThat(logs.list).extracting(ILoggingEvent::getLevel).containsOnly(Level.INFO);
    }

    @Test
    void listenersHearOnlyRealChanges() {
        StaticRegistry registry = StaticRegistry.of(zone("r1", "r1-a", 2, 0));
        LocalityLoadBalancer lb = balancer(registry);
        Picker before = lb.picker();
        events.clear();

        registry.replace(SERVICE, registry.current(SERVICE).endpoints()); // same set again
        lb.setEjected("unknown-id", false);                                  // nothing to return
        lb.setZoneAvailable(Locality.of("r1", "r1-a"), true);               // already available

        assertThat(events).isEmpty();
        assertThat(lb.picker()).as("no new snapshot for an identical plan").isSameAs(before);
    }

    @Test
    void panicIsAnEventAndOneLogLineOnEntryAndOnExit() {
        StaticRegistry registry = StaticRegistry.of(concat(zone("r1", "r1-a", 2, 0), zone("r1", "r1-b", 0, 2)));
        LocalityLoadBalancer lb = balancer(registry);
        events.clear();

        lb.setEjected("r1-a-0", true);
        lb.setEjected("r1-a-1", true);
        lb.setEjected("r1-a-1", false);

        assertThat(events).containsExactly(
                "changed {0=1.0, 1=0.0}",       // one ejected: 50 % × 1.4 = 0.7, tier 1 has no health
                "changed {0=1.0, 1=0.0}",       // both ejected: nothing healthy → tier 0 in panic
                "panic [0]",
                "changed {0=1.0, 1=0.0}",
                "calm");
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "inventory: entered panic; tier 0 (same-zone) has 0.0% of its weight available (panic threshold"
                        + " 50.0%), so its 100.0% share now goes to all 2 of its endpoints regardless of health",
                "inventory: left panic; traffic follows health again (inventory from r1/r1-a: tier 0 100.0% tier 1 0.0%)");
        assertThat(logs.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
    }

    @Test
    void aFailingListenerDoesNotStopRoutingOrOtherListeners() {
        List<String> heard = new ArrayList<>();
        LocalityLoadBalancer lb = LocalityLoadBalancer.builder(SERVICE)
                .registry(StaticRegistry.of(zone("r1", "r1-a", 2, 0)))
                .caller(CALLER)
                .listener(new BalancerListener() {
                    @Override
                    public void onPlanChanged(RoutingPlan previous, RoutingPlan current) {
                        throw new IllegalStateException("listener bug");
                    }
                })
                .listener(new BalancerListener() {
                    @Override
                    public void onPlanChanged(RoutingPlan previous, RoutingPlan current) {
                        heard.add("ok");
                    }
                })
                .build();

        lb.setEjected("r1-a-0", true);

        assertThat(heard).hasSize(2);
        assertThat(endpointFractions(lb::pick, 100)).containsOnlyKeys("r1-a-1");
    }

    @Test
    void ejectionsOfEndpointsThatLeaveTheRegistryAreForgotten() {
        StaticRegistry registry = StaticRegistry.of(zone("r1", "r1-a", 2, 0));
        LocalityLoadBalancer lb = balancer(registry);
        List<Endpoint> original = registry.current(SERVICE).endpoints();
        lb.setEjected("r1-a-0", true);

        registry.replace(SERVICE, original.subList(1, 2));
        registry.replace(SERVICE, original);

        assertThat(lb.plan().endpoints()).extracting(RoutingPlan.EndpointPlan::state)
                .containsOnly(EndpointState.AVAILABLE);
    }

    @Test
    void policyUpdatesRebuildThePlan() {
        LocalityLoadBalancer lb = balancer(StaticRegistry.of(concat(zone("r1", "r1-a", 1, 1),
                zone("r1", "r1-b", 2, 0))));
        assertThat(lb.plan().tierShare(0)).isCloseTo(0.7, within(1e-12));

        lb.updatePolicy(LoadBalancingPolicy.builder().overprovisioningFactor(2.0).build());

        assertThat(lb.policy().overprovisioningFactor()).isEqualTo(2.0);
        assertThat(lb.plan().tierShare(0)).isEqualTo(1.0);
    }

    @Test
    void initialEjectionsAndZonesShapeTheFirstPlan() {
        LocalityLoadBalancer lb = LocalityLoadBalancer.builder(SERVICE)
                .registry(StaticRegistry.of(concat(zone("r1", "r1-a", 2, 0), zone("r1", "r1-b", 2, 0),
                        zone("r1", "r1-c", 2, 0))))
                .caller(CALLER).listener(recorder)
                .ejected("r1-b-0")
                .unavailableZone(Locality.of("r1", "r1-a"))
                .build();

        assertThat(events).as("one plan, already with both inputs").containsExactly("changed {0=0.0, 1=1.0}");
        assertThat(zoneFractions(lb::pick, 30_000).get("r1-c")).isCloseTo(2.0 / 3, within(0.01));
        assertThat(lb.plan().endpoints()).extracting(RoutingPlan.EndpointPlan::state).containsExactly(
                EndpointState.ZONE_UNAVAILABLE, EndpointState.ZONE_UNAVAILABLE, EndpointState.EJECTED,
                EndpointState.AVAILABLE, EndpointState.AVAILABLE, EndpointState.AVAILABLE);
    }

    @Test
    void picksFailWithAReasonUntilTheRegistryDelivers() {
        AtomicReference<EndpointListener> pending = new AtomicReference<>();
        LocalityLoadBalancer lb = LocalityLoadBalancer.builder(SERVICE)
                .registry((service, listener) -> {
                    pending.set(listener);
                    return () -> { };
                })
                .caller(CALLER).build();

        assertThatThrownBy(lb::pick).isInstanceOf(NoEndpointAvailableException.class)
                .hasMessage("No endpoint available for service 'inventory': the registry has not delivered its"
                        + " endpoints yet");

        pending.get().onEndpoints(ServiceEndpoints.of(SERVICE, zone("r1", "r1-a", 1, 0)));
        assertThat(lb.pick().endpoint().id()).isEqualTo("r1-a-0");
    }

    @Test
    void closingStopsRegistryUpdatesButKeepsTheLastSnapshot() {
        StaticRegistry registry = StaticRegistry.of(zone("r1", "r1-a", 1, 0));
        LocalityLoadBalancer lb = balancer(registry);

        lb.close();
        registry.replace(SERVICE, List.of());

        assertThat(lb.pick().endpoint().id()).isEqualTo("r1-a-0");
    }

    @Test
    void withoutACallerLocalityEveryEndpointIsTierZero() {
        LocalityLoadBalancer lb = LocalityLoadBalancer.builder(SERVICE)
                .registry(StaticRegistry.of(concat(zone("r1", "r1-a", 1, 0), zone("r2", "r2-a", 1, 0))))
                .build();

        assertThat(lb.plan().tiers()).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(TierKind.ANY);
            assertThat(t.zones()).hasSize(2);
        });
        assertThat(zoneFractions(lb::pick, 20_000).get("r2-a")).isCloseTo(0.5, within(0.02));
    }
}
