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
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
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
 * Contract of the client against WireMock: it sends what Consul's HTTP handlers read
 * (hashicorp/consul agent/http.go, agent/health_endpoint.go) and parses what agents answer — the
 * fixtures in {@code consul-api/}, in the shapes of the Go structs, and the headers of {@code setMeta}.
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
        wm.stubFor(get(urlPathMatching("/v1/health/service/(redis|web)")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("X-Consul-Index", "4126")
                .withHeader("X-Consul-KnownLeader", "true").withHeader("X-Consul-LastContact", "12").withBody(body)));
    }

    @Test
    void parsesAnAnswerInTheShapesAgentsSend() {
        stubHealth(fixture("health-service.json"));

        QueryResult<List<ServiceInstance>> r = client.healthService(HealthQuery.of("web")).join();

        assertThat(r.index()).isEqualTo(4126);
        assertThat(r.knownLeader()).isTrue();
        assertThat(r.lastContactMillis()).isEqualTo(12);
        assertThat(r.skipped()).isEmpty();
        assertThat(r.value()).hasSize(2);
        ServiceInstance agentRegistered = r.value().get(0);
        assertThat(agentRegistered.taggedAddresses()).containsEntry("wan_ipv4",
                new ServiceInstance.TaggedAddress("10.1.10.12", 8080));
        assertThat(agentRegistered.nodeTaggedAddresses()).containsEntry("wan", "198.18.1.12");
        assertThat(agentRegistered.meta()).containsEntry("zone", "us-west-1a");
        assertThat(agentRegistered.health()).isEqualTo(HealthStatus.PASSING);
        ServiceInstance withoutPort = r.value().get(1);
        assertThat(withoutPort.port()).as("Port is left out when 0").isZero();
        assertThat(withoutPort.meta()).as("Meta: null").isEmpty();
        assertThat(withoutPort.nodeTaggedAddresses()).as("TaggedAddresses: null").isEmpty();
        assertThat(withoutPort.effectiveAddress()).isEqualTo("10.1.20.7");
    }

    @Test
    void parsesLocalityAWarningWeightOfZeroAndMaintenance() {
        stubHealth(fixture("health-service-locality.json"));

        List<ServiceInstance> instances = client.healthService(HealthQuery.of("redis")).join().value();

        ServiceInstance first = instances.get(0);
        assertThat(first.address()).isEmpty();
        assertThat(first.effectiveAddress()).isEqualTo("10.1.10.13");
        assertThat(first.localityRegion()).isEqualTo("us-west-1");
        assertThat(first.localityZone()).isEqualTo("us-west-1b");
        assertThat(first.nodeLocalityZone()).isEqualTo("us-west-1c");
        assertThat(first.nodeMeta()).containsEntry("zone", "us-west-1c");
        assertThat(first.health()).isEqualTo(HealthStatus.WARNING);
        assertThat(first.warningWeight()).isZero();
        ServiceInstance second = instances.get(1);
        assertThat(second.maintenance()).isTrue();
        assertThat(second.health()).isEqualTo(HealthStatus.CRITICAL);
        assertThat(second.status()).isEqualTo("maintenance");
    }

    /** setMeta, setQueryBackend, setResultsFilteredByACLs, setTranslateAddr (agent/http.go). */
    @Test
    void readsTheHeadersOfTheStreamingBackendAclFilteringAndAddressTranslation() {
        wm.stubFor(get(urlPathEqualTo("/v1/health/service/web")).willReturn(aResponse().withStatus(200)
                .withHeader("X-Consul-Index", "88").withHeader("X-Consul-KnownLeader", "false")
                .withHeader("X-Consul-LastContact", "0").withHeader("X-Consul-Query-Backend", "streaming")
                .withHeader("X-Consul-Results-Filtered-By-ACLs", "true")
                .withHeader("X-Consul-Translate-Addresses", "true").withBody("[]")));

        QueryResult<List<ServiceInstance>> r = client.healthService(HealthQuery.of("web")).join();

        assertThat(r.streaming()).isTrue();
        assertThat(r.filteredByAcls()).isTrue();
        assertThat(r.addressesTranslated()).isTrue();
        assertThat(r.value()).isEmpty();
    }

    @Test
    void asksForGzipAndInflatesTheAnswerWithinTheCap() throws Exception {
        byte[] json = fixture("health-service.json").getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(zipped)) {
            gzip.write(json);
        }
        wm.stubFor(get(urlPathEqualTo("/v1/health/service/web")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Encoding", "gzip").withHeader("X-Consul-Index", "5").withBody(zipped.toByteArray())));
        ConsulClient small = ConsulClient.create(ConsulAgentConfig.builder().environment(Map.of())
                .address("http://127.0.0.1:" + wm.port()).build(), json.length - 1, 100, ConsulMetrics.NONE);

        assertThat(client.healthService(HealthQuery.of("web")).join().value()).hasSize(2);
        assertThatThrownBy(() -> small.healthService(HealthQuery.of("web")).join()).cause()
                .isInstanceOfSatisfying(ConsulException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE))
                .as("the cap applies to the inflated answer, though %d gzipped bytes are far below it",
                        zipped.size());
        wm.verify(getRequestedFor(urlPathEqualTo("/v1/health/service/web")).withHeader("Accept-Encoding",
                equalTo("gzip")));
    }

    @Test
    void readsTheAgentsOwnDatacenter() {
        wm.stubFor(get(urlEqualTo("/v1/agent/self")).willReturn(aResponse().withBody(fixture("agent-self.json"))));

        assertThat(client.agentDatacenter().join()).isEqualTo("dc1");
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
                Duration.ofMinutes(5), Duration.ofMinutes(1), null, "team-a", "payments")).join();
        client.healthService(new HealthQuery("redis", null, false, null, false, 0, null, Duration.ofMinutes(1),
                "eu-cluster", null, null)).join();

        wm.verify(getRequestedFor(urlEqualTo("/v1/health/service/redis?dc=dc%202&ns=team-a&partition=payments&passing"
                + "&filter=Service.Meta.env%20%3D%3D%20%22prod%22&stale&max_stale=60s&index=42&wait=300s"))
                .withHeader("X-Consul-Token", equalTo(TOKEN)));
        wm.verify(getRequestedFor(urlEqualTo("/v1/health/service/redis?peer=eu-cluster")));
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

    /** handleErr (agent/http.go): ACL errors are 403, RPC rate limits and connection limits 429, the rest 500. */
    @Test
    void permanentFailuresAreToldFromTransientOnes() {
        wm.stubFor(get(urlPathEqualTo("/v1/health/service/denied")).willReturn(aResponse().withStatus(403)
                .withBody("Permission denied: token with AccessorID 'x' lacks permission 'service:read' on \"denied\"")));
        wm.stubFor(get(urlPathEqualTo("/v1/health/service/filtered")).willReturn(aResponse().withStatus(500)
                .withBody("Failed to create boolexpr evaluator for expression \"Service.Port >\": 1:15 (14): no match")));
        wm.stubFor(get(urlPathEqualTo("/v1/health/service/leaderless")).willReturn(aResponse().withStatus(500)
                .withBody("No cluster leader")));
        wm.stubFor(get(urlPathEqualTo("/v1/health/service/nopath")).willReturn(aResponse().withStatus(500)
                .withBody("No path to datacenter")));
        wm.stubFor(get(urlPathEqualTo("/v1/health/service/busy")).willReturn(aResponse().withStatus(429)
                .withBody("Your IP is issuing too many concurrent connections, please rate limit your calls")));

        assertThat(failure("denied").permanent()).isTrue();
        assertThat(failure("filtered").permanent()).isTrue();
        assertThat(failure("leaderless").permanent()).isFalse();
        assertThat(failure("nopath").permanent()).isFalse();
        ConsulException busy = failure("busy");
        assertThat(busy.reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(busy.permanent()).isFalse();
        assertThat(busy.getMessage()).contains("http_max_conns_per_client");
    }

    private ConsulException failure(String service) {
        try {
            client.healthService(HealthQuery.of(service)).join();
        } catch (CompletionException e) {
            return (ConsulException) e.getCause();
        }
        throw new AssertionError("no failure for " + service);
    }

    @Test
    void failuresAreTypedAndNameTheRequestButNotTheToken() {
        wm.stubFor(get(urlPathEqualTo("/v1/health/service/redis")).willReturn(aResponse().withStatus(403)
                .withBody("Permission denied: token " + TOKEN + " lacks service:read")));
        wm.stubFor(get(urlEqualTo("/v1/catalog/datacenters")).willReturn(aResponse().withStatus(200)
                .withBody("[\"" + "x".repeat(2000) + "\"]")));
        ConsulClient small = ConsulClient.create(ConsulAgentConfig.builder().environment(Map.of())
                .address("http://127.0.0.1:" + wm.port()).build(), 1024, 100, ConsulMetrics.NONE);

        assertThatThrownBy(() -> client.healthService(HealthQuery.of("redis").inDatacenter("dc2")).join())
                .cause().isInstanceOfSatisfying(ConsulException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.HTTP_STATUS);
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.service()).isEqualTo("redis");
                    assertThat(e.datacenter()).isEqualTo("dc2");
                    assertThat(e.getMessage()).isEqualTo("GET /v1/health/service/redis?dc=dc2 answered 403: "
                            + "Permission denied: token <redacted> lacks service:read");
                });
        assertThatThrownBy(small::datacenters).isInstanceOfSatisfying(ConsulException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
        wm.stop();
        assertThatThrownBy(client::datacenters).isInstanceOfSatisfying(ConsulException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE))
                .hasMessageStartingWith("GET /v1/catalog/datacenters to http://127.0.0.1:");
    }
}
