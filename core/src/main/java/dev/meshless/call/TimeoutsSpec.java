package dev.meshless.call;

import dev.meshless.config.Spec;
import java.time.Duration;

/**
 * Deadline and per-try timeout, as configuration gives them: every setting nullable (not set). Part
 * of dev.meshless.policy.PolicySpec, which maps it onto CallPolicy.
 */
public class TimeoutsSpec implements Spec {

    /** How long a whole call may take, retries and backoff included. */
    private Duration deadline;

    /**
     * How long one attempt may take; at most the deadline. Not set: the time left before the
     * deadline.
     */
    private Duration perTry;

    /** Creates a specification that sets nothing. */
    public TimeoutsSpec() {
    }

    /** @return how long a whole call may take, retries and backoff included; {@code null} when not set */
    public Duration getDeadline() {
        return deadline;
    }

    /** @param deadline how long a whole call may take, retries and backoff included */
    public void setDeadline(Duration deadline) {
        this.deadline = deadline;
    }

    /** @return how long one attempt may take; at most the deadline; {@code null} when not set */
    public Duration getPerTry() {
        return perTry;
    }

    /** @param perTry how long one attempt may take; at most the deadline */
    public void setPerTry(Duration perTry) {
        this.perTry = perTry;
    }
}
