package dev.meshless.micrometer.observation;

import dev.meshless.micrometer.MeshlessTags;
import dev.meshless.micrometer.observation.MeshlessObservationDocumentation.HighCardinalityKeyNames;
import io.micrometer.common.KeyValues;

/**
 * Meshless's names and keys for an attempt: name {@value #NAME}, contextual (span) name
 * {@code attempt <service>}, the keys of {@link MeshlessObservationDocumentation#ATTEMPT}.
 * Extend it to change a part; thread-safe.
 */
public class DefaultAttemptObservationConvention implements AttemptObservationConvention {

    /** The observation's name, and so the name of the timer Micrometer makes of it. */
    public static final String NAME = "meshless.client.attempt";

    /** The convention as it is. */
    public static final DefaultAttemptObservationConvention INSTANCE = new DefaultAttemptObservationConvention();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(AttemptObservationContext context) {
        return "attempt " + context.service();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(AttemptObservationContext context) {
        return PickKeyValues.lowCardinality(context.service(), context.pick(), outcome(context));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(AttemptObservationContext context) {
        return KeyValues.of(PickKeyValues.endpoint(context.pick()),
                HighCardinalityKeyNames.ATTEMPT.withValue(Integer.toString(context.number())));
    }

    /**
     * @param context the attempt
     * @return {@code unknown} while it runs, then its outcome kind ({@link MeshlessTags#outcome})
     */
    protected String outcome(AttemptObservationContext context) {
        return context.outcome() == null ? PickKeyValues.UNKNOWN : MeshlessTags.outcome(context.outcome().kind());
    }
}
