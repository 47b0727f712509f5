package dev.meshless.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.consul.testing.ConsulSimulator;
import dev.meshless.consul.testing.ConsulTarget;
import dev.meshless.consul.testing.Configs;
import dev.meshless.testing.FakeTime;
import dev.meshless.consul.testing.SimDatacenter;
import dev.meshless.topology.HealthStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Self-registration: region and zone in Meta, TTL heartbeats, retries that never hold up start-up, deregistration. */
@Tag("agent")
class ConsulRegistrationTest {

    private ConsulTarget target;
    private ConsulClient client;
    private final AtomicInteger agentFailures = new AtomicInteger();
    private final String service = ConsulTarget.unique("checkout");
    private ConsulRegistration registration;

    @BeforeEach
    void start() {
        target = ConsulTarget.federation();
        client = ConsulClient.create(Configs.agent(target.address()), 1 << 20, 100, new ConsulMetrics() {
            @Override
            public void requestCompleted(String api, String datacenter, String outcome) {
                if (api.equals("agent") && !outcome.equals("ok")) {
                    agentFailures.incrementAndGet();
                }
            }
        });
    }

    @AfterEach
    void stop() {
        if (registration != null) {
            registration.close();
        }
        if (target != null) {
            target.close();
        }
    }

    private ConsulRegistrationConfig.Builder config() {
        return ConsulRegistrationConfig.builder(service).instanceId(service + "-1").address("10.9.8.7").port(9000)
                .region("eu-west-1").zone("eu-west-1b").meta(java.util.Map.of("version", "1.4.2"));
    }

    private List<ServiceInstance> read() {
        return client.healthService(HealthQuery.of(service)).join().value();
    }

    @Test
    void registersRegionAndZoneInMetaWithAPassingTtlCheckAndDeregistersOnClose() {
        registration = ConsulRegistration.create(client, config().build());

        assertThat(registration.start()).isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> read().size() == 1
                && read().get(0).health() == HealthStatus.PASSING);
        ServiceInstance self = read().get(0);
        assertThat(self.id()).isEqualTo(service + "-1");
        assertThat(self.address()).isEqualTo("10.9.8.7");
        assertThat(self.port()).isEqualTo(9000);
        assertThat(self.meta()).containsEntry("region", "eu-west-1").containsEntry("zone", "eu-west-1b")
                .containsEntry("version", "1.4.2");
        if (target.isSimulator()) {
            SimDatacenter.Check check = target.simulator("inspect the check definition").dc(target.dc1())
                    .check("agent-" + target.dc1(), "service:" + service + "-1");
            assertThat(check.ttl()).isEqualTo(Duration.ofSeconds(30));
            assertThat(check.definition()).containsEntry("DeregisterCriticalServiceAfter", "600s");
        }

        registration.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> read().isEmpty());
        assertThat(registration.registered()).isFalse();
    }

    @Test
    void aStatusChangeIsReportedThroughTheTtlCheckAtOnce() {
        registration = ConsulRegistration.create(client, config().build());
        registration.start();

        registration.status(HealthStatus.WARNING, "draining");

        await().atMost(Duration.ofSeconds(5)).until(() -> read().size() == 1
                && read().get(0).health() == HealthStatus.WARNING);
    }

    @Test
    void heartbeatsKeepTheTtlCheckPassingEveryThirdOfTheTtl() {
        ConsulSimulator sim = target.simulator("counts heartbeats on a fake clock");
        FakeTime time = new FakeTime();
        registration = ConsulRegistration.create(client, config().ttl(Duration.ofSeconds(3)).build(), time);
        registration.start();
        // The simulator counts a heartbeat when it arrives; the registration sets the next one's timer
        // when the answer is back. Wait for both before moving the clock.
        await().atMost(Duration.ofSeconds(5)).until(() -> passes(sim) == 1 && time.pendingTimers() > 0);

        for (int beat = 2; beat <= 4; beat++) {
            int expected = beat;
            time.advance(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(5)).until(() -> passes(sim) == expected && time.pendingTimers() > 0);
        }
        assertThat(read()).singleElement().extracting(ServiceInstance::health).isEqualTo(HealthStatus.PASSING);
    }

    @Test
    void withoutHeartbeatsTheTtlExpiresAndTheInstanceTurnsCritical() {
        target.simulator("expires a TTL on the simulator's clock");
        registration = ConsulRegistration.create(client, config().ttl(Duration.ofSeconds(1)).build(), new FakeTime());
        registration.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> read().get(0).health() == HealthStatus.CRITICAL);
    }

    @Test
    void startUpIsNeverHeldLongerThanConfiguredAndRegistrationRetriesInTheBackground() {
        ConsulSimulator sim = target.simulator("takes the agent down");
        FakeTime time = new FakeTime();
        registration = ConsulRegistration.create(client, config().startupTimeout(Duration.ofSeconds(5))
                .retryInitial(Duration.ofSeconds(1)).retryMax(Duration.ofSeconds(4)).build(), time);
        sim.down();

        assertThat(registration.start()).isFalse();

        assertThat(time.elapsed()).isLessThanOrEqualTo(Duration.ofSeconds(5));
        // The metrics callback of the last attempt may run just after start() has its answer.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(agentFailures.get()).isBetween(3, 6));
        assertThat(time.sleeps()).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(4)));
        sim.up();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
            time.advance(Duration.ofMillis(500));
            return registration.registered();
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> read().size() == 1);
    }

    @Test
    void anAgentThatLostTheCheckGetsTheInstanceRegisteredAgain() {
        target.simulator("advances heartbeats on a fake clock");
        FakeTime time = new FakeTime();
        registration = ConsulRegistration.create(client, config().build(), time);
        registration.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> read().size() == 1);

        client.deregisterService(service + "-1"); // as if the agent restarted without its state
        assertThat(read()).isEmpty();
        time.advance(Duration.ofSeconds(10)); // next heartbeat: 404 unknown check

        // The agent holds the instance as soon as it has the PUT; the registration knows it only once
        // the answer is back, so wait for both.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
            time.advance(Duration.ofMillis(100));
            return read().size() == 1 && registration.registered();
        });
    }

    /** Agents before Consul 1.11 answer 500 for a check they do not know (agent/acl.go, agent/agent.go). */
    @Test
    void anOlderAgentThatLostTheCheckAnswers500AndGetsTheInstanceRegisteredAgain() {
        ConsulSimulator sim = target.simulator("answers like a Consul 1.10 agent");
        sim.legacyCheckErrors(true);
        FakeTime time = new FakeTime();
        registration = ConsulRegistration.create(client, config().build(), time);
        registration.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> read().size() == 1);

        client.deregisterService(service + "-1");
        time.advance(Duration.ofSeconds(10)); // next heartbeat: 500 "… does not have associated TTL"

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
            time.advance(Duration.ofMillis(100));
            return read().size() == 1 && registration.registered();
        });
        assertThat(sim.requests()).anyMatch(r -> r.path().startsWith("/v1/agent/check/pass/"))
                .filteredOn(r -> r.path().equals("/v1/agent/service/register")).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void onlyTheAnswersOfAnAgentThatLostTheCheckMeanRegisteringAgain() {
        assertThat(ConsulRegistration.lostCheck(httpError(404, "Unknown check ID \"service:x\". Ensure that the check"
                + " ID is passed, not the check name."))).isTrue();
        assertThat(ConsulRegistration.lostCheck(httpError(500, "Unknown check \"service:x\""))).isTrue();
        assertThat(ConsulRegistration.lostCheck(httpError(500, "CheckID \"service:x\" does not have associated TTL")))
                .isTrue();
        assertThat(ConsulRegistration.lostCheck(httpError(500, "rpc error making call: No cluster leader"))).isFalse();
        assertThat(ConsulRegistration.lostCheck(httpError(403, "Permission denied"))).isFalse();
        assertThat(ConsulRegistration.lostCheck(new ConsulException(null, null, ConsulException.Reason.UNREACHABLE, 0,
                "down", null))).isFalse();
    }

    private static ConsulException httpError(int status, String answer) {
        return new ConsulException(null, null, ConsulException.Reason.HTTP_STATUS, status, "PUT … answered " + status,
                answer, null);
    }

    @Test
    void anHttpCheckIsRegisteredInsteadOfATtlAndNoHeartbeatIsSent() {
        ConsulSimulator sim = target.simulator("inspects the check definition");
        FakeTime time = new FakeTime();
        registration = ConsulRegistration.create(client, config().httpCheck("http://10.9.8.7:9000/actuator/health")
                .checkInterval(Duration.ofSeconds(5)).build(), time);
        registration.start();
        time.advance(Duration.ofMinutes(1));

        SimDatacenter.Check check = sim.dc(target.dc1()).check("agent-" + target.dc1(), "service:" + service + "-1");
        assertThat(check.definition()).containsEntry("HTTP", "http://10.9.8.7:9000/actuator/health")
                .containsEntry("Interval", "5s").doesNotContainKey("TTL");
        // A heartbeat would be sent from another thread: watch for one for a while, not just once.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> passes(sim) == 0);
    }

    private int passes(ConsulSimulator sim) {
        return (int) sim.requests().stream().filter(r -> r.path().startsWith("/v1/agent/check/pass/")).count();
    }
}
