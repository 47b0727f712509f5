package dev.meshless.micrometer.observation;

import dev.meshless.call.ServiceCallException;
import dev.meshless.micrometer.MeshlessTags;
import dev.meshless.micrometer.observation.MeshlessObservationDocumentation.HighCardinalityKeyNames;
import dev.meshless.outcome.Outcome;
import dev.meshless.ratelimit.RateLimitedException;
import io.micrometer.common.KeyValues;
import java.util.Locale;

/**
 * Meshless's names and keys for a call: name {@value #NAME}, contextual (span) name
 * {@code call <service>}, the keys of {@link MeshlessObservationDocumentation#CALL}. Extend it to
 * change a part; thread-safe.
 */
public class DefaultCallObservationConvention implements CallObservationConvention {

    /** The observation's name, and so the name of the timer Micrometer makes of it. */
    public static final String NAME = "meshless.client.call";

    /** The convention as it is. */
    public static final DefaultCallObservationConvention INSTANCE = new DefaultCallObservationConvention();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(CallObservationContext context) {
        return "call " + context.service();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(CallObservationContext context) {
        return PickKeyValues.lowCardinality(context.service(), context.lastPick(), outcome(context));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(CallObservationContext context) {
        return KeyValues.of(PickKeyValues.endpoint(context.lastPick()),
                HighCardinalityKeyNames.ATTEMPTS.withValue(Integer.toString(context.attempts())));
    }

    /**
     * @param context the call
     * @return {@code unknown} while it runs; the last attempt's outcome when it was answered;
     *     else why it failed: the reason of a {@link ServiceCallException} in lower case,
     *     {@code rate_limited}, {@code caller_error} for the caller's own exception rethrown, or
     *     {@code error}
     */
    protected String outcome(CallObservationContext context) {
        Throwable failure = context.getError();
        Outcome last = context.lastOutcome();
        if (failure == null) {
            return last == null ? PickKeyValues.UNKNOWN : MeshlessTags.outcome(last.kind());
        }
        if (failure instanceof ServiceCallException e) {
            return e.reason().name().toLowerCase(Locale.ROOT);
        }
        if (failure instanceof RateLimitedException) {
            return "rate_limited";
        }
        boolean callers = failure instanceof RuntimeException && last != null
                && last.kind() == Outcome.Kind.CALLER_ERROR;
        return callers ? MeshlessTags.outcome(Outcome.Kind.CALLER_ERROR) : "error";
    }
}
