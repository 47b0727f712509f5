package dev.meshless.spring.boot.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.consul.testing.Catalog;
import dev.meshless.consul.testing.ConsulSimulator;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.actuate.MeshlessEndpoint;
import dev.meshless.spring.boot.actuate.MeshlessHealthIndicator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code meshless} endpoint and health indicator show Consul's views and the registration, stay
 * UP while Consul is down, and never show the ACL token.
 */
class ConsulActuatorTest {

    private static final String TOKEN = "s3cr3t-acl-token-4711";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ConsulSimulator consul;
    private Catalog catalog;

    @BeforeEach
    void start() {
        consul = ConsulSimulator.start("dc1", "dc2");
        catalog = new Catalog(consul.address());
        catalog.register(Catalog.instance("dc1", "node-a", "inventory", "inv-a").address("10.0.1.1", 8080));
        catalog.register(Catalog.instance("dc2", "node-c", "inventory", "inv-c").address("10.8.1.1", 8080));
        consul.requireToken(TOKEN);
    }

    @AfterEach
    void stop() {
        catalog.close();
        consul.close();
    }

    @Test
    void theEndpointShowsEveryViewAndTheRegistrationAndHealthStaysUpWhileConsulIsDown() {
        ConsulContexts.runner(consul.address())
                .withPropertyValues("management.endpoints.web.exposure.include=meshless",
                        "meshless.consul.agent.token=" + TOKEN, "meshless.consul.registration.port=8080",
                        "meshless.consul.registration.address=10.1.2.3")
                .run(context -> {
                    context.getBean(MeshlessClients.class).client("inventory");
                    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(views(context))
                            .filteredOn(v -> v.get("service").equals("inventory")).extracting(v -> v.get("origin"))
                            .containsExactly("consul", "consul"));

                    Map<String, Object> consulReport = consulReport(context);
                    assertThat(consulReport.get("datacenters")).isEqualTo(Map.of("dc1", "r1", "dc2", "r2"));
                    assertThat(views(context)).as("every called service, this instance's own too")
                            .extracting(v -> v.get("service") + "@" + v.get("datacenter") + ":" + v.get("endpoints")
                                    + ":" + v.get("age") + ":" + v.get("consecutiveErrors"))
                            .contains("inventory@dc1:1:0s:0", "inventory@dc2:1:0s:0");
                    @SuppressWarnings("unchecked")
                    Map<String, Object> registration = (Map<String, Object>) consulReport.get("registration");
                    assertThat(registration).containsEntry("state", "registered")
                            .containsEntry("instanceId", "checkout-10.1.2.3-8080")
                            .containsEntry("address", "10.1.2.3:8080");

                    Health up = health(context);
                    assertThat(up.getStatus()).isEqualTo(Status.UP);
                    assertThat(up.getDetails()).containsEntry("registry", List.of("static", "consul"))
                            .containsEntry("degraded", false).containsEntry("degradedSources", List.of());
                    assertThat(sourceHealth(up)).containsEntry("datacenters", 2)
                            .containsEntry("registration", "registered")
                            .containsEntry("staleViews", Map.of());

                    consul.down();
                    // Each view notices the outage on its own HTTP thread: wait for the one asserted below.
                    await().atMost(Duration.ofSeconds(5)).until(() -> {
                        Health h = health(context);
                        return h.getDetails().get("degraded").equals(true)
                                && ((Map<?, ?>) sourceHealth(h).get("staleViews")).containsKey("inventory@dc1");
                    });

                    Health down = health(context);
                    assertThat(down.getStatus()).as("routing goes on from the last good view").isEqualTo(Status.UP);
                    assertThat(down.getDetails()).containsEntry("degradedSources", List.of("consul"));
                    @SuppressWarnings("unchecked")
                    Map<String, String> stale = (Map<String, String>) sourceHealth(down).get("staleViews");
                    assertThat(stale).containsKey("inventory@dc1");
                    assertThat(views(context)).anySatisfy(v -> {
                        assertThat((Integer) v.get("consecutiveErrors")).isPositive();
                        assertThat(v.get("lastError")).isNotNull();
                    });
                    assertThat(context.getBean(MeshlessClients.class).client("inventory").balancer().plan()
                            .routable()).isTrue();
                });
    }

    @Test
    void aTokenWithoutServiceReadIsReportedAsAPermanentErrorWhileRoutingGoesOn() {
        consul.hideByAcl("node-c", true); // the token lacks node:read on dc2's only node
        ConsulContexts.runner(consul.address())
                .withPropertyValues("management.endpoints.web.exposure.include=meshless",
                        "meshless.consul.agent.token=" + TOKEN)
                .run(context -> {
                    context.getBean(MeshlessClients.class).client("inventory");
                    await().atMost(Duration.ofSeconds(5)).until(() -> ((Map<?, ?>) sourceHealth(health(context))
                            .get("permanentErrors")).containsKey("inventory@dc2"));

                    Health h = health(context);
                    assertThat(h.getStatus()).isEqualTo(Status.UP);
                    assertThat(h.getDetails()).containsEntry("degraded", true);
                    assertThat((String) ((Map<?, ?>) sourceHealth(h).get("permanentErrors")).get("inventory@dc2"))
                            .contains("service:read on 'inventory'").contains("node:read");
                    assertThat(views(context)).filteredOn(v -> v.get("service").equals("inventory"))
                            .filteredOn(v -> v.get("datacenter").equals("dc2")).singleElement()
                            .satisfies(v -> assertThat(v).containsEntry("aclFiltered", true)
                                    .containsEntry("permanentError", true).containsEntry("endpoints", 0)
                                    .containsEntry("skipped", 0));
                    assertThat(views(context)).filteredOn(v -> v.get("service").equals("inventory"))
                            .filteredOn(v -> v.get("datacenter").equals("dc1")).singleElement()
                            .satisfies(v -> assertThat(v).containsEntry("knownLeader", true)
                                    .containsEntry("backend", "blocking-query").containsEntry("lastContact", "0s"));
                });
    }

    @Test
    void theTokenAppearsNowhereInActuatorOutputNotEvenWhenConsulRejectsIt() {
        consul.requireToken("another-token");
        ConsulContexts.runner(consul.address())
                .withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class,
                        ConfigurationPropertiesReportEndpointAutoConfiguration.class,
                        EnvironmentEndpointAutoConfiguration.class))
                .withPropertyValues("management.endpoints.web.exposure.include=meshless,configprops,env",
                        "management.endpoint.configprops.show-values=always",
                        "management.endpoint.env.show-values=always",
                        "meshless.consul.agent.token=" + TOKEN,
                        "meshless.consul.clusters.eu.address=" + consul.address(),
                        "meshless.consul.clusters.eu.datacenters=dc2",
                        "meshless.consul.clusters.eu.token=" + TOKEN,
                        "CONSUL_HTTP_TOKEN=" + TOKEN,
                        "meshless.consul.registration.port=8080", "meshless.consul.registration.address=10.1.2.3",
                        "meshless.consul.registration.startup-timeout=0s")
                .run(context -> {
                    context.getBean(MeshlessClients.class).client("inventory");
                    await().atMost(Duration.ofSeconds(5)).until(() -> views(context).stream()
                            .anyMatch(v -> v.get("lastError") != null));
                    assertThat(views(context).toString()).contains("403");

                    String everything = JSON.writeValueAsString(List.of(
                            context.getBean(MeshlessEndpoint.class).report(),
                            health(context),
                            context.getBean(ConfigurationPropertiesReportEndpoint.class)
                                    .configurationProperties(),
                            context.getBean(EnvironmentEndpoint.class).environment(null)));
                    assertThat(everything).contains("meshless.consul").contains("lastError")
                            .doesNotContain(TOKEN);
                });
    }

    private static Map<String, Object> consulReport(AssertableApplicationContext context) {
        @SuppressWarnings("unchecked")
        Map<String, Object> registry = (Map<String, Object>) context.getBean(MeshlessEndpoint.class).report()
                .get("registry");
        assertThat(registry).containsOnlyKeys("static", "consul");
        @SuppressWarnings("unchecked")
        Map<String, Object> consul = (Map<String, Object>) registry.get("consul");
        return consul;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> views(AssertableApplicationContext context) {
        return (List<Map<String, Object>>) consulReport(context).get("views");
    }

    private static Health health(AssertableApplicationContext context) {
        return context.getBean(MeshlessHealthIndicator.class).health();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sourceHealth(Health health) {
        return (Map<String, Object>) ((Map<String, Object>) health.getDetails().get("sources")).get("consul");
    }
}
