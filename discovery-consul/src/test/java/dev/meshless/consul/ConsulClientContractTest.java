package dev.meshless.consul;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.meshless.consul.ConsulException.Reason;
import dev.meshless.consul.internal.ConsulJson;
import dev.meshless.topology.HealthStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Contract of the client against WireMock: it sends what Consul's API documentation describes and
 * parses the documentation's own examples (the fixtures in {@code consul-api/}).
 */
class ConsulClientContractTest {

    private static final String TOKEN = "5f0d3a4c-token-under-test";

    private final WireMockServer wm = start();
    private final ConsulClient client = ConsulClient.create(ConsulAgentConfig.builder().environment(Map.of())
            .address("http://127.0.0.1:" + wm.port()).token(TOKEN).requestTimeout(Duration.ofSeconds(2)).build());

    private static WireMockServer start() {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(8).jettyAcceptors(1).asynchronousResponseEnabled(false));
        server.start();
        return server;
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    static String fixture(String name) {
        try (InputStream in = ConsulClientContractTest.class.getResourceAsStream("/consul-api/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stubHealth(String body) {
        wm.stubFor(get(urlPathEqualTo("/v1/health/service/redis")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("X-Consul-Index", "4126")
                .withHeader("X-Consul-KnownLeader", "true").withHeader("X-Consul-LastContact", "12").withBody(body)));
    }

    @Test
    void parsesTheDocumentedHealthServiceExample() {
        stubHealth(fixture("health-service.json"));

        QueryResult<List<ServiceInstance>> r = client.healthService(HealthQuery.of("redis")).join();

        assertThat(r.index()).isEqualTo(4126);
        assertThat(r.knownLeader()).isTrue();
        assertThat(r.lastContactMillis()).isEqualTo(12);
        assertThat(r.value()).singleElement().isEqualTo(new ServiceInstance("foobar", "10.1.10.12",
                Map.of("instance_type", "t2.medium"), "redis", "redis", "10.1.10.12", 8000, List.of("primary"),
                Map.of("redis_version", "4.0"), 10, 1, null, null, HealthStatus.PASSING));
    }

    @Test
    void parsesLocalityAnEmptyServiceAddressAndAWarningCheck() {
        stubHealth(fixture("health-service-locality.json"));

        List<ServiceInstance> instances = client.healthService(HealthQuery.of("redis")).join().value();

        ServiceInstance second = instances.get(1);
        assertThat(second.address()).isEmpty();
        assertThat(second.effectiveAddress()).isEqualTo("10.1.10.13");
        assertThat(second.localityRegion()).isEqualTo("us-west-1");
        assertThat(second.localityZone()).isEqualTo("us-west-1b");
        assertThat(second.nodeMeta()).containsEntry("zone", "us-west-1c");
        assertThat(second.health()).isEqualTo(HealthStatus.WARNING);
    }

    @Test
    void parsesTheDocumentedCatalogExamples() {
        wm.stubFor(get(urlEqualTo("/v1/catalog/datacenters")).willReturn(aResponse()
                .withBody(fixture("catalog-datacenters.json"))));
        wm.stubFor(get(urlEqualTo("/v1/catalog/services?dc=dc2")).willReturn(aResponse()
                .withBody(fixture("catalog-services.json"))));

        assertThat(client.datacenters()).containsExactly("dc1", "dc2");
        assertThat(client.services("dc2")).containsEntry("postgresql", List.of("primary", "secondary"))
                .containsEntry("consul", List.of()).hasSize(3);
    }

    @Test
    void aBlockingQuerySendsEveryParameterAndTheTokenOnlyAsAHeader() {
        stubHealth("[]");

        client.healthService(new HealthQuery("redis", "dc 2", true, "Service.Meta.env == \"prod\"", true, 42,
                Duration.ofMinutes(5))).join();

        wm.verify(getRequestedFor(urlEqualTo("/v1/health/service/redis?dc=dc%202&passing"
                + "&filter=Service.Meta.env%20%3D%3D%20%22prod%22&stale&index=42&wait=300s"))
                .withHeader("X-Consul-Token", equalTo(TOKEN)));
        assertThat(wm.getAllServeEvents()).allSatisfy(e -> assertThat(e.getRequest().getUrl()).doesNotContain(TOKEN)
                .doesNotContain("token"));
    }

    @Test
    void aNonBlockingQuerySendsNeitherIndexNorWait() {
        stubHealth("[]");

        client.healthService(HealthQuery.of("redis")).join();

        wm.verify(getRequestedFor(urlEqualTo("/v1/health/service/redis")).withQueryParam("index", absent()));
    }

    @Test
    void theReadTimeoutOfABlockingQueryIsAboveWaitTimesSeventeenSixteenths() {
        ConsulClient client = ConsulClient.create(ConsulAgentConfig.builder().environment(Map.of())
                .address("http://127.0.0.1:" + wm.port()).token(TOKEN).requestTimeout(Duration.ofMillis(400)).build());
        Duration wait = Duration.ofMillis(400); // timeout = 400 × 17/16 + 400 (requestTimeout) = 825 ms
        wm.stubFor(get(urlPathEqualTo("/v1/health/service/slow")).willReturn(aResponse().withBody("[]")
                .withHeader("X-Consul-Index", "8").withFixedDelay(520)));
        wm.stubFor(get(urlPathEqualTo("/v1/health/service/stuck")).willReturn(aResponse().withBody("[]")
                .withFixedDelay(2000)));

        // Answered after the wait (plus Consul's jitter of up to wait / 16) has passed: still in time.
        assertThat(client.healthService(HealthQuery.of("slow").blocking(7, wait)).join().index()).isEqualTo(8);
        assertThatThrownBy(() -> client.healthService(HealthQuery.of("stuck").blocking(7, wait)).join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOfSatisfying(ConsulException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT)).hasMessageContaining("825ms");
    }

    @Test
    void registersWithReplaceExistingChecksUsingOnlyDocumentedFields() {
        wm.stubFor(put(urlPathEqualTo("/v1/agent/service/register")).willReturn(aResponse().withStatus(200)));
        ConsulRegistration registration = ConsulRegistration.create(client, ConsulRegistrationConfig.builder("redis")
                .address("127.0.0.1").port(8000).region("eu-west-1").zone("eu-west-1a").build());

        client.registerService(registration.definition(), true);

        wm.verify(putRequestedFor(urlEqualTo("/v1/agent/service/register?replace-existing-checks"))
                .withHeader("X-Consul-Token", equalTo(TOKEN))
                .withRequestBody(equalToJson(ConsulJson.MAPPER.writeValueAsString(registration.definition()))));
        JsonNode documented = ConsulJson.MAPPER.readTree(fixture("agent-service-register.json"));
        Set<String> documentedFields = new HashSet<>(documented.propertyNames());
        documentedFields.add("Check");
        assertThat(registration.definition().keySet()).isSubsetOf(documentedFields);
        Set<String> checkFields = Set.of("CheckID", "Name", "TTL", "Status", "HTTP", "Interval", "Timeout",
                "DeregisterCriticalServiceAfter");
        @SuppressWarnings("unchecked")
        Map<String, Object> check = (Map<String, Object>) registration.definition().get("Check");
        assertThat(check.keySet()).isSubsetOf(checkFields);
    }

    @Test
    void deregistersAndHeartbeatsTtlChecksOnTheDocumentedPaths() {
        wm.stubFor(put(urlPathEqualTo("/v1/agent/service/deregister/redis-1")).willReturn(aResponse()));
        wm.stubFor(put(urlPathEqualTo("/v1/agent/check/pass/service:redis-1")).willReturn(aResponse()));
        wm.stubFor(put(urlPathEqualTo("/v1/agent/check/warn/service:redis-1")).willReturn(aResponse()));
        wm.stubFor(put(urlPathEqualTo("/v1/agent/check/fail/service:redis-1")).willReturn(aResponse()));

        client.deregisterService("redis-1");
        client.updateTtlCheck("service:redis-1", HealthStatus.PASSING, null);
        client.updateTtlCheck("service:redis-1", HealthStatus.WARNING, "draining");
        client.updateTtlCheck("service:redis-1", HealthStatus.CRITICAL, null);

        wm.verify(putRequestedFor(urlEqualTo("/v1/agent/service/deregister/redis-1")));
        wm.verify(putRequestedFor(urlEqualTo("/v1/agent/check/pass/service:redis-1")));
        wm.verify(putRequestedFor(urlEqualTo("/v1/agent/check/warn/service:redis-1?note=draining")));
        wm.verify(putRequestedFor(urlEqualTo("/v1/agent/check/fail/service:redis-1")));
    }

    @Test
    void failuresAreTypedAndNameTheRequestButNotTheToken() {
        wm.stubFor(get(urlPathEqualTo("/v1/health/service/redis")).willReturn(aResponse().withStatus(403)
                .withBody("Permission denied: token " + TOKEN + " lacks service:read")));
        wm.stubFor(get(urlEqualTo("/v1/catalog/datacenters")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Length", "999999999").withBody("[]")));

        assertThatThrownBy(() -> client.healthService(HealthQuery.of("redis").inDatacenter("dc2")).join())
                .cause().isInstanceOfSatisfying(ConsulException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.HTTP_STATUS);
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.service()).isEqualTo("redis");
                    assertThat(e.datacenter()).isEqualTo("dc2");
                    assertThat(e.getMessage()).isEqualTo("GET /v1/health/service/redis?dc=dc2 answered 403: "
                            + "Permission denied: token <redacted> lacks service:read");
                });
        assertThatThrownBy(client::datacenters).isInstanceOfSatisfying(ConsulException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
        wm.stop();
        assertThatThrownBy(client::datacenters).isInstanceOfSatisfying(ConsulException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE))
                .hasMessageStartingWith("GET /v1/catalog/datacenters to http://127.0.0.1:");
    }
}
