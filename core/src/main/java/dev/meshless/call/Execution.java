package dev.meshless.call;

import dev.meshless.balancer.Exclusions;
import dev.meshless.balancer.NoEndpointAvailableException;
import dev.meshless.balancer.Pick;
import dev.meshless.breaker.ZoneCircuitBreakers;
import dev.meshless.config.Percent;
import dev.meshless.outcome.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The state and decisions of one call, shared by the synchronous and asynchronous drivers of
 * {@link ServiceClient}: which endpoint next, how long an attempt may take, what an outcome means,
 * whether and when to retry, how the call ends. Attempts run one after another, so the fields need
 * no locking; the asynchronous driver hands the execution from thread to thread through completion
 * stages and timers, which order the accesses.
 */
final class Execution {

    /** {@link #decide} result: the call is over, see {@link #failure} and {@link #result}. */
    static final long DONE = -1;
    /** A decision to attempt at once (no backoff). */
    static final long RETRY_NOW = 0;

    private final ServiceClient client;
    private final CallOptions options;
    private final long startNanos;
    private final long deadlineNanos;
    /** The first attempt's timeout, chosen among existing values so that it costs no allocation. */
    private final Duration firstTimeout;
    /** When the last attempt ended; the whole call's duration for the service breaker. */
    private long lastEndNanos;
    private Exclusions hosts = Exclusions.none();
    private Exclusions withTiers = Exclusions.none();
    private int attempts;
    private int[] failuresPerTier;
    private List<AttemptRecord> records;
    private Object result;
    private Throwable lastError;
    private RuntimeException failure;

    Execution(ServiceClient client, CallOptions options, long startNanos) {
        this.client = client;
        this.options = options;
        this.startNanos = startNanos;
        Duration deadline = options.deadline() != null ? options.deadline() : client.policy().deadline();
        this.deadlineNanos = startNanos + deadline.toNanos();
        this.firstTimeout = firstTimeout(deadline, client.policy().perTryTimeout());
    }

    /** @return the smaller of the per-try timeout and the deadline, without allocating */
    static Duration firstTimeout(Duration deadline, Duration perTry) {
        return perTry != null && perTry.compareTo(deadline) < 0 ? perTry : deadline;
    }

    /**
     * One attempt's claim on its endpoint (and on its zone breaker's permit); the outcome must be
     * reported exactly once through {@link #finish}. The flag settles the race between an
     * asynchronous attempt's answer and its timeout.
     */
    static final class Token extends AtomicBoolean {
        final Pick pick;
        final ZoneCircuitBreakers.ZoneBreaker zone;
        final long startNanos;

        Token(Pick pick, ZoneCircuitBreakers.ZoneBreaker zone, long startNanos) {
            this.pick = pick;
            this.zone = zone;
            this.startNanos = startNanos;
        }
    }

    /** The zone breaker permit taken by the last {@link #nextPick()}, or null without zone breakers. */
    private ZoneCircuitBreakers.ZoneBreaker pickedZone;

    /**
     * The next endpoint: excludes what was tried and zones whose breaker refuses a probe, skips
     * endpoints at their concurrency cap, and falls back from tier exclusion to host exclusion
     * when no other tier can serve.
     *
     * @throws NoEndpointAvailableException when nothing is left
     */
    Pick nextPick() {
        Exclusions skipped = Exclusions.none();
        ZoneCircuitBreakers zones = client.zoneBreakers();
        while (true) {
            Pick pick = pickOnce(skipped);
            ZoneCircuitBreakers.ZoneBreaker zone = null;
            if (zones != null) {
                zone = zones.acquire(pick.endpoint().locality());
                if (zone == null) {
                    hosts = hosts.withZone(pick.endpoint().locality());
                    withTiers = withTiers.withZone(pick.endpoint().locality());
                    continue;
                }
            }
            if (pick.callsInFlight() >= client.policy().maxConcurrentCallsPerEndpoint()) {
                if (zone != null) {
                    zones.release(zone);
                }
                skipped = skipped.withEndpoint(pick.endpoint());
                continue;
            }
            pickedZone = zone;
            return pick;
        }
    }

    private Pick pickOnce(Exclusions skipped) {
        if (skipped.isEmpty() && withTiers.isEmpty()) {
            return client.balancer().pick();
        }
        Exclusions full = merge(withTiers, skipped);
        try {
            return client.balancer().pick(full);
        } catch (NoEndpointAvailableException e) {
            if (!full.hasTiers()) {
                throw e;
            }
            // No other tier can serve: retry within the tiers already tried, on other endpoints.
            return client.balancer().pick(merge(hosts, skipped));
        }
    }

    private static Exclusions merge(Exclusions base, Exclusions extra) {
        Exclusions merged = base;
        for (String id : extra.endpointIds()) {
            merged = merged.withEndpointId(id);
        }
        return merged;
    }

    /** @return the time the next attempt may take, or {@code null} when the deadline has passed */
    Duration attemptTimeout() {
        if (attempts == 0) {
            return firstTimeout;
        }
        long left = deadlineNanos - client.time().nanoTime();
        if (left <= 0) {
            return null;
        }
        Duration perTry = client.policy().perTryTimeout();
        return perTry != null && perTry.toNanos() < left ? perTry : Duration.ofNanos(left);
    }

    int attempts() {
        return attempts;
    }

    /** Starts an attempt on the last pick; the first attempt starts when the call did. */
    Token begin(Pick pick) {
        long start = attempts == 0 ? startNanos : client.time().nanoTime();
        attempts++;
        pick.callStarted();
        return new Token(pick, pickedZone, start);
    }

    /**
     * Reports an attempt's end to every health input and to metrics.
     *
     * @return the outcome, or {@code null} when the attempt was already reported (a late answer
     *     after its timeout)
     */
    Outcome finish(Token token, Object value, Throwable error) {
        if (!token.compareAndSet(false, true)) {
            return null;
        }
        long end = client.time().nanoTime();
        Outcome outcome = client.classify(value, error);
        token.pick.callFinished();
        client.report(token.pick, token.zone, outcome, end - token.startNanos);
        ended(token.pick, outcome, value, error, end - token.startNanos, end);
        return outcome;
    }

    /**
     * Takes over a first attempt that {@link ServiceClient} ran on its fast path and already
     * reported, so that the retry decisions continue from it.
     *
     * @return what {@link #decide} says next
     */
    long adoptFirstAttempt(Pick pick, Outcome outcome, Object value, Throwable error, long nanos, long end) {
        attempts = 1;
        ended(pick, outcome, value, error, nanos, end);
        return decide(outcome, pick);
    }

    private void ended(Pick pick, Outcome outcome, Object value, Throwable error, long nanos, long end) {
        lastEndNanos = end;
        result = value;
        lastError = error;
        if (outcome.kind() != Outcome.Kind.SUCCESS) {
            if (records == null) {
                records = new ArrayList<>(client.policy().maxAttempts());
            }
            records.add(new AttemptRecord(pick.endpoint().id(), pick.endpoint().address(),
                    pick.endpoint().locality(), pick.tier(), outcome, Duration.ofNanos(nanos)));
        }
    }

    /**
     * Decides what follows an attempt.
     *
     * @return {@link #DONE}, or the backoff in nanoseconds before the next attempt
     */
    long decide(Outcome outcome, Pick pick) {
        CallPolicy policy = client.policy();
        switch (outcome.kind()) {
            case SUCCESS:
                return succeed();
            case CALLER_ERROR:
                if (lastError == null) {
                    return succeed(); // an answer such as HTTP 404 is the caller's to handle
                }
                // The endpoint worked; the failure is the caller's: rethrown as it is when unchecked.
                client.recordServiceSuccess(lastEndNanos - startNanos);
                failure = lastError instanceof RuntimeException ? (RuntimeException) lastError
                        : exception(ServiceCallException.Reason.CALLER_ERROR, "the attempt failed with an error that"
                                + " says nothing about the endpoint (" + outcome.description() + ")");
                return DONE;
            default:
                break;
        }
        hosts = hosts.withEndpoint(pick.endpoint());
        withTiers = withTiers.withEndpoint(pick.endpoint());
        if (outcome.isEndpointFailure() && policy.attemptsPerTier() > 0 && pick.tier() < 64) {
            if (failuresPerTier == null) {
                failuresPerTier = new int[Math.max(8, pick.tier() + 1)];
            } else if (failuresPerTier.length <= pick.tier()) {
                failuresPerTier = java.util.Arrays.copyOf(failuresPerTier, pick.tier() + 1);
            }
            if (++failuresPerTier[pick.tier()] >= policy.attemptsPerTier()) {
                withTiers = withTiers.withTier(pick.tier());
            }
        }
        if (!outcome.retryable()) {
            return failWith(ServiceCallException.Reason.NOT_RETRYABLE, outcome.description()
                    + " is not retried by the classifier's rules");
        }
        if (!policy.retryOn().contains(outcome.kind())) {
            return failWith(ServiceCallException.Reason.NOT_RETRYABLE, outcome.kind() + " is not retried (retryOn="
                    + policy.retryOn() + ")");
        }
        if (!options.retryable(policy) && !outcome.requestNotSent()) {
            return failWith(ServiceCallException.Reason.NOT_RETRYABLE, "the call may not be repeated safely ("
                    + (options.method() == null ? "no method" : "method " + options.method())
                    + ", not declared idempotent) and the request may have reached the endpoint");
        }
        if (attempts >= policy.maxAttempts()) {
            return failWith(ServiceCallException.Reason.ATTEMPTS_EXHAUSTED, "all " + attempts + " attempts failed");
        }
        long backoff = backoffNanos(outcome);
        if (client.time().nanoTime() + backoff >= deadlineNanos) {
            return failWith(ServiceCallException.Reason.DEADLINE_EXCEEDED, "the next attempt could not start before"
                    + " the deadline of " + Duration.ofNanos(deadlineNanos - startNanos).toMillis() + " ms");
        }
        if (!client.retryBudget().tryRetry()) {
            client.metrics().retryBudgetExhausted(client.service());
            return failWith(ServiceCallException.Reason.RETRY_BUDGET_EXHAUSTED, "the retry budget is spent (at most "
                    + Percent.format(policy.retryBudgetPercent()) + " of requests plus "
                    + policy.retryBudgetMinRetriesPerSecond() + " per second)");
        }
        client.metrics().retry(client.service());
        return backoff;
    }

    /** Full jitter: uniform in [0, min(max, base × 2^(retry − 1))], and at least what an overloaded endpoint asked. */
    private long backoffNanos(Outcome outcome) {
        CallPolicy policy = client.policy();
        long base = policy.backoffBase().toNanos();
        long ceiling = Math.min(policy.backoffMax().toNanos(), base << Math.min(30, attempts - 1));
        long backoff = (long) (client.random().getAsDouble() * ceiling);
        if (outcome.retryAfter() != null) {
            backoff = Math.max(backoff, outcome.retryAfter().toNanos());
        }
        return backoff;
    }

    private long succeed() {
        client.recordServiceSuccess(lastEndNanos - startNanos);
        return DONE;
    }

    private long failWith(ServiceCallException.Reason reason, String detail) {
        failure = fail(reason, detail);
        return DONE;
    }

    /** Builds the call's failure and reports it to the service breaker. */
    ServiceCallException fail(ServiceCallException.Reason reason, String detail) {
        ServiceCallException e = exception(reason, detail);
        if (reason == ServiceCallException.Reason.INTERRUPTED) {
            client.releaseServicePermission();
        } else {
            client.recordServiceFailure(client.time().nanoTime() - startNanos, e);
        }
        return e;
    }

    private ServiceCallException exception(ServiceCallException.Reason reason, String detail) {
        return new ServiceCallException(client.service(), reason, detail, records == null ? List.of() : records,
                result, lastError);
    }

    ServiceCallException noEndpoint(NoEndpointAvailableException cause) {
        ServiceCallException e = new ServiceCallException(client.service(), ServiceCallException.Reason.NO_ENDPOINT,
                cause.getMessage(), records == null ? List.of() : records, result, cause);
        client.recordServiceFailure(client.time().nanoTime() - startNanos, e);
        return e;
    }

    ServiceCallException deadlineExceeded() {
        return fail(ServiceCallException.Reason.DEADLINE_EXCEEDED, "the deadline of "
                + Duration.ofNanos(deadlineNanos - startNanos).toMillis() + " ms passed after " + attempts
                + " attempt(s)");
    }

    /** @return the call's failure, or {@code null} when it succeeded */
    RuntimeException failure() {
        return failure;
    }

    /** @return the last attempt's answer */
    Object result() {
        return result;
    }
}
