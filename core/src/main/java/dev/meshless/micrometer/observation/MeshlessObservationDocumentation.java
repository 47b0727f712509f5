package dev.meshless.micrometer.observation;

import dev.meshless.micrometer.MeshlessTags;
import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations Meshless makes of its call path, with their names and keys: one per call and
 * one per attempt, the attempts children of their call, so that a trace shows retries and
 * failovers as child spans. Key values follow {@link MeshlessTags}, like the meters'.
 */
public enum MeshlessObservationDocumentation implements ObservationDocumentation {

    /**
     * One call of {@code ServiceClient.call} or {@code callAsync}, from before its admission to its
     * answer or failure. Its zone, region, tier and endpoint are those of its last attempt
     * ({@code none} when it made none); its outcome is the last attempt's when it was answered
     * ({@code success} or {@code caller_error}), else why it failed: a
     * {@code ServiceCallException} reason in lower case ({@code attempts_exhausted},
     * {@code no_endpoint}, {@code circuit_open}, {@code deadline_exceeded},
     * {@code retry_budget_exhausted}, {@code not_retryable}, {@code caller_error},
     * {@code interrupted}), {@code rate_limited} or {@code error}.
     */
    CALL(DefaultCallObservationConvention.NAME, DefaultCallObservationConvention.class,
            HighCardinalityKeyNames.ENDPOINT, HighCardinalityKeyNames.ATTEMPTS),

    /**
     * One attempt of a call, from its admission (endpoint picked, zone breaker permit taken) to its
     * classified outcome; a child of its call's observation, whichever thread it runs on, and the
     * current observation while the attempt's function runs. Its outcome is the attempt's outcome
     * kind ({@link MeshlessTags#outcome}).
     */
    ATTEMPT(DefaultAttemptObservationConvention.NAME, DefaultAttemptObservationConvention.class,
            HighCardinalityKeyNames.ENDPOINT, HighCardinalityKeyNames.ATTEMPT);

    private final String name;
    private final Class<? extends ObservationConvention<? extends Observation.Context>> convention;
    private final KeyName[] highCardinality;

    MeshlessObservationDocumentation(String name,
                                     Class<? extends ObservationConvention<? extends Observation.Context>> convention,
                                     KeyName... highCardinality) {
        this.name = name;
        this.convention = convention;
        this.highCardinality = highCardinality;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
        return convention;
    }

    @Override
    public KeyName[] getLowCardinalityKeyNames() {
        return LowCardinalityKeyNames.values();
    }

    @Override
    public KeyName[] getHighCardinalityKeyNames() {
        return highCardinality.clone();
    }

    /** Keys on every meter made from these observations, and on their spans. */
    public enum LowCardinalityKeyNames implements KeyName {
        /** The service called. */
        SERVICE(MeshlessTags.SERVICE),
        /** The endpoint's zone, {@code none} before any attempt. */
        ZONE(MeshlessTags.ZONE),
        /** The endpoint's region, {@code none} before any attempt. */
        REGION(MeshlessTags.REGION),
        /** The endpoint's tier number ({@link MeshlessTags#tier}), {@code none} before any attempt. */
        TIER(MeshlessTags.TIER),
        /** How it ended; {@code unknown} until it has. */
        OUTCOME(MeshlessTags.OUTCOME);

        private final String key;

        LowCardinalityKeyNames(String key) {
            this.key = key;
        }

        @Override
        public String asString() {
            return key;
        }
    }

    /** Keys on spans only. */
    public enum HighCardinalityKeyNames implements KeyName {
        /** The endpoint's id ({@code none} before any attempt). */
        ENDPOINT(MeshlessTags.ENDPOINT),
        /** An attempt's number, 1 for the first. */
        ATTEMPT("attempt"),
        /** The attempts a call made. */
        ATTEMPTS("attempts");

        private final String key;

        HighCardinalityKeyNames(String key) {
            this.key = key;
        }

        @Override
        public String asString() {
            return key;
        }
    }
}
