package dev.meshless.spring.boot.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpResponse;
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
            ClientHttpResponse answer = interceptor.intercept(request, new byte[] {1}, execution);

            assertThat(execution.uris).containsExactly(URI.create("https://user@10.0.0.1:8080/stock/a%20b?x=1&y=%2F#top"),
                    URI.create("https://user@10.0.0.2:9090/stock/a%20b?x=1&y=%2F#top"));
            assertThat(execution.requests).allSatisfy(r -> {
                assertThat(r.getHeaders().getFirst("X-Trace")).isEqualTo("t-1");
                assertThat(r.getAttributes()).containsEntry("mine", "kept");
                assertThat(r.getMethod()).isEqualTo(HttpMethod.GET);
            });
            assertThat(execution.responses.get(0).closed).as("the 503 was closed before the retry").isTrue();
            assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
            assertThat(answer.getBody().readAllBytes()).isEqualTo(Execution.body(1));
            assertThat(execution.responses.get(1).closed).as("read whole within the attempt, its connection freed")
                    .isTrue();
        });
    }

    @Test
    void whenEveryEndpointFailsTheLastResponseIsReturnedOpenAndTheOthersClosed() {
        run(interceptor -> {
            Execution execution = new Execution(HttpStatus.SERVICE_UNAVAILABLE, HttpStatus.BAD_GATEWAY);
            ClientHttpResponse answer = get(interceptor, "/stock", execution);
            assertThat(execution.responses).as("both endpoints tried, then none left").hasSize(2);
            assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
            assertThat(answer.getBody().readAllBytes()).as("the client's status handling can still read it")
                    .isEqualTo(Execution.body(1));
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

    @Test
    void aBodyThatBreaksOffFailsItsAttemptAndTheCallIsRetriedElsewhere() {
        run(interceptor -> {
            Execution execution = new Execution(HttpStatus.OK, HttpStatus.OK);
            execution.breakOff = 0;
            ClientHttpResponse answer = get(interceptor, "/stock", execution);
            assertThat(execution.uris).extracting(URI::getPort).containsExactly(8080, 9090);
            assertThat(execution.responses.get(0).closed).as("the broken answer was closed").isTrue();
            assertThat(answer.getBody().readAllBytes()).isEqualTo(Execution.body(1));
        });
    }

    @Test
    void aBodyAboveTheLimitIsHandedOverWholeAndOpenAsItsFirstBytesWereRead() {
        run(4, interceptor -> {
            Execution execution = new Execution(HttpStatus.OK);
            ClientHttpResponse answer = get(interceptor, "/stock", execution);
            assertThat(answer.getBody().readAllBytes()).isEqualTo(Execution.body(0));
            assertThat(execution.responses.get(0).closed).as("the caller closes what it reads").isFalse();
            answer.close();
            assertThat(execution.responses.get(0).closed).isTrue();
        });
    }

    @Test
    void streamsAndALimitOfZeroAreHandedOverUnread() {
        run(0, interceptor -> {
            Execution execution = new Execution(HttpStatus.OK);
            ClientHttpResponse answer = get(interceptor, "/stock", execution);
            assertThat(answer).isSameAs(execution.responses.get(0));
        });
        run(interceptor -> {
            Execution execution = new Execution(HttpStatus.OK);
            execution.contentType = MediaType.TEXT_EVENT_STREAM;
            ClientHttpResponse answer = get(interceptor, "/events", execution);
            assertThat(answer).isSameAs(execution.responses.get(0));
        });
    }

    @Test
    void aNegativeBufferLimitStopsStartUpNamingTheProperty() {
        runner.withPropertyValues("meshless.http.buffer-limit=-1B").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("meshless.http.buffer-limit").hasMessageContaining("-1B");
        });
    }

    private static ClientHttpResponse get(MeshlessClientHttpRequestInterceptor interceptor, String path,
                                          Execution execution) throws IOException {
        return interceptor.intercept(new MockClientHttpRequest(HttpMethod.GET, URI.create("http://inventory" + path)),
                new byte[0], execution);
    }

    private void run(int bufferLimit, ThrowingConsumer check) {
        runner.run(context -> check.accept(new MeshlessClientHttpRequestInterceptor(
                context.getBean(MeshlessClients.class), bufferLimit)));
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
        /** The index of the response whose body breaks off after its first bytes, or -1. */
        int breakOff = -1;
        MediaType contentType;

        /** @return the body of the i-th response */
        static byte[] body(int i) {
            return ("answer " + i).getBytes(StandardCharsets.UTF_8);
        }

        Execution(HttpStatus... statuses) {
            this.statuses = statuses;
        }

        @Override
        public TrackedResponse execute(HttpRequest request, byte[] body) {
            requests.add(request);
            uris.add(request.getURI());
            int i = responses.size();
            TrackedResponse response = new TrackedResponse(statuses[Math.min(i, statuses.length - 1)], body(i),
                    i == breakOff);
            if (contentType != null) {
                response.getHeaders().setContentType(contentType);
            }
            responses.add(response);
            return response;
        }
    }

    /** Remembers whether it was closed; its body may break off after two bytes. */
    private static final class TrackedResponse extends MockClientHttpResponse {
        boolean closed;
        private final byte[] body;
        private final boolean breaksOff;

        TrackedResponse(HttpStatus status, byte[] body, boolean breaksOff) {
            super(body, status);
            this.body = body;
            this.breaksOff = breaksOff;
        }

        @Override
        public InputStream getBody() throws IOException {
            if (!breaksOff) {
                return super.getBody();
            }
            return new SequenceInputStream(new ByteArrayInputStream(body, 0, 2), new InputStream() {
                @Override
                public int read() throws IOException {
                    throw new IOException("closed"); // what the JDK client says when its read timeout fires
                }
            });
        }

        @Override
        public void close() {
            closed = true;
            super.close();
        }
    }
}
