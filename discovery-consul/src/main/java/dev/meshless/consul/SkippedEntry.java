package dev.meshless.consul;

/**
 * An entry of a health answer that could not become an endpoint and was left out, while the rest of
 * the answer was used: one unusable instance is never a reason to drop a datacenter's others.
 *
 * @param entry which entry: {@code <Node.Node>/<Service.ID>}, or {@code entry #<index>} when those are missing
 * @param reason the metric tag: {@code no_port}, {@code bad_port}, {@code bad_address},
 *     {@code unknown_check_status}, {@code malformed}, {@code other_service} or {@code duplicate_id}
 * @param problem what is wrong with it, for the log line
 */
public record SkippedEntry(String entry, String reason, String problem) {

    /** Service.Port is missing or 0 (Consul leaves a zero port out of answers). */
    public static final String NO_PORT = "no_port";
    /** Service.Port is not a number from 1 to 65535. */
    public static final String BAD_PORT = "bad_port";
    /** Neither the service nor its node has a usable address. */
    public static final String BAD_ADDRESS = "bad_address";
    /** A check's status is none of passing, warning, critical (api.HealthChecks.AggregatedStatus gives up too). */
    public static final String UNKNOWN_CHECK_STATUS = "unknown_check_status";
    /** A required field is missing or a field has the wrong JSON type. */
    public static final String MALFORMED = "malformed";
    /** The instance belongs to another service. */
    public static final String OTHER_SERVICE = "other_service";
    /** Another entry of the answer already has its id. */
    public static final String DUPLICATE_ID = "duplicate_id";
}
