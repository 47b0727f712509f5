package dev.meshless.call;

import dev.meshless.balancer.Exclusions;
import dev.meshless.balancer.LocalityLoadBalancer;
import dev.meshless.balancer.NoEndpointAvailableException;
import dev.meshless.balancer.Pick;
import dev.meshless.outcome.Outcome;
import dev.meshless.topology.Locality;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a call keeps once it needs more than its first attempt: what to exclude from the next pick,
 * how many attempts were made and how they ended, and how the call ends. Shared by the synchronous
 * and asynchronous drivers of {@link ServiceClient}; each runs every attempt through the same steps
 * (see {@link ServiceClient}'s pipeline), and the synchronous one makes this object only when an
 * attempt is refused or does not answer, so that a call answered at once allocates nothing.
 *
 * <p>It holds the {@link CallSettings} snapshot the call was admitted with, and settles the service
 * breaker's permission when it decides the call's end (a failure, or a success after a failed
 * attempt). Attempts run one after another, so the fields need no locking: the synchronous driver
 * runs the whole call on its thread; the asynchronous driver hands the execution from thread to
 * thread through completion stages and timers, which order the accesses, and an attempt's answer
 * racing its timeout is settled on its {@link AttemptToken} before either touches this object.
 */
final class Execution {

    /** {@link #afterFailure} result: the call is over, see {@link #failure}. */
    static final long DONE = -1;

    // Why a pick was or was not attempted. Plain ints rather than an enum: the JIT does not inline a
    // method whose signature names a class not loaded yet, and a call path that is never refused
    // would never load the enum, leaving the check a real call on every attempt.
    /** The attempt may start. */
    static final int ADMITTED = 0;
    /** The endpoint has {@code maxConcurrentCallsPerEndpoint} calls in flight: skip it for this attempt. */
    static final int AT_CAP = 1;
    /** The zone's breaker gave no permit: leave the zone out for the rest of the call. */
    static final int ZONE_BREAKER = 2;
    /**
     * The zone's half-open breaker has no probe permit left: leave the zone out for the rest of the
     * call, as {@link #ZONE_BREAKER}, but not its region, since nothing failed.
     */
    static final int ZONE_HALF_OPEN = 3;

    private final ServiceClient client;
    private final CallSettings settings;
    private final CallOptions options;
    private final long startNanos;
    private final long deadlineNanos;
    /** Endpoints tried and zones whose breaker refused: never again in this call while anything else remains. */
    private Exclusions hosts = Exclusions.none();
    /** Zones of failed attempts, and regions after a connect or zone-level failure: avoided while others can serve. */
    private Exclusions zones = Exclusions.none();
    private Exclusions regions = Exclusions.none();
    /**
     * Tiers left after {@code attemptsPerTier} failures (Envoy's previous priorities): the caller's
     * zone and region by number, other regions by name.
     */
    private Exclusions tiers = Exclusions.none();
    /** Endpoints at their cap, skipped for the attempt being picked. */
    private Exclusions skipped = Exclusions.none();
    private int attempts;
    /** Failures per tier number, zone and region name, when {@code attemptsPerTier} is above 1. */
    private Map<Object, Integer> failures;
    private List<AttemptRecord> records;
    private Object result;
    private Throwable lastError;
    private RuntimeException failure;

    /**
     * @param client the client making the call
     * @param settings the snapshot the call was admitted with
     * @param options what the call says about itself
     * @param startNanos when the call was admitted
     * @param attempts attempts the call has already begun without this object (0 or 1)
     */
    Execution(ServiceClient client, CallSettings settings, CallOptions options, long startNanos, int attempts) {
        this.client = client;
        this.settings = settings;
        this.options = options;
        this.startNanos = startNanos;
        this.deadlineNanos = startNanos + settings.deadline(options.deadline()).toNanos();
        this.attempts = attempts;
    }

    /**
     * @return whether the attempt answered: a success, or an answer (such as HTTP 404) that is the
     *     caller's to handle. Such an attempt ends the call with its answer.
     */
    static boolean answered(Outcome outcome, Throwable error) {
        return outcome.kind() == Outcome.Kind.SUCCESS || (outcome.kind() == Outcome.Kind.CALLER_ERROR && error == null);
    }

    CallSettings settings() {
        return settings;
    }

    long startNanos() {
        return startNanos;
    }

    /**
     * @return the next attempt's timeout: the first attempt's, or what is left of the deadline
     *     capped by the per-try timeout
     * @throws ServiceCallException when the deadline has passed (the call is over)
     */
    Duration nextTimeout() {
        if (attempts == 0) {
            return settings.firstTimeout(options.deadline());
        }
        long left = deadlineNanos - client.nowNanos();
        if (left <= 0) {
            throw fail(ServiceCallException.Reason.DEADLINE_EXCEEDED, "the deadline of "
                    + Duration.ofNanos(deadlineNanos - startNanos).toMillis() + " ms passed after " + attempts
                    + " attempt(s)");
        }
        return settings.laterTimeout(left);
    }

    /**
     * @return the next endpoint: not tried, not skipped, not in a zone that refused; away from the
     *     zones and regions that failed and from tiers after {@code attemptsPerTier} failures,
     *     giving those back one by one (regions, then tiers, then zones) when nothing else can
     *     serve; never an endpoint only being probed while known-good capacity is left for the
     *     call, and one when none is
     * @throws ServiceCallException when nothing is left (the call is over)
     */
    Pick nextPick() {
        try {
            return pick();
        } catch (NoEndpointAvailableException e) {
            throw noEndpoint(e);
        }
    }

    /** As {@link #nextPick()}, for a caller that handles an empty pick itself. */
    Pick pick() {
        LocalityLoadBalancer balancer = client.balancer();
        Exclusions must = hosts.with(skipped);
        if (must.isEmpty() && zones.isEmpty() && tiers.isEmpty()) {
            // A first attempt: a probe may take it, unless the call could not be repeated after it.
            return settings.mayProbe(options) ? balancer.pick() : balancer.pickKnownGood();
        }
        Exclusions avoidZones = must.with(zones);
        Exclusions[] tries = {avoidZones.with(regions).with(tiers), avoidZones.with(tiers), avoidZones, must};
        try {
            return pickAlong(tries, balancer::pick);
        } catch (NoEndpointAvailableException none) {
            // No known-good endpoint is left for this call: one only being probed is better than none.
            try {
                return pickAlong(tries, balancer::pickProbing);
            } catch (NoEndpointAvailableException alsoNone) {
                throw none; // the known-good path's reason says more
            }
        }
    }

    /** @return the first pick along exclusions that loosen one by one; the last refusal when none */
    private static Pick pickAlong(Exclusions[] tries, java.util.function.Function<Exclusions, Pick> picker) {
        NoEndpointAvailableException last = null;
        Exclusions tried = null;
        for (Exclusions exclusions : tries) {
            if (exclusions.equals(tried)) {
                continue;
            }
            tried = exclusions;
            try {
                return picker.apply(exclusions);
            } catch (NoEndpointAvailableException e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * Leaves a refused pick out of the next one: the endpoint for this attempt, or its zone for the
     * call (and its region while other regions can serve: a zone-level failure). A refusal by a
     * half-open breaker is the breaker rationing its probe permits, not a failure: its region is
     * not avoided.
     *
     * @param refusal {@link #AT_CAP}, {@link #ZONE_BREAKER} or {@link #ZONE_HALF_OPEN}
     */
    void refused(Pick pick, int refusal) {
        if (refusal == AT_CAP) {
            skipped = skipped.withEndpoint(pick.endpoint());
        } else {
            hosts = hosts.withZone(pick.endpoint().locality());
            if (refusal == ZONE_BREAKER) {
                regions = regions.withRegion(pick.endpoint().locality().region());
            }
        }
    }

    /** @return the number of the attempt that starts now, 1 for the first */
    int began() {
        skipped = Exclusions.none();
        return ++attempts;
    }

    /**
     * Decides what follows an attempt that did not {@linkplain #answered answer}: keeps it for the
     * call's failure, excludes its endpoint (and, after {@code attemptsPerTier} endpoint failures,
     * its tier) from the next pick, and retries only what is safe and retryable, within the
     * attempts, the deadline and the retry budget.
     *
     * @param attemptNanos how long the attempt took
     * @return {@link #DONE}, or the backoff in nanoseconds before the next attempt
     */
    long afterFailure(Pick pick, Outcome outcome, Object value, Throwable error, long attemptNanos, long endNanos) {
        result = value;
        lastError = error;
        if (records == null) {
            records = new ArrayList<>(settings.maxAttempts);
        }
        records.add(new AttemptRecord(pick.endpoint().id(), pick.endpoint().address(), pick.endpoint().locality(),
                pick.tier(), outcome, Duration.ofNanos(attemptNanos)));
        if (outcome.kind() == Outcome.Kind.CALLER_ERROR) {
            // The endpoint worked; the failure is the caller's: rethrown as it is when unchecked.
            client.feedback.callSucceeded(endNanos - startNanos);
            failure = error instanceof RuntimeException ? (RuntimeException) error
                    : exception(ServiceCallException.Reason.CALLER_ERROR, "the attempt failed with an error that"
                            + " says nothing about the endpoint (" + outcome.description() + ")");
            return DONE;
        }
        exclude(pick, outcome);
        if (!outcome.retryable()) {
            return failWith(ServiceCallException.Reason.NOT_RETRYABLE, outcome.description()
                    + " is not retried by the classifier's rules");
        }
        if (outcome.httpStatus() != 0 && !settings.retryableStatuses.contains(outcome.httpStatus())) {
            return failWith(ServiceCallException.Reason.NOT_RETRYABLE, outcome.description()
                    + " is not retried (retryableStatuses=" + settings.retryableStatuses + ")");
        }
        if (!settings.retryOn.contains(outcome.kind())) {
            return failWith(ServiceCallException.Reason.NOT_RETRYABLE, outcome.kind() + " is not retried (retryOn="
                    + settings.retryOn + ")");
        }
        if (!settings.mayRepeat(options) && !outcome.requestNotSent()) {
            return failWith(ServiceCallException.Reason.NOT_RETRYABLE, "the call may not be repeated safely ("
                    + (options.method() == null ? "no method" : "method " + options.method())
                    + ", not declared idempotent) and the request may have reached the endpoint");
        }
        if (attempts >= settings.maxAttempts) {
            return failWith(ServiceCallException.Reason.ATTEMPTS_EXHAUSTED, "all " + attempts + " attempts failed");
        }
        long backoff = backoffNanos(outcome);
        if (client.nowNanos() + backoff >= deadlineNanos) {
            return failWith(ServiceCallException.Reason.DEADLINE_EXCEEDED, "the next attempt could not start before"
                    + " the deadline of " + Duration.ofNanos(deadlineNanos - startNanos).toMillis() + " ms");
        }
        if (!settings.budget.tryRetry()) {
            client.feedback.retry(false, false);
            return failWith(ServiceCallException.Reason.RETRY_BUDGET_EXHAUSTED, "the retry budget is spent ("
                    + settings.budgetRule() + ")");
        }
        client.feedback.retry(true, attempts == 1);
        return backoff;
    }

    /**
     * Teaches the rest of the call what a failed attempt showed: its endpoint is not tried again
     * (Envoy's previous hosts); after {@code attemptsPerTier} endpoint failures in one tier, one zone
     * or — counting connect failures only, which say the place rather than the request is broken —
     * one region, that tier, zone or region is avoided too (previous priorities, at locality
     * granularity).
     *
     * @param outcome how the attempt ended, or {@code null} when unknown (only the endpoint is left out)
     */
    void exclude(Pick pick, Outcome outcome) {
        hosts = hosts.withEndpoint(pick.endpoint());
        if (outcome == null || !outcome.isEndpointFailure() || settings.attemptsPerTier == 0) {
            return;
        }
        Locality where = pick.endpoint().locality();
        if (failed(where.withoutSubZone())) {
            zones = zones.withZone(where);
        }
        if (outcome.requestNotSent() && failed(where.region())) {
            regions = regions.withRegion(where.region());
        }
        if (pick.tier() < 2 && failed(pick.tier())) {
            tiers = tiers.withTier(pick.tier());
        } else if (pick.tier() >= 2 && failed(where.region() + "#tier")) {
            // Another region's tier is known by its region: its number changes when the regions'
            // proximity order does, which may happen between two attempts.
            tiers = tiers.withRegion(where.region());
        }
    }

    /** Counts one more failure in a tier, zone or region; @return whether it reached {@code attemptsPerTier}. */
    private boolean failed(Object place) {
        if (settings.attemptsPerTier == 1) {
            return true;
        }
        if (failures == null) {
            failures = new HashMap<>();
        }
        return failures.merge(place, 1, Integer::sum) >= settings.attemptsPerTier;
    }

    /** Full jitter: uniform in [0, min(max, base × 2^(retry − 1))], and at least what an overloaded endpoint asked. */
    private long backoffNanos(Outcome outcome) {
        long ceiling = Math.min(settings.backoffMaxNanos, settings.backoffBaseNanos << Math.min(30, attempts - 1));
        long backoff = (long) (client.random().getAsDouble() * ceiling);
        if (outcome.retryAfter() != null) {
            backoff = Math.max(backoff, outcome.retryAfter().toNanos());
        }
        return backoff;
    }

    /** @return the call's failure, once {@link #afterFailure} said {@link #DONE} */
    RuntimeException failure() {
        return failure;
    }

    private long failWith(ServiceCallException.Reason reason, String detail) {
        failure = fail(reason, detail);
        return DONE;
    }

    /**
     * Builds the call's failure and settles the service breaker's permission with it: a failure,
     * or given back for an interrupt, which says nothing about the service.
     */
    ServiceCallException fail(ServiceCallException.Reason reason, String detail) {
        return settle(exception(reason, detail));
    }

    /** As {@link #fail}, for a pick that found nothing; the balancer's exception is the cause. */
    ServiceCallException noEndpoint(NoEndpointAvailableException cause) {
        return settle(new ServiceCallException(client.service(), ServiceCallException.Reason.NO_ENDPOINT,
                cause.getMessage(), records == null ? List.of() : records, result, cause));
    }

    private ServiceCallException settle(ServiceCallException e) {
        if (e.reason() == ServiceCallException.Reason.INTERRUPTED) {
            client.feedback.callAbandoned();
        } else {
            client.feedback.callFailed(client.nowNanos() - startNanos, e);
        }
        return e;
    }

    private ServiceCallException exception(ServiceCallException.Reason reason, String detail) {
        return new ServiceCallException(client.service(), reason, detail, records == null ? List.of() : records,
                result, lastError);
    }
}
