package dev.meshless.spring.boot.test;

import java.util.List;
import java.util.Map;

/**
 * A request an instance of a {@link ZoneFleet} received.
 *
 * @param method the HTTP method
 * @param path the raw path, e.g. {@code /stock/42}
 * @param query the raw query, or {@code null}
 * @param headers the request's headers, by the JDK server's names (first letter upper case)
 * @param body the body as UTF-8 text, empty when there is none
 */
public record FleetRequest(String method, String path, String query, Map<String, List<String>> headers,
                           String body) {

    /**
     * @param name a header name, in any case
     * @return its first value, or {@code null}
     */
    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
    }
}
