package dev.meshless.demo.peer;

import dev.meshless.demo.Recorder;
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
 * Counts the spring-cloud caller's attempts per zone: one per HTTP exchange with an instance
 * (LoadBalancer's retries included). It sits after Spring Cloud's load-balancer interceptor, so it sees
 * the chosen instance's address; the service and zone come from the drill's list of instances. Once
 * {@link #start started}, it also files each attempt under the 100 ms slot it started in, as
 * {@code AttemptTimeline} files the Meshless caller's, so that both callers are measured alike. Thread-safe.
 */
public final class ZoneAttempts implements ClientHttpRequestInterceptor {

    private final Map<Integer, String> zoneByPort;
    private final Map<Integer, String> serviceByPort;
    private final String first;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private volatile Recorder recorder;
    private volatile long originNanos;

    /**
     * @param zoneByPort every upstream instance's port on 127.0.0.1 and its zone
     * @param serviceByPort every upstream instance's port and its service
     * @param first the service whose attempts head the report
     */
    public ZoneAttempts(Map<Integer, String> zoneByPort, Map<Integer, String> serviceByPort, String first) {
        this.zoneByPort = Map.copyOf(zoneByPort);
        this.serviceByPort = Map.copyOf(serviceByPort);
        this.first = first;
    }

    /**
     * Files attempts from now on.
     *
     * @param origin the drill's start, as {@link System#nanoTime()}
     * @param to where the slots go
     */
    public void start(long origin, Recorder to) {
        this.originNanos = origin;
        this.recorder = to;
    }

    /** Stops filing attempts. */
    public void stop() {
        recorder = null;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        int port = request.getURI().getPort();
        String zone = zoneByPort.getOrDefault(port, "not an upstream instance");
        Recorder to = recorder;
        if (to != null) {
            String service = serviceByPort.getOrDefault(port, first);
            to.attemptStarted(originNanos, service, service.equals(first), zone);
        }
        try {
            return execution.execute(request, body);
        } finally {
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
