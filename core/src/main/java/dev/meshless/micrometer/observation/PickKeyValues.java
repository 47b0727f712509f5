package dev.meshless.micrometer.observation;

import dev.meshless.balancer.Pick;
import dev.meshless.micrometer.MeshlessTags;
import dev.meshless.micrometer.observation.MeshlessObservationDocumentation.HighCardinalityKeyNames;
import dev.meshless.micrometer.observation.MeshlessObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/** The key values both default conventions take from a pick, so that calls and attempts say them alike. */
final class PickKeyValues {

    /** The value of a key that has none yet: no attempt was made. */
    static final String NONE = "none";
    /** The outcome of an observation that has not ended. */
    static final String UNKNOWN = "unknown";

    private PickKeyValues() {
    }

    /**
     * @param pick where an attempt went, or {@code null} for none
     * @return {@code service}, {@code zone}, {@code region}, {@code tier} and {@code outcome}
     */
    static KeyValues lowCardinality(String service, Pick pick, String outcome) {
        return KeyValues.of(LowCardinalityKeyNames.SERVICE.withValue(service),
                LowCardinalityKeyNames.ZONE.withValue(pick == null ? NONE : pick.endpoint().locality().zone()),
                LowCardinalityKeyNames.REGION.withValue(pick == null ? NONE : pick.endpoint().locality().region()),
                LowCardinalityKeyNames.TIER.withValue(pick == null ? NONE : MeshlessTags.tier(pick.tier())),
                LowCardinalityKeyNames.OUTCOME.withValue(outcome));
    }

    /** @return the pick's endpoint id, {@code none} without a pick */
    static KeyValue endpoint(Pick pick) {
        return HighCardinalityKeyNames.ENDPOINT.withValue(pick == null ? NONE : pick.endpoint().id());
    }
}
