package dev.meshless.consul.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The state of one simulated Consul datacenter: nodes, services and checks, with a monotonic raft
 * index. Each service remembers the index of its last change, and blocking readers wait on a
 * condition until that index passes theirs — the behaviour of {@code /v1/health/service/:service}.
 *
 * <p>Thread-safe: every read and write holds one lock.
 */
public final class SimDatacenter {

    /**
     * A node of the catalog: {@code structs.Node} (agent/structs/structs.go). {@code taggedAddresses} are
     * plain strings there; null and empty maps are answered as {@code null}, as Go encodes a nil map.
     */
    public record Node(String name, String address, Map<String, String> meta, Map<String, String> taggedAddresses,
            String localityRegion, String localityZone, String partition, long createIndex) {
    }

    /** {@code structs.ServiceAddress} (agent/structs/structs.go): an {@code Address} and a {@code Port}. */
    public record TaggedAddress(String address, int port) {
    }

    /**
     * A service instance of the catalog: {@code structs.NodeService} (agent/structs/structs.go). A port of 0
     * is left out of answers ({@code json:",omitempty"}); {@code namespace}/{@code partition} are
     * Consul Enterprise's and answered only when set.
     */
    public record Service(String node, String id, String name, String address, int port, List<String> tags,
            Map<String, String> meta, Map<String, TaggedAddress> taggedAddresses, int weightPassing,
            int weightWarning, String localityRegion, String localityZone, String namespace, String partition,
            long createIndex, long modifyIndex) {

        /** @return the namespace the instance is in, {@code default} when none was given */
        public String namespaceOrDefault() {
            return namespace == null ? "default" : namespace;
        }
    }

    /** A check of the catalog; {@code ttl} non-null for TTL checks. */
    public record Check(String node, String checkId, String name, String status, String serviceId, String output,
            Duration ttl, long ttlDeadlineNanos, Map<String, Object> definition, long createIndex, long modifyIndex) {
    }

    private final String name;
    private final String peer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long index = 10;
    private final Map<String, Node> nodes = new TreeMap<>();
    private final Map<String, Service> services = new LinkedHashMap<>();
    private final Map<String, Check> checks = new LinkedHashMap<>();
    private final Map<String, Long> serviceIndex = new LinkedHashMap<>();

    SimDatacenter(String name) {
        this(name, null);
    }

    /**
     * @param name the datacenter's name
     * @param peer for the services a cluster peer exported to this one ({@code ?peer=}), its name; else null
     */
    SimDatacenter(String name, String peer) {
        this.name = name;
        this.peer = peer;
    }

    /** @return the datacenter's name */
    public String name() {
        return name;
    }

    /** @return the cluster peer whose imported services this holds, or null for a datacenter of its own */
    public String peer() {
        return peer;
    }

    /** @return the current raft index */
    public long index() {
        lock.lock();
        try {
            return index;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param service a service name
     * @return the index of its last change; the datacenter's index when it never existed
     */
    public long serviceIndex(String service) {
        lock.lock();
        try {
            return serviceIndex.getOrDefault(lower(service), index);
        } finally {
            lock.unlock();
        }
    }

    /** Runs several writes as one transaction: blocked readers see all of them or none. */
    void atomically(Runnable writes) {
        lock.lock();
        try {
            writes.run();
        } finally {
            lock.unlock();
        }
    }

    void upsertNode(Node n) {
        write(null, () -> {
            Node old = nodes.get(n.name());
            nodes.put(n.name(), new Node(n.name(), n.address(), Map.copyOf(n.meta()), Map.copyOf(n.taggedAddresses()),
                    n.localityRegion(), n.localityZone(), n.partition(), old == null ? index : old.createIndex()));
            services.values().stream().filter(s -> s.node().equals(n.name())).forEach(s -> touch(s.name()));
        });
    }

    void upsertService(Service s) {
        write(s.name(), () -> {
            String key = key(s.node(), s.namespaceOrDefault(), s.id());
            Service old = services.get(key);
            if (old != null && !old.name().equals(s.name())) {
                touch(old.name());
            }
            services.put(key, new Service(s.node(), s.id(), s.name(), s.address(), s.port(), List.copyOf(s.tags()),
                    Map.copyOf(s.meta()), Map.copyOf(s.taggedAddresses()), s.weightPassing(), s.weightWarning(),
                    s.localityRegion(), s.localityZone(), s.namespace(), s.partition(),
                    old == null ? index : old.createIndex(), index));
        });
    }

    boolean removeService(String node, String serviceId) {
        boolean[] removed = {false};
        write(null, () -> {
            Service s = services.remove(key(node, "default", serviceId));
            if (s != null) {
                removed[0] = true;
                touch(s.name());
                checks.values().removeIf(c -> c.node().equals(node) && serviceId.equals(c.serviceId()));
            }
        });
        return removed[0];
    }

    void removeChecks(String node, String serviceId) {
        write(null, () -> checks.values().removeIf(c -> c.node().equals(node) && serviceId.equals(c.serviceId())));
    }

    void upsertCheck(Check c) {
        write(null, () -> {
            Check old = checks.get(key(c.node(), c.checkId()));
            checks.put(key(c.node(), c.checkId()), new Check(c.node(), c.checkId(), c.name(), c.status(),
                    c.serviceId(), c.output(), c.ttl(), c.ttlDeadlineNanos(), c.definition(),
                    old == null ? index : old.createIndex(), index));
            touchOwner(c);
        });
    }

    /**
     * Updates a check's status (a TTL heartbeat or an external change).
     *
     * @return false when the check does not exist
     */
    boolean updateCheck(String node, String checkId, String status, String output, long ttlDeadlineNanos) {
        boolean[] found = {false};
        write(null, () -> {
            Check c = checks.get(key(node, checkId));
            if (c == null) {
                return;
            }
            found[0] = true;
            boolean visible = !c.status().equals(status) || !c.output().equals(output);
            Check next = new Check(c.node(), c.checkId(), c.name(), status, c.serviceId(), output, c.ttl(),
                    ttlDeadlineNanos, c.definition(), c.createIndex(), visible ? index : c.modifyIndex());
            checks.put(key(node, checkId), next);
            if (visible) {
                touchOwner(next);
            }
        });
        return found[0];
    }

    /** Turns TTL checks whose deadline passed critical, as the agent does. */
    void expireTtls(long nowNanos) {
        List<Check> expired = new ArrayList<>();
        lock.lock();
        try {
            for (Check c : checks.values()) {
                if (c.ttl() != null && !c.status().equals("critical") && nowNanos - c.ttlDeadlineNanos() > 0) {
                    expired.add(c);
                }
            }
        } finally {
            lock.unlock();
        }
        for (Check c : expired) {
            updateCheck(c.node(), c.checkId(), "critical", "TTL expired", c.ttlDeadlineNanos());
        }
    }

    /** @return a copy of a check, or null */
    public Check check(String node, String checkId) {
        lock.lock();
        try {
            return checks.get(key(node, checkId));
        } finally {
            lock.unlock();
        }
    }

    /** @return a copy of a service instance (in the default namespace), or null */
    public Service service(String node, String serviceId) {
        lock.lock();
        try {
            return services.get(key(node, "default", serviceId));
        } finally {
            lock.unlock();
        }
    }

    /** @return the names of the services with at least one instance, with their tags */
    Map<String, List<String>> catalog() {
        lock.lock();
        try {
            Map<String, List<String>> out = new TreeMap<>();
            for (Service s : services.values()) {
                List<String> tags = out.computeIfAbsent(s.name(), n -> new ArrayList<>());
                s.tags().stream().filter(t -> !tags.contains(t)).forEach(tags::add);
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until the service changes after {@code minIndex} or the wait elapses.
     *
     * @return whether it changed
     */
    boolean awaitChange(String service, long minIndex, Duration wait) throws InterruptedException {
        long remaining = wait.toNanos();
        lock.lock();
        try {
            while (serviceIndex.getOrDefault(lower(service), 0L) <= minIndex) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every blocked reader (used when the simulated agent stops). */
    void wakeAll() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param service the service
     * @param keep which instances to return (the {@code filter} and {@code passing} parameters)
     * @return one health entry per instance: its node, the instance and its checks (node checks first)
     */
    List<Entry> health(String service, Predicate<Entry> keep) {
        lock.lock();
        try {
            List<Entry> out = new ArrayList<>();
            for (Service s : services.values()) {
                // Consul indexes service names in lower case (agent/consul/state/catalog_schema.go), so
                // /v1/health/service/web also answers the instances registered as "Web".
                if (!lower(s.name()).equals(lower(service))) {
                    continue;
                }
                List<Check> cs = new ArrayList<>();
                checks.values().stream().filter(c -> c.node().equals(s.node()) && c.serviceId().isEmpty())
                        .forEach(cs::add);
                checks.values().stream().filter(c -> c.node().equals(s.node()) && c.serviceId().equals(s.id()))
                        .forEach(cs::add);
                Entry e = new Entry(nodes.get(s.node()), s, cs);
                if (keep.test(e)) {
                    out.add(e);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** One element of a health answer. */
    public record Entry(Node node, Service service, List<Check> checks) {
    }

    private void write(String service, Runnable change) {
        lock.lock();
        try {
            index++;
            change.run();
            if (service != null) {
                touch(service);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void touch(String service) {
        serviceIndex.put(lower(service), index);
    }

    private static String lower(String service) {
        return service.toLowerCase(java.util.Locale.ROOT);
    }

    private void touchOwner(Check c) {
        if (c.serviceId().isEmpty()) {
            services.values().stream().filter(s -> s.node().equals(c.node())).forEach(s -> touch(s.name()));
        } else {
            Service s = services.get(key(c.node(), "default", c.serviceId()));
            if (s != null) {
                touch(s.name());
            }
        }
    }

    private static String key(String... parts) {
        return String.join("\u0000", parts);
    }

    static long nanosFrom(Duration d) {
        return TimeUnit.NANOSECONDS.convert(d);
    }
}
