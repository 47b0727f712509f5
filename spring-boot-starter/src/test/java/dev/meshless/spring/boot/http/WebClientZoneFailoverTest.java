package dev.meshless.spring.boot.http;

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

import dev.meshless.spring.boot.MeshlessClients;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/** {@code WebClient} from Spring Boot's builder: the zone drills, the per-try timeout, idempotence. */
class WebClientZoneFailoverTest extends ZoneFailoverScenarios {

    private static final Duration BLOCK = Duration.ofSeconds(10);

    @Override
    protected Caller caller(AssertableApplicationContext context) {
        WebClient web = context.getBean(WebClient.Builder.class).build();
        return new Caller() {
            @Override
            public String get(String url, String... headers) {
                return web.get().uri(URI.create(url)).headers(h -> addHeaders(h, headers)).retrieve()
                        .bodyToMono(String.class).block(BLOCK);
            }

            @Override
            public String post(String url, String body) {
                return web.post().uri(URI.create(url)).bodyValue(body).retrieve().bodyToMono(String.class).block(BLOCK);
            }
        };
    }

    @Override
    protected Class<? extends Throwable> unavailableException() {
        return WebClientResponseException.ServiceUnavailable.class;
    }

    @Override
    protected Class<? extends Throwable> refusedException() {
        return WebClientRequestException.class;
    }

    @Test
    void aSlowZoneIsLeftAfterThePerTryTimeout() {
        // A per-try timeout long enough for the other zone's first attempt (a new connection) on a busy
        // machine, and an answer from the slow zone that comes well after the bound below.
        inventory.stubZone(ZONE_A, get(urlPathEqualTo("/stock/42")).willReturn(ok("late").withFixedDelay(3_000)));
        runner().withPropertyValues("meshless.services.inventory.timeouts.per-try=1s").run(context -> {
            WebClient web = context.getBean(WebClient.Builder.class).build();
            long start = System.nanoTime();
            String stock = web.get().uri("http://inventory/stock/42").retrieve().bodyToMono(String.class).block(BLOCK);
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertThat(stock).isEqualTo("7");
            assertThat(millis).as("one per-try timeout, then the other zone").isBetween(1_000L, 2_800L);
            assertThat(inventory.requests(ZONE_B, getRequestedFor(urlEqualTo("/stock/42")))).isEqualTo(1);
            assertThat(context.getBean(MeshlessClients.class).client("inventory").attemptsInFlight())
                    .as("the timed-out attempt was reported").isZero();
        });
    }

    @Test
    void aPostDeclaredIdempotentOnTheRequestIsRetriedInTheOtherZone() {
        inventory.stubZone(ZONE_A, post("/reservations").willReturn(serviceUnavailable()));
        runner().run(context -> {
            WebClient web = context.getBean(WebClient.Builder.class).build();
            String reservation = web.post().uri("http://inventory/reservations")
                    .attribute(HttpRoute.ATTRIBUTE, HttpRoute.to("inventory").withIdempotent(true))
                    .bodyValue("sku-42").retrieve().bodyToMono(String.class).block(BLOCK);
            assertThat(reservation).isEqualTo("r-1");
            assertThat(inventory.requests(ZONE_B, postRequestedFor(urlEqualTo("/reservations")))).isEqualTo(1);
        });
    }

    @Test
    void nothingIsSentBeforeSubscription() {
        runner().run(context -> {
            WebClient web = context.getBean(WebClient.Builder.class).build();
            Mono<String> stock = web.get().uri("http://inventory/stock/42").retrieve().bodyToMono(String.class);
            assertThat(inventory.requests(ZONE_A, getRequestedFor(urlEqualTo("/stock/42")))).isZero();
            assertThat(stock.block(BLOCK)).isEqualTo("7");
            assertThat(stock.block(BLOCK)).as("each subscription is a call").isEqualTo("7");
            assertThat(inventory.requests(ZONE_A, getRequestedFor(urlEqualTo("/stock/42")))).isEqualTo(2);
        });
    }
}
