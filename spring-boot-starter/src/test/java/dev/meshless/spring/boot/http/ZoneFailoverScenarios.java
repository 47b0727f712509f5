package dev.meshless.spring.boot.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.meshless.spring.boot.http.ZoneBackends.ZONE_A;
import static dev.meshless.spring.boot.http.ZoneBackends.ZONE_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.call.ServiceCallException;
import dev.meshless.outcome.Outcome;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.policy.PolicySpec;
import dev.meshless.spring.boot.PolicyResolver;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The same drills for every HTTP client: the caller in r1-a, the service {@code inventory} on two
 * WireMock servers in r1-a and two in r1-b. Each client's test supplies how it calls and what its
 * status and connection exceptions are.
 */
abstract class ZoneFailoverScenarios {

    /** {@code inventory}'s four servers. */
    protected ZoneBackends inventory;

    /** One client under test, in a started context. */
    protected interface Caller {
        /**
         * @param url the URL
         * @param headers request headers as name, value pairs
         * @return the body
         */
        String get(String url, String... headers);

        /**
         * @param url the URL
         * @param body the request body
         * @return the response body
         */
        String post(String url, String body);
    }

    /**
     * @param target the request's headers
     * @param pairs name, value, name, value...
     */
    protected static void addHeaders(org.springframework.http.HttpHeaders target, String... pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            target.add(pairs[i], pairs[i + 1]);
        }
    }

    /**
     * @param context the started context
     * @return the client, built from the context's beans
     */
    protected abstract Caller caller(AssertableApplicationContext context);

    /** @return what the client throws for a 503 answer */
    protected abstract Class<? extends Throwable> unavailableException();

    /** @return what the client throws when a host refuses the connection, without Meshless */
    protected abstract Class<? extends Throwable> refusedException();

    /** @return the context for the drills */
    protected ApplicationContextRunner runner() {
        return HttpClientContexts.runner(inventory);
    }

    @BeforeEach
    void startBackends() {
        inventory = ZoneBackends.start("inventory");
        inventory.stubAll(get(urlPathEqualTo("/stock/42")).willReturn(ok("7")));
        inventory.stubAll(post("/reservations").willReturn(aResponse().withStatus(201).withBody("r-1")));
    }

    @AfterEach
    void stopBackends() {
        inventory.close();
    }

    @Test
    void callsStayInTheCallersZone() {
        runner().run(context -> {
            Caller caller = caller(context);
            for (int i = 0; i < 20; i++) {
                assertThat(caller.get("http://inventory/stock/42")).isEqualTo("7");
            }
            assertThat(inventory.requests(ZONE_A, getRequestedFor(urlEqualTo("/stock/42")))).isEqualTo(20);
            assertThat(inventory.requests(ZONE_B, anyRequestedFor(anyUrl()))).isZero();
        });
    }

    @Test
    void whenTheCallersZoneRefusesConnectionsEveryCallSucceedsInTheOtherZone() {
        inventory.stopZone(ZONE_A);
        runner().run(context -> {
            Caller caller = caller(context);
            for (int i = 0; i < 30; i++) {
                assertThat(caller.get("http://inventory/stock/42")).isEqualTo("7");
            }
            assertThat(caller.post("http://inventory/reservations", "sku-42"))
                    .as("a refused connection never sent the request: even a POST moves").isEqualTo("r-1");
            assertThat(inventory.requests(ZONE_B, getRequestedFor(urlEqualTo("/stock/42")))).isEqualTo(30);
            assertThat(inventory.requests(ZONE_B, postRequestedFor(urlEqualTo("/reservations")))).isEqualTo(1);
        });
    }

    @Test
    void a503FromTheCallersZoneIsRetriedInTheOtherZoneForGet() {
        inventory.stubZone(ZONE_A, get(urlPathEqualTo("/stock/42")).willReturn(serviceUnavailable()));
        runner().run(context -> {
            Caller caller = caller(context);
            for (int i = 0; i < 10; i++) {
                assertThat(caller.get("http://inventory/stock/42")).isEqualTo("7");
            }
            assertThat(inventory.requests(ZONE_A, getRequestedFor(urlEqualTo("/stock/42")))).isPositive();
            assertThat(inventory.requests(ZONE_B, getRequestedFor(urlEqualTo("/stock/42")))).isEqualTo(10);
        });
    }

    @Test
    void onlyTheServicesRetryableStatusesAreRetriedAndAReloadChangesThem() {
        inventory.stubZone(ZONE_A, get(urlPathEqualTo("/stock/42")).willReturn(aResponse().withStatus(500)));
        runner().withPropertyValues("meshless.services.inventory.retry.retryable-statuses=503").run(context -> {
            Caller caller = caller(context);
            assertThatThrownBy(() -> caller.get("http://inventory/stock/42"))
                    .as("a 500 is not in the service's list: the answer reaches the client").hasMessageContaining("500");
            assertThat(inventory.requests(ZONE_B, anyRequestedFor(anyUrl()))).isZero();

            MeshlessProperties reloaded = new MeshlessProperties();
            PolicySpec policy = new PolicySpec();
            policy.getRetry().setRetryableStatuses(List.of(500, 503));
            reloaded.getServices().put("inventory", policy);
            context.getBean(MeshlessClients.class).applyPolicies(new PolicyResolver(reloaded));

            assertThat(caller.get("http://inventory/stock/42")).as("retried in the other zone after the reload")
                    .isEqualTo("7");
            assertThat(inventory.requests(ZONE_B, getRequestedFor(urlEqualTo("/stock/42")))).isEqualTo(1);
        });
    }

    @Test
    void a503IsNotRetriedForPostUnlessThePolicyRetriesPost() {
        inventory.stubZone(ZONE_A, post("/reservations").willReturn(serviceUnavailable()));
        runner().run(context -> {
            assertThatThrownBy(() -> caller(context).post("http://inventory/reservations", "sku-42"))
                    .as("the 503 response reaches the client's own status handling").isInstanceOf(unavailableException());
            assertThat(inventory.requests(ZONE_A, postRequestedFor(urlEqualTo("/reservations")))).isEqualTo(1);
            assertThat(inventory.requests(ZONE_B, anyRequestedFor(anyUrl()))).isZero();
        });
        runner().withPropertyValues("meshless.services.inventory.retry.retryable-methods=GET,POST").run(context -> {
            assertThat(caller(context).post("http://inventory/reservations", "sku-42")).isEqualTo("r-1");
            assertThat(inventory.requests(ZONE_B, postRequestedFor(urlEqualTo("/reservations"))
                    .withRequestBody(equalTo("sku-42")))).as("the body is sent again").isEqualTo(1);
        });
    }

    @Test
    void schemePathQueryAndHeadersReachTheEndpointUnchanged() {
        inventory.stubAll(get(urlPathEqualTo("/stock/a%20b")).willReturn(ok("ab")));
        runner().run(context -> {
            assertThat(caller(context).get("http://inventory/stock/a%20b?warehouse=north&x=1", "X-Trace", "t-42"))
                    .isEqualTo("ab");
            assertThat(inventory.requests(ZONE_A, getRequestedFor(urlEqualTo("/stock/a%20b?warehouse=north&x=1"))
                    .withHeader("Host", equalTo("127.0.0.1:" + servedPort(ZONE_A)))
                    .withHeader("X-Trace", equalTo("t-42")))).isEqualTo(1);
        });
    }

    @Test
    void hostsUnknownToMeshlessPassThroughUntouched() {
        runner().run(context -> {
            Caller caller = caller(context);
            int port = inventory.port(ZONE_B);
            assertThat(caller.get("http://127.0.0.1:" + port + "/stock/42")).isEqualTo("7");
            assertThat(inventory.zone(ZONE_B).get(0).countRequestsMatching(getRequestedFor(urlEqualTo("/stock/42"))
                    .build()).getCount()).isEqualTo(1);
            assertThat(inventory.requests(ZONE_A, anyRequestedFor(anyUrl()))).isZero();

            int closed = inventory.port(ZONE_A);
            inventory.stopZone(ZONE_A);
            assertThatThrownBy(() -> caller.get("http://127.0.0.1:" + closed + "/stock/42"))
                    .as("no Meshless retry, no ServiceCallException").isInstanceOf(refusedException());
            assertThat(context.getBean(MeshlessClients.class).clients()).containsOnlyKeys("inventory");
        });
    }

    @Test
    void whenEveryEndpointIsDownTheCallerGetsTheTypedExceptionWithEveryAttempt() {
        inventory.stopZone(ZONE_A);
        inventory.stopZone(ZONE_B);
        runner().run(context -> assertThatThrownBy(() -> caller(context).get("http://inventory/stock/42"))
                .isInstanceOfSatisfying(ServiceCallException.class, e -> {
                    assertThat(e.service()).isEqualTo("inventory");
                    assertThat(e.attempts()).hasSize(3).allSatisfy(a -> {
                        assertThat(a.outcome().kind()).isEqualTo(Outcome.Kind.ENDPOINT_FAILURE);
                        assertThat(a.outcome().requestNotSent()).isTrue();
                    });
                    assertThat(e.attempts().get(0).locality().zone()).isEqualTo(ZONE_A);
                    assertThat(e.attempts().get(1).locality().zone()).isEqualTo(ZONE_B);
                }));
    }

    @Test
    void whenEveryAttemptAnswers503TheLastAnswerReachesTheClientsStatusHandling() {
        inventory.stubAll(get(urlPathEqualTo("/stock/42")).willReturn(serviceUnavailable()));
        runner().run(context -> {
            assertThatThrownBy(() -> caller(context).get("http://inventory/stock/42"))
                    .isInstanceOf(unavailableException());
            assertThat(inventory.requests(ZONE_A, anyRequestedFor(anyUrl()))
                    + inventory.requests(ZONE_B, anyRequestedFor(anyUrl()))).as("maxAttempts").isEqualTo(3);
        });
    }

    /** @return the port of the zone's server that received the last request */
    private int servedPort(String zone) {
        return inventory.zone(zone).stream().filter(s -> !s.getAllServeEvents().isEmpty()).findFirst()
                .orElseThrow().port();
    }
}
