package dev.meshless.spring.boot.http;

import dev.meshless.call.ServiceCallException;
import dev.meshless.spring.boot.MeshlessClients;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * Routes {@code WebClient} requests whose URL host is a Meshless service through the service's
 * resilient call path, without blocking: the same rules as {@link MeshlessClientHttpRequestInterceptor}
 * (which hosts, retries, what the caller sees), run by
 * {@link dev.meshless.call.ServiceClient#callAsync}. Here the per-try timeout is enforced: an
 * attempt that takes longer is cancelled (its connection closed) and counts as an endpoint failure.
 *
 * <p>The bodies of failed responses that are retried, and of answers arriving after their attempt
 * timed out or after the subscriber cancelled, are released. The request body is written once per
 * attempt, so it must be repeatable (values and cold publishers are). Cancelling the subscription
 * stops waiting for the call; attempts already started end within the call's deadline. The
 * subscriber's Reactor context is passed on to every attempt, and WebClient's observation in it is
 * the parent of the call's.
 *
 * <p>Thread-safe; one instance serves every client.
 */
public final class MeshlessExchangeFilterFunction implements ExchangeFilterFunction {

    private final MeshlessClients clients;

    /** @param clients the application's Meshless clients */
    public MeshlessExchangeFilterFunction(MeshlessClients clients) {
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        Routing.Target target = Routing.target(clients, request.url(), request.attributes(), request.method().name());
        if (target == null) {
            return next.exchange(request);
        }
        return Mono.create(sink -> {
            Responses responses = new Responses();
            AtomicReference<CompletableFuture<ClientResponse>> call = new AtomicReference<>();
            AtomicBoolean started = new AtomicBoolean();
            AtomicBoolean cancelled = new AtomicBoolean();
            sink.onCancel(() -> {
                cancelled.set(true);
                responses.finish(null);
                CompletableFuture<ClientResponse> waiting = call.get();
                if (waiting != null && !started.get()) {
                    // Still in line for an adaptive concurrency slot: it leaves the line and never
                    // sends a request nobody waits for. A call already started keeps its slot until
                    // its attempt ends, as before.
                    waiting.cancel(false);
                }
            });
            CompletableFuture<ClientResponse> answer;
            // WebClient keeps its observation in the Reactor context, not in a thread-local: make it
            // current while the call starts, so that the call's observation is its child.
            Object observation = sink.contextView().getOrDefault(ObservationThreadLocalAccessor.KEY, null);
            Observation.Scope scope = observation instanceof Observation parent ? parent.openScope() : null;
            try (scope) {
                answer = target.client().callAsync(attempt -> {
                    started.set(true);
                    responses.releaseEarlier();
                    ClientRequest routed = ClientRequest.from(request)
                            .url(Routing.rewrite(request.url(), attempt.endpoint())).build();
                    CompletableFuture<ClientResponse> response = next.exchange(routed)
                            .contextWrite(sink.contextView()).toFuture();
                    response.thenAccept(responses::add);
                    return response;
                }, target.options());
            }
            call.set(answer);
            if (cancelled.get() && !started.get()) {
                answer.cancel(false); // cancelled while callAsync was still returning: leave the line too
            }
            answer.whenComplete((response, failure) -> {
                ClientResponse result = response;
                Throwable error = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (error instanceof ServiceCallException e && e.lastResult() instanceof ClientResponse last) {
                    result = last; // as without Meshless: the client's status handling reads it
                    error = null;
                }
                if (error != null) {
                    responses.finish(null);
                    sink.error(error);
                } else if (responses.finish(result)) {
                    sink.success(result);
                }
            });
        });
    }

    /**
     * The responses one call received, so that none but the answer stays unreleased, whatever the
     * order of answers, timeouts, retries and cancellation. Guarded by its own lock.
     */
    static final class Responses {
        private final List<ClientResponse> open = new ArrayList<>(2);
        private final Set<ClientResponse> released = Collections.newSetFromMap(new IdentityHashMap<>());
        private boolean done;
        private ClientResponse kept;

        /** An attempt's response arrived (possibly after its attempt timed out or the call ended). */
        void add(ClientResponse response) {
            boolean late;
            synchronized (this) {
                late = done;
                if (!late) {
                    open.add(response);
                }
            }
            if (late && response != kept()) {
                release(response);
            }
        }

        /** A new attempt starts: every response so far belongs to a failed attempt. */
        void releaseEarlier() {
            List<ClientResponse> earlier;
            synchronized (this) {
                earlier = new ArrayList<>(open);
                open.clear();
            }
            earlier.forEach(this::release);
        }

        /**
         * The call ended.
         *
         * @param answer the response handed to the subscriber, or {@code null}
         * @return whether the subscriber may still have it; {@code false} after cancellation, in
         *     which case the answer has been released
         */
        boolean finish(ClientResponse answer) {
            List<ClientResponse> rest;
            boolean first;
            synchronized (this) {
                first = !done;
                if (first) {
                    done = true;
                    kept = answer;
                }
                rest = new ArrayList<>(open);
                open.clear();
            }
            for (ClientResponse r : rest) {
                if (!first || r != answer) {
                    release(r);
                }
            }
            if (!first && answer != null) {
                release(answer);
            }
            return first;
        }

        private synchronized ClientResponse kept() {
            return kept;
        }

        private void release(ClientResponse response) {
            synchronized (this) {
                if (!released.add(response)) {
                    return;
                }
            }
            response.releaseBody().onErrorComplete().subscribe();
        }
    }
}
