package dev.meshless.health;

/** The built-in probes. */
public enum ProbeType {
    /** An HTTP request (default {@code GET} of the service's base path); any answer below 500 but 429 passes. */
    HTTP,
    /** A TCP connect to the endpoint's address (or the configured port); connecting passes. */
    TCP
}
