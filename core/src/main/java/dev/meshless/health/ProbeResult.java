package dev.meshless.health;

import java.util.Objects;

/**
 * What one health probe found.
 *
 * @param healthy whether the endpoint answered as a healthy one does
 * @param detail what was seen ("HTTP 200", "connected", "timed out after 500 ms"), for logs and the
 *     actuator
 */
public record ProbeResult(boolean healthy, String detail) {

    /**
     * @param healthy whether the endpoint answered as a healthy one does
     * @param detail what was seen
     */
    public ProbeResult {
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * @param detail what was seen
     * @return a passing result
     */
    public static ProbeResult healthy(String detail) {
        return new ProbeResult(true, detail);
    }

    /**
     * @param detail what was seen
     * @return a failing result
     */
    public static ProbeResult unhealthy(String detail) {
        return new ProbeResult(false, detail);
    }
}
