package dev.meshless.spring.boot.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.consul.testing.ConsulSimulator;
import dev.meshless.consul.testing.SimDatacenter;
import dev.meshless.topology.HealthStatus;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.cloud.consul.serviceregistry.ConsulAutoServiceRegistration;

/** This instance registers with the local agent, with its region and zone, and leaves when it stops. */
class ConsulSelfRegistrationTest {

    private static final String NODE = "agent-dc1";

    private ConsulSimulator consul;

    @BeforeEach
    void start() {
        consul = ConsulSimulator.start("dc1", "dc2");
    }

    @AfterEach
    void stop() {
        consul.close();
    }

    @Test
    void registersWithTheCallersRegionAndZoneThroughTheMeasuredClientAndDeregistersOnClose() {
        ConsulContexts.runner(consul.address())
                .withPropertyValues("meshless.consul.registration.port=8080",
                        "meshless.consul.registration.address=10.1.2.3",
                        "meshless.consul.registration.meta.version=1.4.2")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ConsulSelfRegistration self = context.getBean(ConsulSelfRegistration.class);
                    assertThat(self.registered()).as("start() returned registered").isTrue();
                    SimDatacenter.Service registered = dc1().service(NODE, "checkout-10.1.2.3-8080");
                    assertThat(registered).isNotNull();
                    assertThat(registered.name()).isEqualTo("checkout");
                    assertThat(registered.address()).isEqualTo("10.1.2.3");
                    assertThat(registered.port()).isEqualTo(8080);
                    assertThat(registered.meta()).containsEntry("region", "r1").containsEntry("zone", "r1-a")
                            .containsEntry("version", "1.4.2");
                    assertThat(dc1().check(NODE, "service:checkout-10.1.2.3-8080").status()).isEqualTo("passing");
                    assertThat(self.registration().definition()).extractingByKey("Check").asString()
                            .contains("TTL=30s");
                });
        assertThat(dc1().service(NODE, "checkout-10.1.2.3-8080")).as("deregistered when the context closed").isNull();
        assertThat(consul.requests()).filteredOn(r -> r.path().startsWith("/v1/agent/service/deregister/"))
                .hasSize(1);
    }

    @Test
    void theZoneGoesUnderTheSameMetadataKeyTheRegistryReads() {
        ConsulContexts.runner(consul.address())
                .withPropertyValues("meshless.consul.registration.port=8080",
                        "meshless.consul.registration.address=10.1.2.3", "meshless.consul.zone-metadata-key=az")
                .run(context -> {
                    assertThat(context.getBean(ConsulContributor.class).registry().config().zoneMetadataKey())
                            .isEqualTo("az");
                    assertThat(dc1().service(NODE, "checkout-10.1.2.3-8080").meta()).containsEntry("az", "r1-a")
                            .doesNotContainKey("zone");
                });
    }

    @Test
    void readinessDrivesTheCheckAndTheApplicationMaySetItsOwnStatus() {
        ConsulContexts.runner(consul.address())
                .withPropertyValues("meshless.consul.registration.port=8080",
                        "meshless.consul.registration.address=10.1.2.3")
                .run(context -> {
                    String check = "service:checkout-10.1.2.3-8080";
                    AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
                    await().atMost(Duration.ofSeconds(5)).until(() -> dc1().check(NODE, check).status()
                            .equals("critical"));

                    AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
                    await().atMost(Duration.ofSeconds(5)).until(() -> dc1().check(NODE, check).status()
                            .equals("passing"));

                    context.getBean(ConsulSelfRegistration.class).status(HealthStatus.WARNING, "draining");
                    await().atMost(Duration.ofSeconds(5)).until(() -> dc1().check(NODE, check).status()
                            .equals("warning"));
                });
    }

    @Test
    void aDownAgentHoldsUpStartupOnlyForTheStartupTimeoutThenRegistrationGoesOnInTheBackground() {
        consul.down();
        ConsulContexts.runner(consul.address())
                .withPropertyValues("meshless.consul.registration.port=8080",
                        "meshless.consul.registration.address=10.1.2.3",
                        "meshless.consul.registration.startup-timeout=300ms")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ConsulSelfRegistration self = context.getBean(ConsulSelfRegistration.class);
                    assertThat(self.registered()).isFalse();
                    assertThat(context.getBean(ConsulContributor.class).degraded()).isTrue();

                    consul.up();

                    await().atMost(Duration.ofSeconds(5)).until(self::registered);
                    assertThat(dc1().service(NODE, "checkout-10.1.2.3-8080")).isNotNull();
                });
    }

    @Test
    void withoutAWebServerOrAPortNothingIsRegistered() {
        ConsulContexts.runner(consul.address()).run(context -> {
            ConsulSelfRegistration self = context.getBean(ConsulSelfRegistration.class);
            assertThat(self.isRunning()).isTrue();
            assertThat(self.registration()).isNull();
            assertThat(self.state()).isEqualTo("off: no web server port");
        });
        assertThat(consul.requests()).noneMatch(r -> r.path().startsWith("/v1/agent/service/"));
    }

    @Test
    void withoutALocalityOrAServiceNameRegistrationIsOffWithAReason() {
        ConsulContexts.bare(consul.address())
                .withPropertyValues("spring.application.name=checkout", "meshless.consul.registration.port=8080")
                .run(context -> assertThat(context.getBean(ConsulSelfRegistration.class).state())
                        .startsWith("off: its region and zone are unknown"));
        ConsulContexts.bare(consul.address())
                .withPropertyValues("meshless.locality.region=r1", "meshless.locality.zone=r1-a",
                        "meshless.consul.registration.port=8080")
                .run(context -> assertThat(context.getBean(ConsulSelfRegistration.class).state())
                        .startsWith("off: its service name is unknown"));
        ConsulContexts.bare(consul.address())
                .withPropertyValues("meshless.consul.registration.service-name=checkout",
                        "meshless.consul.registration.region=r1", "meshless.consul.registration.zone=r1-a",
                        "meshless.consul.registration.port=8080", "meshless.consul.registration.address=10.1.2.3")
                .run(context -> assertThat(context.getBean(ConsulSelfRegistration.class).registered())
                        .as("all given under registration").isTrue());
    }

    @Test
    void backsOffWhenTurnedOffOrWhenSpringCloudConsulRegistersTheInstance() {
        ConsulContexts.runner(consul.address())
                .withPropertyValues("meshless.consul.registration.enabled=false", "meshless.consul.registration.port=1")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ConsulContributor.class)
                        .doesNotHaveBean(ConsulSelfRegistration.class));
        ConsulContexts.runner(consul.address())
                .withPropertyValues("meshless.consul.registration.port=8080")
                .withBean(ConsulAutoServiceRegistration.class, ConsulAutoServiceRegistration::new)
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ConsulContributor.class)
                        .doesNotHaveBean(ConsulSelfRegistration.class));
        assertThat(consul.requests()).noneMatch(r -> r.path().startsWith("/v1/agent/service/"));
    }

    private SimDatacenter dc1() {
        return consul.dc("dc1");
    }
}
