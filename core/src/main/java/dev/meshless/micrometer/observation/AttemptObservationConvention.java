package dev.meshless.micrometer.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and keys of {@link MeshlessObservationDocumentation#ATTEMPT attempt observations}.
 * Implement it, or extend {@link DefaultAttemptObservationConvention}, and give it to
 * {@link ObservationCallObserver} (in Spring Boot: declare it as a bean) to change them.
 */
public interface AttemptObservationConvention extends ObservationConvention<AttemptObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof AttemptObservationContext;
    }
}
