package dev.meshless.spring.boot.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.http.client.MockClientHttpResponse;

/** What the interceptor hands to the next step and to the caller, without a network. */
class MeshlessClientHttpRequestInterceptorTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MeshlessAutoConfiguration.class,
                    MeshlessClassifierAutoConfiguration.class, MeshlessHttpClientAutoConfiguration.class))
            .withPropertyValues("meshless.locality.region=r1", "meshless.locality.zone=r1-a",
                    "meshless.registry.endpoints.inventory[0].host=10.0.0.1",
                    "meshless.registry.endpoints.inventory[0].port=8080",
                    "meshless.registry.endpoints.inventory[0].region=r1",
                    "meshless.registry.endpoints.inventory[0].zone=r1-a",
                    "meshless.registry.endpoints.inventory[1].host=10.0.0.2",
                    "meshless.registry.endpoints.inventory[1].port=9090",
                    "meshless.registry.endpoints.inventory[1].region=r1",
                    "meshless.registry.endpoints.inventory[1].zone=r1-b");

    @Test
    void aRetriedFailureIsClosedAndTheRequestGoesToTheNextEndpointWithEverythingElseKept() {
        run(interceptor -> {
            MockClientHttpRequest request = new MockClientHttpRequest(HttpMethod.GET,
                    URI.create("https://user@inventory/stock/a%20b?x=1&y=%2F#top"));
            request.getHeaders().add("X-Trace", "t-1");
            request.getAttributes().put("mine", "kept");
            Execution execution = new Execution(HttpStatus.SERVICE_UNAVAILABLE, HttpStatus.OK);
            TrackedResponse answer = (TrackedResponse) interceptor.intercept(request, new byte[] {1}, execution);

            assertThat(execution.uris).containsExactly(URI.create("https://user@10.0.0.1:8080/stock/a%20b?x=1&y=%2F#top"),
                    URI.create("https://user@10.0.0.2:9090/stock/a%20b?x=1&y=%2F#top"));
            assertThat(execution.requests).allSatisfy(r -> {
                assertThat(r.getHeaders().getFirst("X-Trace")).isEqualTo("t-1");
                assertThat(r.getAttributes()).containsEntry("mine", "kept");
                assertThat(r.getMethod()).isEqualTo(HttpMethod.GET);
            });
            assertThat(execution.responses.get(0).closed).as("the 503 was closed before the retry").isTrue();
            assertThat(answer).isSameAs(execution.responses.get(1));
            assertThat(answer.closed).isFalse();
        });
    }

    @Test
    void whenEveryEndpointFailsTheLastResponseIsReturnedOpenAndTheOthersClosed() {
        run(interceptor -> {
            Execution execution = new Execution(HttpStatus.SERVICE_UNAVAILABLE, HttpStatus.BAD_GATEWAY);
            TrackedResponse answer = (TrackedResponse) interceptor.intercept(
                    new MockClientHttpRequest(HttpMethod.GET, URI.create("http://inventory/stock")), new byte[0],
                    execution);
            assertThat(execution.responses).as("both endpoints tried, then none left").hasSize(2);
            assertThat(answer).isSameAs(execution.responses.get(1));
            assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
            assertThat(answer.closed).isFalse();
            assertThat(execution.responses.get(0).closed).isTrue();
        });
    }

    @Test
    void otherHostsReachTheNextStepAsTheyAre() {
        run(interceptor -> {
            MockClientHttpRequest request = new MockClientHttpRequest(HttpMethod.POST,
                    URI.create("http://example.com/orders"));
            Execution execution = new Execution(HttpStatus.SERVICE_UNAVAILABLE);
            interceptor.intercept(request, new byte[0], execution);
            assertThat(execution.requests).containsExactly(request);
        });
    }

    private void run(ThrowingConsumer check) {
        runner.run(context -> check.accept(new MeshlessClientHttpRequestInterceptor(
                context.getBean(MeshlessClients.class))));
    }

    /** A check that may throw. */
    @FunctionalInterface
    private interface ThrowingConsumer {
        void accept(MeshlessClientHttpRequestInterceptor interceptor) throws Exception;
    }

    /** Answers with the given statuses in turn and records what it was given. */
    private static final class Execution implements ClientHttpRequestExecution {
        final List<HttpRequest> requests = new ArrayList<>();
        final List<URI> uris = new ArrayList<>();
        final List<TrackedResponse> responses = new ArrayList<>();
        private final HttpStatus[] statuses;

        Execution(HttpStatus... statuses) {
            this.statuses = statuses;
        }

        @Override
        public TrackedResponse execute(HttpRequest request, byte[] body) {
            requests.add(request);
            uris.add(request.getURI());
            TrackedResponse response = new TrackedResponse(statuses[Math.min(responses.size(), statuses.length - 1)]);
            responses.add(response);
            return response;
        }
    }

    /** Remembers whether it was closed. */
    private static final class TrackedResponse extends MockClientHttpResponse {
        boolean closed;

        TrackedResponse(HttpStatus status) {
            super(new byte[0], status);
        }

        @Override
        public void close() {
            closed = true;
            super.close();
        }
    }
}
