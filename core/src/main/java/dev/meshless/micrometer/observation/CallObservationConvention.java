package dev.meshless.micrometer.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and keys of {@link MeshlessObservationDocumentation#CALL call observations}. Implement it,
 * or extend {@link DefaultCallObservationConvention}, and give it to
 * {@link ObservationCallObserver} (in Spring Boot: declare it as a bean) to change them.
 */
public interface CallObservationConvention extends ObservationConvention<CallObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof CallObservationContext;
    }
}
