package dev.meshless.call;

import dev.meshless.outcome.Outcome;
import dev.meshless.topology.Locality;
import java.time.Duration;

/**
 * One attempt of a failed call, as reported by {@link ServiceCallException#attempts()}.
 *
 * @param endpointId the endpoint's id
 * @param address {@code host:port}
 * @param locality where the endpoint runs
 * @param tier its tier relative to the caller
 * @param outcome how the attempt ended
 * @param duration how long it took
 */
public record AttemptRecord(String endpointId, String address, Locality locality, int tier, Outcome outcome,
                            Duration duration) {

    @Override
    public String toString() {
        return endpointId + "@" + address + " (" + locality + ", tier " + tier + "): " + outcome + " in "
                + duration.toMillis() + " ms";
    }
}
