package dev.meshless.call;

import dev.meshless.adaptive.AdaptiveConcurrencyLimiter;
import dev.meshless.balancer.Pick;
import dev.meshless.breaker.ZoneCircuitBreakers;
import dev.meshless.outcome.Outcome;
import dev.meshless.time.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * Runs one call of {@link ServiceClient#callAsync} through the same steps as the synchronous loop
 * of {@link ServiceClient#call}, one attempt per callback: the attempt starts on the thread that
 * admitted the call or on the time source's timer thread after a backoff, and ends on the thread
 * that completes its stage, or on the timer thread when its timeout comes first. Its token settles
 * that race: whichever ends it first decides, the other does nothing.
 *
 * @param <T> the answer's type
 */
final class AsyncDriver<T> {

    private final ServiceClient client;
    private final Execution call;
    private final AsyncAttemptFunction<T> function;
    private final CompletableFuture<T> answer;
    /** The call's observation, or {@code null}; attempts started on any thread are tied to it. */
    private final CallObserver.ObservedCall observation;

    AsyncDriver(ServiceClient client, Execution call, AsyncAttemptFunction<T> function, CompletableFuture<T> answer,
                CallObserver.ObservedCall observation) {
        this.client = client;
        this.call = call;
        this.function = function;
        this.answer = answer;
        this.observation = observation;
    }

    /** Starts the next attempt, or ends the call when none can start. */
    void attempt() {
        AttemptToken token;
        Attempt attempt;
        try {
            Duration timeout = call.nextTimeout();
            while (true) {
                Pick pick = call.nextPick();
                ZoneCircuitBreakers.ZoneBreaker zone = client.zoneOf(pick);
                int refusal = client.refusal(call.settings(), pick, zone);
                if (refusal == Execution.ADMITTED) {
                    int number = call.began();
                    token = new AttemptToken(client.feedback, pick, zone, zone != null,
                            number == 1 ? call.startNanos() : client.nowNanos());
                    attempt = new Attempt(pick, number, timeout);
                    break;
                }
                call.refused(pick, refusal);
            }
        } catch (ServiceCallException e) {
            fail(e);
            return;
        }
        AdaptiveConcurrencyLimiter limiter = client.concurrencyLimiter();
        int slotsInUse = limiter == null ? 0 : limiter.inFlight();
        CallObserver.ObservedAttempt observed = observation == null ? null
                : observation.attemptStarted(token.pick(), attempt.number());
        CompletionStage<T> stage;
        CallObserver.Scope scope = observed == null ? null : observed.openScope();
        try (scope) {
            stage = Objects.requireNonNull(function.apply(attempt), "the attempt function returned null");
        } catch (RuntimeException | Error e) {
            stage = CompletableFuture.failedFuture(e);
        }
        CompletionStage<T> running = stage;
        TimeSource.Cancellable timer = client.time().schedule(() -> {
            ended(token, observed, slotsInUse, null, new TimeoutException("attempt " + attempt.number() + " to "
                    + token.endpoint().id() + " timed out after " + attempt.timeout().toMillis() + " ms"));
            running.toCompletableFuture().cancel(true);
        }, attempt.timeout());
        stage.whenComplete((value, error) -> {
            timer.cancel();
            ended(token, observed, slotsInUse, value, error);
        });
    }

    @SuppressWarnings("unchecked")
    private void ended(AttemptToken token, CallObserver.ObservedAttempt observed, int slotsInUse, Object value,
                       Throwable error) {
        long end = client.nowNanos();
        Outcome outcome = token.completeAt(value, error, end);
        if (outcome == null) {
            return; // the answer and the timeout raced, and the other one ended the attempt
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        AdaptiveConcurrencyLimiter limiter = client.concurrencyLimiter();
        if (limiter != null) {
            limiter.onAttempt(outcome, error != null, token.startNanos(), end - token.startNanos(), slotsInUse);
        }
        if (observed != null) {
            observed.ended(outcome, cause);
        }
        if (cause instanceof Error) {
            // As the synchronous path does: no verdict on the service, and the Error reaches the caller as it is.
            client.feedback.callAbandoned();
            fail(cause);
            return;
        }
        if (Execution.answered(outcome, error)) {
            client.feedback.callSucceeded(end - call.startNanos());
            if (observation != null) {
                observation.ended(null);
            }
            answer.complete((T) value);
            return;
        }
        long backoff;
        try {
            backoff = call.afterFailure(token.pick(), outcome, value, error, end - token.startNanos(), end);
        } catch (RuntimeException e) {
            client.feedback.callAbandoned(); // a bug of ours must not keep the permission
            fail(e);
            return;
        }
        if (backoff == Execution.DONE) {
            fail(call.failure());
        } else {
            client.time().schedule(this::attempt, Duration.ofNanos(backoff));
        }
    }

    /** Ends the call with a failure: its observation first, so that it ends before the caller's callbacks run. */
    private void fail(Throwable failure) {
        if (observation != null) {
            observation.ended(failure);
        }
        answer.completeExceptionally(failure);
    }
}
