package dev.meshless.consul;

import java.util.List;

/**
 * An answer of a Consul read with its metadata: the headers {@code setMeta} writes (hashicorp/consul
 * agent/http.go) and, for health answers, the entries left out as unusable.
 *
 * @param value the parsed body
 * @param index {@code X-Consul-Index}; 0 when absent or not a number
 * @param knownLeader {@code X-Consul-KnownLeader}; true when absent. Always false on the streaming
 *     backend, where it means nothing ({@link #streaming()})
 * @param lastContactMillis {@code X-Consul-LastContact}: how long the answering server had not heard
 *     from the leader; 0 when absent, and always 0 on the streaming backend
 * @param backend {@code X-Consul-Query-Backend} ({@code blocking-query} or {@code streaming}, Consul
 *     1.10+), or null when absent
 * @param filteredByAcls {@code X-Consul-Results-Filtered-By-ACLs: true}: the token could not see some
 *     (or all) of the results
 * @param addressesTranslated {@code X-Consul-Translate-Addresses: true}: the agent replaced the
 *     addresses of other datacenters' instances with their WAN addresses ({@code translate_wan_addrs})
 * @param skipped entries of a health answer that could not be used and are not in {@code value}
 * @param <T> the type of the body
 */
public record QueryResult<T>(T value, long index, boolean knownLeader, long lastContactMillis, String backend,
        boolean filteredByAcls, boolean addressesTranslated, List<SkippedEntry> skipped) {

    /** The value of {@code X-Consul-Query-Backend} for the streaming backend. */
    public static final String STREAMING = "streaming";

    // Copies the list so that a result never changes.
    public QueryResult {
        skipped = List.copyOf(skipped);
    }

    /**
     * @param value the parsed body
     * @param index {@code X-Consul-Index}
     * @param knownLeader {@code X-Consul-KnownLeader}
     * @param lastContactMillis {@code X-Consul-LastContact}
     */
    public QueryResult(T value, long index, boolean knownLeader, long lastContactMillis) {
        this(value, index, knownLeader, lastContactMillis, null, false, false, List.of());
    }

    /**
     * @return whether the agent served the answer from its streaming backend (use_streaming_backend,
     *     blocking health queries), whose {@code KnownLeader} and {@code LastContact} are always
     *     false and 0 (HealthView.Result, agent/rpcclient/health/view.go)
     */
    public boolean streaming() {
        return STREAMING.equals(backend);
    }
}
