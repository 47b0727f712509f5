package dev.meshless.spring.boot.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.outcome.Outcome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.http.client.MockClientHttpResponse;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/** Spring's HTTP answers and failures, turned into outcomes that say which status they came from. */
class SpringHttpOutcomeClassifierTest {

    private final SpringHttpOutcomeClassifier classifier = new SpringHttpOutcomeClassifier();

    @Test
    void clientHttpResponsesAreClassifiedByStatus() {
        assertThat(kind(new MockClientHttpResponse(new byte[0], HttpStatus.OK))).isEqualTo(Outcome.Kind.SUCCESS);
        assertThat(kind(new MockClientHttpResponse(new byte[0], HttpStatus.NOT_FOUND)))
                .isEqualTo(Outcome.Kind.CALLER_ERROR);
        assertThat(kind(new MockClientHttpResponse(new byte[0], HttpStatus.SERVICE_UNAVAILABLE)))
                .isEqualTo(Outcome.Kind.GATEWAY_FAILURE);
        assertThat(kind(new MockClientHttpResponse(new byte[0], HttpStatus.INTERNAL_SERVER_ERROR)))
                .isEqualTo(Outcome.Kind.ENDPOINT_FAILURE);
    }

    @Test
    void a503WithRetryAfterIsOverloadAndCarriesTheDelay() {
        MockClientHttpResponse busy = new MockClientHttpResponse(new byte[0], HttpStatus.SERVICE_UNAVAILABLE);
        busy.getHeaders().add("Retry-After", "2");
        Outcome outcome = classifier.classify(busy, null);
        assertThat(outcome.kind()).isEqualTo(Outcome.Kind.OVERLOADED);
        assertThat(outcome.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(classifier.classify(ResponseEntity.status(429).build(), null).kind())
                .isEqualTo(Outcome.Kind.OVERLOADED);
    }

    @Test
    void responseEntitiesWebFluxResponsesAndJdkResponsesAreClassifiedByStatus() {
        assertThat(kind(ResponseEntity.ok("fine"))).isEqualTo(Outcome.Kind.SUCCESS);
        assertThat(kind(ResponseEntity.status(502).build())).isEqualTo(Outcome.Kind.GATEWAY_FAILURE);
        assertThat(kind(ClientResponse.create(HttpStatus.GATEWAY_TIMEOUT).build()))
                .isEqualTo(Outcome.Kind.GATEWAY_FAILURE);
        assertThat(kind(ClientResponse.create(HttpStatus.CREATED).build())).isEqualTo(Outcome.Kind.SUCCESS);
        assertThat(kind(new JdkResponse(503, Map.of()))).isEqualTo(Outcome.Kind.GATEWAY_FAILURE);
        assertThat(kind(new JdkResponse(400, Map.of()))).isEqualTo(Outcome.Kind.CALLER_ERROR);
        assertThat(classifier.classify(new JdkResponse(503, Map.of("Retry-After", List.of("1"))), null).kind())
                .isEqualTo(Outcome.Kind.OVERLOADED);
        assertThat(kind("any other value")).isEqualTo(Outcome.Kind.SUCCESS);
    }

    @Test
    void openFeignResponsesAreClassifiedByStatusWithTheirRetryAfter() {
        assertThat(kind(feign(200, Map.of()))).isEqualTo(Outcome.Kind.SUCCESS);
        assertThat(kind(feign(404, Map.of()))).isEqualTo(Outcome.Kind.CALLER_ERROR);
        assertThat(kind(feign(503, Map.of()))).isEqualTo(Outcome.Kind.GATEWAY_FAILURE);
        Outcome busy = classifier.classify(feign(503, Map.of("retry-after", List.of("2"))), null);
        assertThat(busy.kind()).isEqualTo(Outcome.Kind.OVERLOADED);
        assertThat(busy.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    }

    private static feign.Response feign(int status, Map<String, java.util.Collection<String>> headers) {
        return feign.Response.builder().status(status).headers(headers).request(feign.Request.create(
                feign.Request.HttpMethod.GET, "http://inventory/stock", Map.of(), null, StandardCharsets.UTF_8,
                null)).build();
    }

    @Test
    void statusExceptionsAreClassifiedByTheirStatusEvenWhenWrapped() {
        assertThat(failure(HttpServerErrorException.create(HttpStatus.SERVICE_UNAVAILABLE, "busy", null, null, null)))
                .isEqualTo(Outcome.Kind.GATEWAY_FAILURE);
        assertThat(failure(HttpClientErrorException.create(HttpStatus.NOT_FOUND, "no", null, null, null)))
                .isEqualTo(Outcome.Kind.CALLER_ERROR);
        WebClientResponseException badGateway = WebClientResponseException.create(HttpStatus.BAD_GATEWAY, "bad",
                null, null, StandardCharsets.UTF_8, null);
        assertThat(failure(badGateway)).isEqualTo(Outcome.Kind.GATEWAY_FAILURE);
        assertThat(failure(new CompletionException(badGateway))).isEqualTo(Outcome.Kind.GATEWAY_FAILURE);
    }

    @Test
    void wrappedConnectionFailuresAreConnectFailuresThatNeverSentTheRequest() {
        Outcome rest = classifier.classify(null, new ResourceAccessException("I/O error", new ConnectException("refused")));
        assertThat(rest.kind()).isEqualTo(Outcome.Kind.ENDPOINT_FAILURE);
        assertThat(rest.requestNotSent()).isTrue();
        Outcome web = classifier.classify(null, new CompletionException(new WebClientRequestException(
                new ConnectException("refused"), HttpMethod.POST, URI.create("http://inventory/x"),
                new org.springframework.http.HttpHeaders())));
        assertThat(web.kind()).isEqualTo(Outcome.Kind.ENDPOINT_FAILURE);
        assertThat(web.requestNotSent()).isTrue();
        Outcome timeout = classifier.classify(null, new ResourceAccessException("I/O error",
                new SocketTimeoutException("read timed out")));
        assertThat(timeout.kind()).isEqualTo(Outcome.Kind.ENDPOINT_FAILURE);
        assertThat(timeout.requestNotSent()).isFalse();
        assertThat(failure(new IOException("reset"))).isEqualTo(Outcome.Kind.ENDPOINT_FAILURE);
        assertThat(failure(new IllegalStateException("a bug"))).isEqualTo(Outcome.Kind.CALLER_ERROR);
        // RestClient's "Error while extracting response": the body could not be read.
        Outcome unread = classifier.classify(null, new org.springframework.web.client.RestClientException(
                "Error while extracting response for type [java.lang.String]", new IOException("Connection reset")));
        assertThat(unread.kind()).isEqualTo(Outcome.Kind.ENDPOINT_FAILURE);
        assertThat(unread.localOrigin()).isTrue();
        assertThat(failure(new org.springframework.web.client.RestClientException("no converter")))
                .isEqualTo(Outcome.Kind.CALLER_ERROR);
    }

    @Test
    void statusOutcomesCarryTheirStatusForThePolicysRetryableStatuses() {
        Outcome serverError = classifier.classify(new MockClientHttpResponse(new byte[0],
                HttpStatus.INTERNAL_SERVER_ERROR), null);
        assertThat(serverError.kind()).isEqualTo(Outcome.Kind.ENDPOINT_FAILURE);
        assertThat(serverError.httpStatus()).isEqualTo(500);
        assertThat(classifier.classify(null, HttpServerErrorException.create(HttpStatus.BAD_GATEWAY, "bad", null,
                null, null)).httpStatus()).isEqualTo(502);
        assertThat(classifier.classify(ResponseEntity.status(404).build(), null).httpStatus()).isEqualTo(404);
        assertThat(classifier.classify(null, new ResourceAccessException("I/O error", new ConnectException()))
                .httpStatus()).as("a transport failure has no status").isZero();
    }

    private Outcome.Kind kind(Object result) {
        return classifier.classify(result, null).kind();
    }

    private Outcome.Kind failure(Throwable failure) {
        return classifier.classify(null, failure).kind();
    }

    /** A JDK response with a status and headers only. */
    record JdkResponse(int statusCode, Map<String, List<String>> headerMap) implements HttpResponse<String> {
        @Override
        public HttpRequest request() {
            return HttpRequest.newBuilder(URI.create("http://inventory/")).build();
        }

        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return HttpHeaders.of(headerMap, (name, value) -> true);
        }

        @Override
        public String body() {
            return "";
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return URI.create("http://inventory/");
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
