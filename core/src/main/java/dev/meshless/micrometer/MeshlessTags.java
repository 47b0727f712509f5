package dev.meshless.micrometer;

import dev.meshless.outcome.Outcome;
import java.util.Locale;

/**
 * The one vocabulary of Meshless's meters and observations: the tag (key) names they share and
 * how a value is written, so that {@code tier="1"} or {@code outcome="endpoint_failure"} means the
 * same on every meter, every observation and every trace.
 *
 * <ul>
 *   <li>{@value #TIER}: the balancer's tier number relative to the caller — {@code 0} the caller's
 *       zone, {@code 1} the other zones of its region, {@code 2}, {@code 3} … other regions in the
 *       configured region order, then every unlisted region together. When the caller's locality
 *       is unknown every endpoint is in tier {@code 0}.</li>
 *   <li>{@value #OUTCOME}: an attempt's {@link Outcome.Kind} in lower case ({@code success},
 *       {@code endpoint_failure}, {@code gateway_failure}, {@code overloaded}, {@code caller_error}).</li>
 *   <li>{@value #ZONE}, {@value #REGION}: an endpoint's zone and region, as the registry names them.</li>
 * </ul>
 * Thread-safe (constants and pure functions).
 */
public final class MeshlessTags {

    /** The service called. */
    public static final String SERVICE = "service";
    /** The tier number, see {@link #tier(int)}. */
    public static final String TIER = "tier";
    /** An endpoint's zone. */
    public static final String ZONE = "zone";
    /** An endpoint's region. */
    public static final String REGION = "region";
    /** How an attempt (or a call) ended. */
    public static final String OUTCOME = "outcome";
    /** An endpoint's id; high cardinality: on observations (span attributes) only, never on a meter. */
    public static final String ENDPOINT = "endpoint";

    private static final String[] TIERS = new String[16];
    private static final String[] OUTCOMES = new String[Outcome.Kind.values().length];

    static {
        for (int i = 0; i < TIERS.length; i++) {
            TIERS[i] = Integer.toString(i);
        }
        for (Outcome.Kind kind : Outcome.Kind.values()) {
            OUTCOMES[kind.ordinal()] = kind.name().toLowerCase(Locale.ROOT);
        }
    }

    private MeshlessTags() {
    }

    /**
     * @param tier a tier number, 0 or more
     * @return its tag value: the number in decimal
     */
    public static String tier(int tier) {
        return tier >= 0 && tier < TIERS.length ? TIERS[tier] : Integer.toString(tier);
    }

    /**
     * @param kind an outcome kind
     * @return its tag value: the kind's name in lower case
     */
    public static String outcome(Outcome.Kind kind) {
        return OUTCOMES[kind.ordinal()];
    }
}
