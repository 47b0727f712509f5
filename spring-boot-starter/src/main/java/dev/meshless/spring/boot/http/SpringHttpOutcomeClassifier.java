package dev.meshless.spring.boot.http;

import dev.meshless.outcome.Outcome;
import dev.meshless.outcome.OutcomeClassifier;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.springframework.util.ClassUtils;

/**
 * Classifies the answers of Spring's HTTP clients by status code — {@code ClientHttpResponse}
 * (RestClient and RestTemplate interceptors), {@code ResponseEntity}, WebFlux's
 * {@code ClientResponse}, OpenFeign's {@code Response}, the JDK's {@code HttpResponse} — and their status exceptions
 * ({@code RestClientResponseException}, {@code WebClientResponseException}); the I/O failures that
 * the clients wrap ({@code ResourceAccessException}, {@code WebClientRequestException}, a
 * {@code RestClientException} that could not read the body) by their cause, so that a refused
 * connection is a connect failure and a reset while reading is an endpoint failure; everything else as
 * {@link OutcomeClassifier#defaults()} does. Status outcomes carry their status, so each
 * service's {@code retry.retryable-statuses} decides, in the call's own policy, which are retried.
 *
 * <p>Client classes are only touched when present on the class path. Thread-safe.
 */
public final class SpringHttpOutcomeClassifier implements OutcomeClassifier {

    private static final boolean WEB = ClassUtils.isPresent("org.springframework.http.client.ClientHttpResponse",
            SpringHttpOutcomeClassifier.class.getClassLoader());
    private static final boolean WEBFLUX = ClassUtils.isPresent(
            "org.springframework.web.reactive.function.client.ClientResponse",
            SpringHttpOutcomeClassifier.class.getClassLoader());
    private static final boolean FEIGN = ClassUtils.isPresent("feign.Response",
            SpringHttpOutcomeClassifier.class.getClassLoader());

    /** Creates the classifier; it holds no state and may be shared by every client. */
    public SpringHttpOutcomeClassifier() {
    }

    @Override
    public Outcome classify(Object result, Throwable failure) {
        if (failure != null) {
            Throwable t = failure;
            while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
                t = t.getCause(); // an asynchronous call's failure
            }
            Throwable transport = WEB ? Web.transportCause(t) : null;
            if (transport == null && WEBFLUX) {
                transport = WebFlux.transportCause(t);
            }
            if (transport != null) {
                return OutcomeClassifier.classifyException(transport); // the I/O failure the client wrapped
            }
            int[] status = {-1};
            String[] retryAfter = {null};
            if (WEB) {
                Web.statusOf(t, status, retryAfter);
            }
            if (status[0] < 0 && WEBFLUX) {
                WebFlux.statusOf(t, status, retryAfter);
            }
            return status[0] >= 0 ? byStatus(status[0], retryAfter[0]) : OutcomeClassifier.classifyException(failure);
        }
        if (result instanceof java.net.http.HttpResponse<?> jdk) {
            return byStatus(jdk.statusCode(), jdk.headers().firstValue("Retry-After").orElse(null));
        }
        Outcome o = WEB ? Web.classify(this, result) : null;
        if (o == null && WEBFLUX) {
            o = WebFlux.classify(this, result);
        }
        if (o == null && FEIGN) {
            o = Feign.classify(this, result);
        }
        return o != null ? o : Outcome.success();
    }

    Outcome byStatus(int status, String retryAfter) {
        return OutcomeClassifier.classifyStatus(status, retryAfter);
    }

    /** Spring Web types; loaded only when spring-web is present. */
    private static final class Web {
        static Outcome classify(SpringHttpOutcomeClassifier c, Object result) {
            if (result instanceof org.springframework.http.client.ClientHttpResponse r) {
                try {
                    return c.byStatus(r.getStatusCode().value(), r.getHeaders().getFirst("Retry-After"));
                } catch (IOException e) {
                    return OutcomeClassifier.classifyException(e);
                }
            }
            if (result instanceof org.springframework.http.ResponseEntity<?> r) {
                return c.byStatus(r.getStatusCode().value(), r.getHeaders().getFirst("Retry-After"));
            }
            return null;
        }

        /**
         * @return the cause of a {@code ResourceAccessException} (refused, read timeout), or the
         *     {@code IOException} behind a {@code RestClientException} that could not read the answer's
         *     body (reset, closed: "Error while extracting response"); else {@code null}
         */
        static Throwable transportCause(Throwable failure) {
            if (failure instanceof org.springframework.web.client.ResourceAccessException) {
                return failure.getCause();
            }
            boolean unread = failure instanceof org.springframework.web.client.RestClientException
                    && !(failure instanceof org.springframework.web.client.RestClientResponseException);
            return unread && failure.getCause() instanceof IOException ? failure.getCause() : null;
        }

        static void statusOf(Throwable failure, int[] status, String[] retryAfter) {
            if (failure instanceof org.springframework.web.client.RestClientResponseException e) {
                status[0] = e.getStatusCode().value();
                retryAfter[0] = e.getResponseHeaders() == null ? null : e.getResponseHeaders().getFirst("Retry-After");
            }
        }
    }

    /** OpenFeign's answers; loaded only when feign-core is present. */
    private static final class Feign {
        static Outcome classify(SpringHttpOutcomeClassifier c, Object result) {
            if (result instanceof feign.Response r) {
                return c.byStatus(r.status(), r.headers().getOrDefault("Retry-After", java.util.List.of()).stream()
                        .findFirst().orElse(null));
            }
            return null;
        }
    }

    /** WebFlux types; loaded only when spring-webflux is present. */
    private static final class WebFlux {
        static Outcome classify(SpringHttpOutcomeClassifier c, Object result) {
            if (result instanceof org.springframework.web.reactive.function.client.ClientResponse r) {
                return c.byStatus(r.statusCode().value(), r.headers().asHttpHeaders().getFirst("Retry-After"));
            }
            return null;
        }

        /** @return the cause of a {@code WebClientRequestException} (refused, timeout), or {@code null} */
        static Throwable transportCause(Throwable failure) {
            return failure instanceof org.springframework.web.reactive.function.client.WebClientRequestException
                    && failure.getCause() != null ? failure.getCause() : null;
        }

        static void statusOf(Throwable failure, int[] status, String[] retryAfter) {
            if (failure instanceof org.springframework.web.reactive.function.client.WebClientResponseException e) {
                status[0] = e.getStatusCode().value();
                retryAfter[0] = e.getHeaders().getFirst("Retry-After");
            }
        }
    }
}
