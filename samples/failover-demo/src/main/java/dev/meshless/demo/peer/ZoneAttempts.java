package dev.meshless.demo.peer;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Counts the spring-cloud caller's attempts per zone, the way Meshless's {@code meshless.client.requests}
 * meter counts the Meshless caller's: one per HTTP exchange with an instance (LoadBalancer's retries
 * included), counted when it ends. It sits after Spring Cloud's load-balancer interceptor, so it sees
 * the chosen instance's address; the zone comes from the drill's list of instances. Thread-safe.
 */
public final class ZoneAttempts implements ClientHttpRequestInterceptor {

    private final Map<Integer, String> zoneByPort;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** @param zoneByPort every upstream instance's port on 127.0.0.1 and its zone */
    public ZoneAttempts(Map<Integer, String> zoneByPort) {
        this.zoneByPort = Map.copyOf(zoneByPort);
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        try {
            return execution.execute(request, body);
        } finally {
            String zone = zoneByPort.getOrDefault(request.getURI().getPort(), "not an upstream instance");
            counts.computeIfAbsent(zone, z -> new LongAdder()).increment();
        }
    }

    /** @return attempts per zone since the start, as a cumulative meter gives them */
    public Map<String, Long> total() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((zone, n) -> copy.put(zone, n.sum()));
        return copy;
    }
}
