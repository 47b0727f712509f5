package dev.meshless.spring.boot.http;

import dev.meshless.spring.boot.zoneaware.ZoneAwareContext;
import dev.meshless.topology.Endpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a test's {@code @ZoneAware} bean method needs: the URL of the endpoint Meshless picked for
 * the current attempt, and, for the test, the zones the attempts went to, in order. Thread-safe.
 */
public final class AttemptLog {

    private final List<String> zones = Collections.synchronizedList(new ArrayList<>());

    /**
     * Call inside a {@code @ZoneAware} method, once per attempt.
     *
     * @param path the path on the endpoint, starting with {@code /}
     * @return {@code http://<endpoint address><path>}, the attempt's zone recorded
     */
    public String url(String path) {
        Endpoint endpoint = ZoneAwareContext.currentEndpoint();
        zones.add(endpoint.locality().zone());
        return "http://" + endpoint.address() + path;
    }

    /** @return the zones the attempts went to, in order; clear it to start again */
    public List<String> zones() {
        return zones;
    }
}
