package dev.meshless.outlier;

/** Which outlier-detection rule ejected an endpoint. */
public enum EjectionReason {
    /** {@code consecutiveFailures} endpoint or gateway failures in a row. */
    CONSECUTIVE_FAILURES,
    /** {@code consecutiveGatewayFailures} gateway failures (502, 503, 504) in a row. */
    CONSECUTIVE_GATEWAY_FAILURES,
    /** {@code consecutiveLocalOriginFailures} locally detected failures (connect errors, timeouts, resets) in a row. */
    CONSECUTIVE_LOCAL_ORIGIN_FAILURES,
    /** {@code consecutiveConnectionRefusals} refused connections (or unreachable addresses) in a row. */
    CONSECUTIVE_CONNECTION_REFUSALS,
    /** A failure percentage at or above the threshold over one interval. */
    FAILURE_PERCENTAGE,
    /** A success rate below the mean of its peers minus {@code stdevFactor} standard deviations. */
    SUCCESS_RATE
}
