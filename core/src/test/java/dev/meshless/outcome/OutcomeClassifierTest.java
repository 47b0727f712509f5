package dev.meshless.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutcomeClassifierTest {

    private final OutcomeClassifier defaults = OutcomeClassifier.defaults();

    @Test
    void returnedValuesAreSuccesses() {
        assertThat(defaults.classify("anything", null)).isSameAs(Outcome.success());
        assertThat(defaults.classify(null, null).kind()).isEqualTo(Outcome.Kind.SUCCESS);
    }

    @Test
    void connectFailuresNeverSentTheRequest() {
        Outcome refused = defaults.classify(null, new ConnectException("Connection refused"));
        Outcome connectTimeout = defaults.classify(null, new HttpConnectTimeoutException("connect timed out"));

        assertThat(refused.kind()).isEqualTo(Outcome.Kind.ENDPOINT_FAILURE);
        assertThat(refused.localOrigin()).isTrue();
        assertThat(refused.requestNotSent()).isTrue();
        assertThat(connectTimeout.requestNotSent()).isTrue();
        assertThat(refused.refused()).as("a refusal is unambiguous").isTrue();
        assertThat(connectTimeout.refused()).as("a connect timeout is not").isFalse();
    }

    @Test
    void onlyRefusalsAndUnreachableAddressesCountAsRefused() {
        assertThat(defaults.classify(null, new java.net.NoRouteToHostException()).refused()).isTrue();
        assertThat(defaults.classify(null, new java.net.PortUnreachableException()).refused()).isTrue();
        assertThat(defaults.classify(null, new java.net.UnknownHostException("inventory")).refused()).isFalse();
        // Netty's connect timeout is a ConnectException by type, a timeout by name.
        assertThat(defaults.classify(null, new ConnectTimeoutException()).refused()).isFalse();
        assertThat(defaults.classify(null, new ConnectTimeoutException()).requestNotSent()).isTrue();
        assertThat(defaults.classify(null, new java.net.SocketTimeoutException()).refused()).isFalse();
        assertThat(Outcome.connectionRefused("x").notRetryable().withHttpStatus(0).refused()).isTrue();
    }

    /** Shaped like io.netty.channel.ConnectTimeoutException, which extends ConnectException. */
    static final class ConnectTimeoutException extends ConnectException {
    }

    @Test
    void timeoutsAndResetsAreLocalOriginFailuresOfASentRequest() {
        for (Throwable t : new Throwable[] {new SocketTimeoutException(), new HttpTimeoutException("x"),
                new TimeoutException(), new EOFException(), new IOException("Connection reset")}) {
            Outcome o = defaults.classify(null, t);
            assertThat(o.kind()).as(t.toString()).isEqualTo(Outcome.Kind.ENDPOINT_FAILURE);
            assertThat(o.localOrigin()).isTrue();
            assertThat(o.requestNotSent()).isFalse();
        }
    }

    @Test
    void wrappersAreLookedThrough() {
        assertThat(defaults.classify(null, new CompletionException(new ConnectException())).requestNotSent()).isTrue();
        assertThat(defaults.classify(null, new ExecutionException(new SocketTimeoutException())).kind())
                .isEqualTo(Outcome.Kind.ENDPOINT_FAILURE);
        assertThat(defaults.classify(null, new UncheckedIOException(new ConnectException())).description())
                .isEqualTo("ConnectException");
    }

    @Test
    void otherExceptionsSayNothingAboutTheEndpoint() {
        Outcome o = defaults.classify(null, new IllegalStateException("bug in the caller"));

        assertThat(o.kind()).isEqualTo(Outcome.Kind.CALLER_ERROR);
        assertThat(o.description()).isEqualTo("IllegalStateException");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "none", value = {
            "200, none, SUCCESS", "304, none, SUCCESS", "404, none, CALLER_ERROR", "400, none, CALLER_ERROR",
            "429, none, OVERLOADED", "429, 3, OVERLOADED", "503, 2, OVERLOADED", "503, none, GATEWAY_FAILURE",
            "502, none, GATEWAY_FAILURE", "504, none, GATEWAY_FAILURE", "500, none, ENDPOINT_FAILURE",
            "501, none, ENDPOINT_FAILURE"})
    void statusCodes(int status, String retryAfter, Outcome.Kind kind) {
        Outcome o = OutcomeClassifier.classifyStatus(status, retryAfter);

        assertThat(o.kind()).isEqualTo(kind);
        if (status >= 400) {
            assertThat(o.description()).isEqualTo("HTTP " + status);
        }
    }

    @Test
    void retryAfterInSecondsIsKeptAndDatesAreIgnored() {
        assertThat(OutcomeClassifier.classifyStatus(429, "7").retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(OutcomeClassifier.classifyStatus(429, "Wed, 21 Oct 2026 07:28:00 GMT").retryAfter()).isNull();
        assertThat(OutcomeClassifier.classifyStatus(429, "-1").retryAfter()).isNull();
    }

    record Response(int status, String retryAfter) {
    }

    @Test
    void httpResponsesOfAnyClientType() {
        OutcomeClassifier http = OutcomeClassifier.forHttpResponses(Response.class, Response::status,
                Response::retryAfter);

        assertThat(http.classify(new Response(503, null), null).kind()).isEqualTo(Outcome.Kind.GATEWAY_FAILURE);
        assertThat(http.classify(new Response(200, null), null).kind()).isEqualTo(Outcome.Kind.SUCCESS);
        assertThat(http.classify("not a response", null).kind()).isEqualTo(Outcome.Kind.SUCCESS);
        assertThat(http.classify(null, new ConnectException()).requestNotSent()).isTrue();
    }
}
