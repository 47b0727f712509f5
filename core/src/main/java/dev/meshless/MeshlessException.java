package dev.meshless;

/**
 * Base of every failure Meshless reports to callers. Each subclass says which service was called,
 * what was tried and why it failed, so that a log line or an error response is enough to act on.
 */
public abstract class MeshlessException extends RuntimeException {

    private final String service;

    /**
     * @param service the service that was called
     * @param message what was tried and why it failed
     * @param cause the underlying failure, or {@code null}
     */
    protected MeshlessException(String service, String message, Throwable cause) {
        super(message, cause);
        this.service = service;
    }

    /**
     * For refusals that are expected flow rather than faults (a rate limit saying no): no stack
     * trace is recorded, which keeps a flood of refusals cheap.
     *
     * @param service the service concerned
     * @param message what was refused and why
     * @param writableStackTrace whether to record a stack trace
     */
    protected MeshlessException(String service, String message, boolean writableStackTrace) {
        super(message, null, false, writableStackTrace);
        this.service = service;
    }

    /** @return the service that was called */
    public String service() {
        return service;
    }
}
