package dev.meshless.spring.boot.shedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;

/** Load shedding in a Spring MVC application on Tomcat, asynchronous requests included. */
@SpringBootTest(classes = SheddingMvcApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "server.address=127.0.0.1")
@ActiveProfiles("shedding")
class ServletLoadSheddingTest extends LoadSheddingScenarios {

    @Autowired
    ApplicationContext context;

    @Test
    void theServletFilterIsTheOneInPlace() {
        assertThat(context.getBeansOfType(LoadSheddingServletFilter.class)).hasSize(1);
        assertThat(context.getBeanNamesForType(LoadSheddingWebFilter.class)).isEmpty();
    }

    @Test
    void aDeferredResultHoldsItsPlaceUntilItCompletes() {
        CompletableFuture<HttpResponse<String>> response = http.sendAsync("/deferred");
        awaitInFlight(1);

        gate.open();

        assertThat(response.join().body()).isEqualTo("deferred");
        awaitInFlight(0);
    }

    @Test
    void aCallableHoldsItsPlaceUntilItCompletes() {
        CompletableFuture<HttpResponse<String>> response = http.sendAsync("/callable");
        awaitInFlight(1);

        gate.open();

        assertThat(response.join().body()).isEqualTo("callable");
        awaitInFlight(0);
    }

    @Test
    void anAsyncRequestThatTimesOutReleasesItsPlace() {
        assertThat(http.get("/deferred/expiring").statusCode()).isEqualTo(503);
        awaitInFlight(0);
    }
}
