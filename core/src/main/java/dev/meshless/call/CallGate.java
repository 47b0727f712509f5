package dev.meshless.call;

/**
 * A check every call passes before anything else happens, after the deadline starts: the hook for
 * outbound rate limits. Implementations reject by throwing a {@code MeshlessException} that says
 * what was exceeded and how long to wait. Must be fast and thread-safe.
 */
@FunctionalInterface
public interface CallGate {

    /** Lets every call through. */
    CallGate OPEN = service -> { };

    /**
     * @param service the service about to be called
     * @throws dev.meshless.MeshlessException when the call may not go ahead
     */
    void admit(String service);
}
