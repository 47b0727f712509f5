package dev.meshless.health;

/**
 * A probe that was never sent: the prober had no capacity for it (every probe thread busy). A
 * {@link HealthProbe} completes exceptionally with it to say that nothing was learnt about the
 * endpoint; {@link ActiveHealthChecker} then counts neither a pass nor a failure and tries the
 * endpoint again shortly, so a saturated prober cannot fail healthy endpoints.
 */
public final class ProbeNotSentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param detail why it was not sent, for logs */
    public ProbeNotSentException(String detail) {
        super(detail, null, false, false);
    }
}
