package dev.meshless.spring.boot.http;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.meshless.spring.boot.http.ZoneBackends.ZONE_A;
import static dev.meshless.spring.boot.http.ZoneBackends.ZONE_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.call.ServiceCallException;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/** {@code RestClient} from Spring Boot's builder: the zone drills, and per-request idempotence. */
class RestClientZoneFailoverTest extends ZoneFailoverScenarios {

    @Override
    protected Caller caller(AssertableApplicationContext context) {
        RestClient rest = context.getBean(RestClient.Builder.class).build();
        return new Caller() {
            @Override
            public String get(String url, String... headers) {
                return rest.get().uri(URI.create(url)).headers(h -> addHeaders(h, headers)).retrieve()
                        .body(String.class);
            }

            @Override
            public String post(String url, String body) {
                return rest.post().uri(URI.create(url)).body(body).retrieve().body(String.class);
            }
        };
    }

    @Override
    protected Class<? extends Throwable> unavailableException() {
        return HttpServerErrorException.ServiceUnavailable.class;
    }

    @Override
    protected Class<? extends Throwable> refusedException() {
        return ResourceAccessException.class;
    }

    @Test
    void aPostDeclaredIdempotentOnTheRequestIsRetriedInTheOtherZone() {
        inventory.stubZone(ZONE_A, post("/reservations").willReturn(serviceUnavailable()));
        runner().run(context -> {
            RestClient rest = context.getBean(RestClient.Builder.class).build();
            String reservation = rest.post().uri("http://inventory/reservations")
                    .attribute(HttpRoute.ATTRIBUTE, HttpRoute.to("inventory").withIdempotent(true))
                    .body("sku-42").retrieve().body(String.class);
            assertThat(reservation).isEqualTo("r-1");
            assertThat(inventory.requests(ZONE_B, postRequestedFor(urlEqualTo("/reservations")))).isEqualTo(1);
        });
    }

    @Test
    void aRouteAttributeMayApplyTheRetryPolicyOfAnotherSection() {
        inventory.stubZone(ZONE_A, post("/reservations").willReturn(serviceUnavailable()));
        runner().withPropertyValues("meshless.services.inventory-batch.retry.retryable-methods=GET,POST").run(context -> {
            RestClient rest = context.getBean(RestClient.Builder.class).build();
            String reservation = rest.post().uri("http://inventory/reservations")
                    .attribute(HttpRoute.ATTRIBUTE, HttpRoute.to("inventory").withPolicy("inventory-batch"))
                    .body("sku-42").retrieve().body(String.class);
            assertThat(reservation).isEqualTo("r-1");
            assertThat(inventory.requests(ZONE_B, postRequestedFor(urlEqualTo("/reservations")))).isEqualTo(1);
        });
    }

    @Test
    void aRouteAttributeRoutesAServiceMeshlessDoesNotOtherwiseKnow() {
        runner().run(context -> {
            RestClient rest = context.getBean(RestClient.Builder.class).build();
            assertThatThrownBy(() -> rest.get().uri("http://warehouse/stock/42")
                    .attribute(HttpRoute.ATTRIBUTE, HttpRoute.to("warehouse")).retrieve().body(String.class))
                    .isInstanceOfSatisfying(ServiceCallException.class, e -> {
                        assertThat(e.service()).isEqualTo("warehouse");
                        assertThat(e.reason()).isEqualTo(ServiceCallException.Reason.NO_ENDPOINT);
                    });
            assertThat(inventory.requests(ZONE_A, anyRequestedFor(anyUrl()))).isZero();
        });
    }
}
