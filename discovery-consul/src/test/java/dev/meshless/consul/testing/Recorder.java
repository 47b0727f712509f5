package dev.meshless.consul.testing;

import dev.meshless.registry.EndpointListener;
import dev.meshless.registry.ServiceEndpoints;
import dev.meshless.topology.Endpoint;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * An {@link EndpointListener} that records every delivery with the {@code System.nanoTime()} it
 * arrived at, and checks that deliveries never overlap.
 */
public final class Recorder implements EndpointListener {

    /** One delivery. */
    public record Delivery(ServiceEndpoints endpoints, long nanos) {
    }

    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final AtomicInteger inside = new AtomicInteger();
    private volatile boolean overlapped;

    @Override
    public void onEndpoints(ServiceEndpoints endpoints) {
        if (inside.incrementAndGet() > 1) {
            overlapped = true;
        }
        deliveries.add(new Delivery(endpoints, System.nanoTime()));
        inside.decrementAndGet();
    }

    /** @return every delivery so far */
    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** @return the number of deliveries */
    public int count() {
        return deliveries.size();
    }

    /** @return the last set delivered, or null */
    public ServiceEndpoints last() {
        return deliveries.isEmpty() ? null : deliveries.get(deliveries.size() - 1).endpoints();
    }

    /** @return ids of the last set delivered; empty when none */
    public Set<String> ids() {
        ServiceEndpoints last = last();
        return last == null ? Set.of() : last.endpoints().stream().map(Endpoint::id).collect(Collectors.toSet());
    }

    /** @return whether any delivery was empty */
    public boolean sawEmpty() {
        return deliveries.stream().anyMatch(d -> d.endpoints().isEmpty());
    }

    /** @return whether two deliveries ever overlapped */
    public boolean overlapped() {
        return overlapped;
    }
}
