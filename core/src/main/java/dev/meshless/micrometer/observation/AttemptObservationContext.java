package dev.meshless.micrometer.observation;

import dev.meshless.balancer.Pick;
import dev.meshless.outcome.Outcome;
import io.micrometer.observation.Observation;

/**
 * What an {@link MeshlessObservationDocumentation#ATTEMPT attempt observation} knows: the service,
 * where the attempt goes and its number from the start, its outcome at the end. What the attempt
 * threw, if anything, is the context's {@link #getError() error}.
 */
public class AttemptObservationContext extends Observation.Context {

    private final String service;
    private final Pick pick;
    private final int number;
    private Outcome outcome;

    /**
     * @param service the service called
     * @param pick where the attempt goes, and from which tier
     * @param number the attempt's number, 1 for the first
     */
    public AttemptObservationContext(String service, Pick pick, int number) {
        this.service = service;
        this.pick = pick;
        this.number = number;
    }

    /** @return the service called */
    public String service() {
        return service;
    }

    /** @return where the attempt goes, and from which tier */
    public Pick pick() {
        return pick;
    }

    /** @return the attempt's number, 1 for the first */
    public int number() {
        return number;
    }

    /** @return how the attempt ended, or {@code null} while it runs */
    public Outcome outcome() {
        return outcome;
    }

    void outcome(Outcome ended) {
        this.outcome = ended;
    }
}
