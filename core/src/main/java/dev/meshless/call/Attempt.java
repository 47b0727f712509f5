package dev.meshless.call;

import dev.meshless.balancer.Pick;
import dev.meshless.topology.Endpoint;
import java.time.Duration;

/**
 * One attempt of a call, handed to the caller's function: where to send it and how long it may
 * take. The function should apply {@link #timeout()} to its client (for example
 * {@code HttpRequest.Builder.timeout}); synchronous functions cannot be interrupted from outside.
 */
public final class Attempt {

    private final Pick pick;
    private final int number;
    private final Duration timeout;

    Attempt(Pick pick, int number, Duration timeout) {
        this.pick = pick;
        this.number = number;
        this.timeout = timeout;
    }

    /** @return the endpoint to call */
    public Endpoint endpoint() {
        return pick.endpoint();
    }

    /** @return the attempt number, 1 for the first */
    public int number() {
        return number;
    }

    /** @return how long this attempt may take: the per-try timeout or what is left of the deadline */
    public Duration timeout() {
        return timeout;
    }

    /** @return the tier of the endpoint: 0 same zone, 1 same region, 2.. other regions */
    public int tier() {
        return pick.tier();
    }

    @Override
    public String toString() {
        return "attempt " + number + " to " + pick + " within " + timeout.toMillis() + " ms";
    }
}
