package dev.meshless.consul;

/**
 * An answer of a Consul read with its blocking-query metadata.
 *
 * @param value the parsed body
 * @param index {@code X-Consul-Index}; 0 when absent or not a number
 * @param knownLeader {@code X-Consul-KnownLeader}; true when absent
 * @param lastContactMillis {@code X-Consul-LastContact}: how stale a {@code ?stale} answer may be; 0 when absent
 * @param <T> the type of the body
 */
public record QueryResult<T>(T value, long index, boolean knownLeader, long lastContactMillis) {
}
