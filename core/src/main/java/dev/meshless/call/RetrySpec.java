package dev.meshless.call;

import dev.meshless.config.Percent;
import dev.meshless.config.Spec;
import java.time.Duration;
import java.util.List;

/**
 * Retries across endpoints and localities, as configuration gives them: every setting nullable (not
 * set). Part of dev.meshless.policy.PolicySpec, which maps it onto CallPolicy.
 */
public class RetrySpec implements Spec {

    /** Attempts per call, the first included; 1 to 10. */
    private Integer maxAttempts;

    /**
     * Failed attempts in one tier before retries move to the next tier; 0 keeps retrying a tier
     * while it has untried endpoints.
     */
    private Integer attemptsPerTier;

    /** Retries may add at most this share of requests over the budget window; 0% to 1000%. */
    private Percent budgetRatio;

    /** Retries per second always allowed, whatever the ratio. */
    private Integer budgetMinRetriesPerSecond;

    /** The retry budget's window; at least 1s. */
    private Duration budgetTtl;

    /** Ceiling of the first retry's random backoff; each further retry doubles it. */
    private Duration backoffBase;

    /** Largest backoff ceiling; at least the backoff base. */
    private Duration backoffMax;

    /** HTTP methods retried without the call being declared idempotent. */
    private List<String> retryableMethods;

    /**
     * HTTP failure statuses (429 and 5xx) that are retried; a failure with another status still
     * counts against the endpoint but is returned at once.
     */
    private List<Integer> retryableStatuses;

    /** Creates a specification that sets nothing. */
    public RetrySpec() {
    }

    /** @return attempts per call, the first included; 1 to 10; {@code null} when not set */
    public Integer getMaxAttempts() {
        return maxAttempts;
    }

    /** @param maxAttempts attempts per call, the first included; 1 to 10 */
    public void setMaxAttempts(Integer maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    /** @return failed attempts in one tier before retries move to the next tier; 0 keeps retrying a tier while it has untried endpoints; {@code null} when not set */
    public Integer getAttemptsPerTier() {
        return attemptsPerTier;
    }

    /** @param attemptsPerTier failed attempts in one tier before retries move to the next tier; 0 keeps retrying a tier while it has untried endpoints */
    public void setAttemptsPerTier(Integer attemptsPerTier) {
        this.attemptsPerTier = attemptsPerTier;
    }

    /** @return retries may add at most this share of requests over the budget window; 0% to 1000%; {@code null} when not set */
    public Percent getBudgetRatio() {
        return budgetRatio;
    }

    /** @param budgetRatio retries may add at most this share of requests over the budget window; 0% to 1000% */
    public void setBudgetRatio(Percent budgetRatio) {
        this.budgetRatio = budgetRatio;
    }

    /** @return retries per second always allowed, whatever the ratio; {@code null} when not set */
    public Integer getBudgetMinRetriesPerSecond() {
        return budgetMinRetriesPerSecond;
    }

    /** @param budgetMinRetriesPerSecond retries per second always allowed, whatever the ratio */
    public void setBudgetMinRetriesPerSecond(Integer budgetMinRetriesPerSecond) {
        this.budgetMinRetriesPerSecond = budgetMinRetriesPerSecond;
    }

    /** @return the retry budget's window; at least 1s; {@code null} when not set */
    public Duration getBudgetTtl() {
        return budgetTtl;
    }

    /** @param budgetTtl the retry budget's window; at least 1s */
    public void setBudgetTtl(Duration budgetTtl) {
        this.budgetTtl = budgetTtl;
    }

    /** @return ceiling of the first retry's random backoff; each further retry doubles it; {@code null} when not set */
    public Duration getBackoffBase() {
        return backoffBase;
    }

    /** @param backoffBase ceiling of the first retry's random backoff; each further retry doubles it */
    public void setBackoffBase(Duration backoffBase) {
        this.backoffBase = backoffBase;
    }

    /** @return largest backoff ceiling; at least the backoff base; {@code null} when not set */
    public Duration getBackoffMax() {
        return backoffMax;
    }

    /** @param backoffMax largest backoff ceiling; at least the backoff base */
    public void setBackoffMax(Duration backoffMax) {
        this.backoffMax = backoffMax;
    }

    /** @return hTTP methods retried without the call being declared idempotent; {@code null} when not set */
    public List<String> getRetryableMethods() {
        return retryableMethods;
    }

    /** @param retryableMethods hTTP methods retried without the call being declared idempotent */
    public void setRetryableMethods(List<String> retryableMethods) {
        this.retryableMethods = retryableMethods;
    }

    /** @return hTTP failure statuses (429 and 5xx) that are retried; a failure with another status still counts against the endpoint but is returned at once; {@code null} when not set */
    public List<Integer> getRetryableStatuses() {
        return retryableStatuses;
    }

    /** @param retryableStatuses hTTP failure statuses (429 and 5xx) that are retried; a failure with another status still counts against the endpoint but is returned at once */
    public void setRetryableStatuses(List<Integer> retryableStatuses) {
        this.retryableStatuses = retryableStatuses;
    }
}
