package dev.meshless.call;

import dev.meshless.config.Percent;
import dev.meshless.outcome.Outcome;
import dev.meshless.time.TimeSource;
import java.time.Duration;
import java.util.Set;

/**
 * Everything a call of one service follows, as one immutable snapshot: attempts, deadline and
 * timeouts, backoff, what is retried, the concurrency cap and the retry budget.
 * {@link ServiceClient} publishes it through one volatile field; a call reads that field once, when
 * it is admitted, and keeps the snapshot to its end, so a reload in the middle of a call can never
 * give it a new timeout with an old policy, or a new budget with old attempts.
 *
 * <p>This is the only place the call path reads {@link CallPolicy}: a change to the configuration
 * model is followed here, in {@link #of}. Thread-safe (immutable; the budget it holds is
 * thread-safe).
 */
final class CallSettings {

    /** The policy these settings come from, for {@link ServiceClient#policy()}. */
    final CallPolicy policy;
    final int maxAttempts;
    /** The whole call's limit unless the call gives its own. */
    final Duration deadline;
    /** One attempt's limit, or {@code null} for none beyond the deadline. */
    final Duration perTryTimeout;
    /** The first attempt's timeout under {@link #deadline}, computed once per snapshot. */
    final Duration firstTimeout;
    final long backoffBaseNanos;
    final long backoffMaxNanos;
    final Set<String> retryableMethods;
    final Set<Outcome.Kind> retryOn;
    /** HTTP failure statuses that may be retried; an outcome from another status is not. */
    final Set<Integer> retryableStatuses;
    final int attemptsPerTier;
    final int maxConcurrentCallsPerEndpoint;
    /** Shared with the previous snapshot while the budget's own settings stay the same. */
    final RetryBudget budget;
    private final double budgetPercent;
    private final int budgetMinRetriesPerSecond;
    private final Duration budgetTtl;

    private CallSettings(CallPolicy policy, CallSettings previous, TimeSource time) {
        this.policy = policy;
        this.maxAttempts = policy.maxAttempts();
        this.deadline = policy.deadline();
        this.perTryTimeout = policy.perTryTimeout();
        this.firstTimeout = firstTimeout(deadline, perTryTimeout);
        this.backoffBaseNanos = policy.backoffBase().toNanos();
        this.backoffMaxNanos = policy.backoffMax().toNanos();
        this.retryableMethods = policy.retryableMethods();
        this.retryOn = policy.retryOn();
        this.retryableStatuses = policy.retryableStatuses();
        this.attemptsPerTier = policy.attemptsPerTier();
        this.maxConcurrentCallsPerEndpoint = policy.maxConcurrentCallsPerEndpoint();
        this.budgetPercent = policy.retryBudgetPercent();
        this.budgetMinRetriesPerSecond = policy.retryBudgetMinRetriesPerSecond();
        this.budgetTtl = policy.retryBudgetTtl();
        // A reload that leaves the budget's settings alone keeps its window: retries already
        // taken still count, so a reload cannot be used to reset it.
        this.budget = previous != null && previous.budgetPercent == budgetPercent
                && previous.budgetMinRetriesPerSecond == budgetMinRetriesPerSecond
                && previous.budgetTtl.equals(budgetTtl)
                ? previous.budget : new RetryBudget(budgetPercent, budgetMinRetriesPerSecond, budgetTtl, time);
    }

    /**
     * @param policy the policy to follow
     * @param previous the snapshot it replaces, whose retry budget is kept when the budget's
     *     settings did not change; {@code null} for the first
     * @param time the time source of a new retry budget
     * @return the snapshot
     */
    static CallSettings of(CallPolicy policy, CallSettings previous, TimeSource time) {
        return new CallSettings(policy, previous, time);
    }

    /** @return the smaller of the per-try timeout and the deadline, without allocating */
    private static Duration firstTimeout(Duration deadline, Duration perTry) {
        return perTry != null && perTry.compareTo(deadline) < 0 ? perTry : deadline;
    }

    /**
     * @param callDeadline the call's own deadline, or {@code null}
     * @return the deadline the call runs under
     */
    Duration deadline(Duration callDeadline) {
        return callDeadline != null ? callDeadline : deadline;
    }

    /**
     * @param callDeadline the call's own deadline, or {@code null}
     * @return the first attempt's timeout; allocates nothing
     */
    Duration firstTimeout(Duration callDeadline) {
        return callDeadline == null ? firstTimeout : firstTimeout(callDeadline, perTryTimeout);
    }

    /**
     * @param leftNanos what is left of the call's deadline, positive
     * @return a later attempt's timeout: the per-try timeout or what is left, whichever is smaller
     */
    Duration laterTimeout(long leftNanos) {
        return perTryTimeout != null && perTryTimeout.toNanos() < leftNanos ? perTryTimeout : Duration.ofNanos(leftNanos);
    }

    /**
     * @param options what the call says about itself
     * @return whether it may be repeated after the request may have reached the endpoint
     */
    boolean mayRepeat(CallOptions options) {
        return options.isIdempotent() || (options.method() != null && retryableMethods.contains(options.method()));
    }

    /**
     * Whether a call's first attempt may be a probe: only when a later attempt could follow it,
     * whatever the first one meets. A call that is not repeatable is retried only after failures
     * that never sent it, so a probe that answers badly would be its only attempt.
     *
     * @param options what the call says about itself
     * @return whether its first attempt may go to an endpoint or zone only being probed
     */
    boolean mayProbe(CallOptions options) {
        return maxAttempts > 1 && mayRepeat(options);
    }

    /** @return the budget's rule, for the failure that says it is spent */
    String budgetRule() {
        return "at most " + Percent.format(budgetPercent) + " of requests plus " + budgetMinRetriesPerSecond + " per second";
    }
}
