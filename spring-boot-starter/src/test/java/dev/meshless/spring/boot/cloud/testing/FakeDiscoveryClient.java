package dev.meshless.spring.boot.cloud.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/** A discovery client whose instances and failures tests set; counts its reads. Thread-safe. */
public final class FakeDiscoveryClient implements DiscoveryClient {

    private final Map<String, List<ServiceInstance>> instances = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private volatile RuntimeException failure;

    /**
     * @param service a service
     * @param list its instances from now on
     */
    public void set(String service, List<ServiceInstance> list) {
        instances.put(service, List.copyOf(list));
    }

    /** @param thrown what every read throws from now on, or {@code null} to answer again */
    public void fail(RuntimeException thrown) {
        this.failure = thrown;
    }

    /** @return how many times {@link #getInstances} was called */
    public int reads() {
        return reads.get();
    }

    @Override
    public String description() {
        return "fake";
    }

    @Override
    public List<ServiceInstance> getInstances(String serviceId) {
        reads.incrementAndGet();
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
        return instances.getOrDefault(serviceId, List.of());
    }

    @Override
    public List<String> getServices() {
        return List.copyOf(instances.keySet());
    }
}
