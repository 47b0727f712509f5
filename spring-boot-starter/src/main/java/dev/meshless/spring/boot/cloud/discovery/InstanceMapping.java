package dev.meshless.spring.boot.cloud.discovery;

import dev.meshless.registry.ServiceEndpoints;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import dev.meshless.topology.Locality;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;

/**
 * Turns a Spring Cloud {@link ServiceInstance} into a Meshless {@link Endpoint}:
 * <ul>
 *   <li>id: the instance id, or {@code host:port} when the discovery client gives none;</li>
 *   <li>region: the {@code regionKey} metadata, else the default region;</li>
 *   <li>zone: the {@code zoneKey} metadata, else {@value #UNKNOWN_ZONE} — never the caller's own
 *       zone, so an instance of unknown zone is treated as another zone of its region (it gets
 *       traffic when the caller's zone lacks capacity; when no instance has a zone, all share it);</li>
 *   <li>weight: the {@value #WEIGHT} metadata when it is a whole number (kept within 1 and
 *       {@link Endpoint#MAX_WEIGHT}), else 1;</li>
 *   <li>health: passing (discovery clients list the instances they consider up);</li>
 *   <li>metadata: the instance's, plus {@code secure=true} for a secure instance;</li>
 *   <li>port: the instance's, or 443/80 when it has none.</li>
 * </ul>
 * Instances without a host, and second instances with an id already seen, are left out (logged
 * once per id). Thread-safe.
 */
public final class InstanceMapping {

    /** Zone of instances whose metadata names none. */
    public static final String UNKNOWN_ZONE = "unknown";
    /** Region used when neither metadata, the default region nor this instance's region is known. */
    public static final String UNKNOWN_REGION = "unknown";
    /** Metadata key read for the weight. */
    public static final String WEIGHT = "weight";

    private static final int MAX_REPORTED = 1024;
    private static final Logger log = LoggerFactory.getLogger(InstanceMapping.class);

    private final String zoneKey;
    private final String regionKey;
    private final String defaultRegion;
    /** Instances already logged as bad. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    /**
     * @param zoneKey metadata key of the zone
     * @param regionKey metadata key of the region
     * @param defaultRegion region of instances whose metadata has none, or {@code null} for
     *     {@value #UNKNOWN_REGION}
     */
    public InstanceMapping(String zoneKey, String regionKey, String defaultRegion) {
        this.zoneKey = Objects.requireNonNull(zoneKey, "zoneKey");
        this.regionKey = Objects.requireNonNull(regionKey, "regionKey");
        this.defaultRegion = defaultRegion == null || defaultRegion.isBlank() ? UNKNOWN_REGION : defaultRegion;
    }

    /**
     * @param service the service the instances belong to
     * @param instances what the discovery client listed, possibly {@code null}
     * @return the endpoints, in the discovery client's order
     */
    public ServiceEndpoints endpoints(String service, List<ServiceInstance> instances) {
        if (instances == null || instances.isEmpty()) {
            return ServiceEndpoints.empty(service);
        }
        List<Endpoint> endpoints = new ArrayList<>(instances.size());
        Set<String> ids = new HashSet<>();
        for (ServiceInstance instance : instances) {
            Endpoint e = endpoint(service, instance);
            if (e != null && ids.add(e.id())) {
                endpoints.add(e);
            } else if (e != null && firstReport(service + "/" + e.id())) {
                log.warn("Service '{}': the discovery client lists instance id '{}' twice; keeping the first",
                        service, e.id());
            }
        }
        return ServiceEndpoints.of(service, endpoints);
    }

    /**
     * @param instance an instance from a discovery client, or one Meshless handed out
     * @return its Meshless endpoint id: its instance id, else {@code host:port}
     */
    public static String endpointId(ServiceInstance instance) {
        String id = instance.getInstanceId();
        return id != null && !id.isBlank() ? id : Endpoint.hostPort(String.valueOf(instance.getHost()), port(instance));
    }

    private static int port(ServiceInstance instance) {
        return instance.getPort() > 0 ? instance.getPort() : instance.isSecure() ? 443 : 80;
    }

    /**
     * @param service the service the instance belongs to
     * @param instance one instance
     * @return its endpoint, or {@code null} when it cannot be one (no host)
     */
    public Endpoint endpoint(String service, ServiceInstance instance) {
        String host = instance.getHost();
        int port = port(instance);
        String id = endpointId(instance);
        if (host == null || host.isBlank() || port > 65535) {
            if (firstReport(service + "/" + id)) {
                log.warn("Service '{}': the discovery client lists instance '{}' without a usable address ({}:{});"
                        + " leaving it out", service, id, host, instance.getPort());
            }
            return null;
        }
        Map<String, String> metadata = instance.getMetadata() == null ? Map.of() : instance.getMetadata();
        Endpoint.Builder b = Endpoint.builder(service, id).address(host, port).health(HealthStatus.PASSING)
                .locality(Locality.of(nonBlank(metadata.get(regionKey), defaultRegion),
                        nonBlank(metadata.get(zoneKey), UNKNOWN_ZONE)))
                .weight(weight(metadata.get(WEIGHT)));
        metadata.forEach((k, v) -> {
            if (k != null && v != null) {
                b.metadata(k, v);
            }
        });
        if (instance.isSecure() && !metadata.containsKey("secure")) {
            b.metadata("secure", "true");
        }
        return b.build();
    }

    /** Logs each bad instance once; beyond {@value #MAX_REPORTED} of them, no more. */
    private boolean firstReport(String key) {
        return reported.size() < MAX_REPORTED && reported.add(key);
    }

    private static String nonBlank(String value, String fallback) {
        return value != null && !value.isBlank() ? value : fallback;
    }

    private static int weight(String value) {
        if (value == null) {
            return 1;
        }
        try {
            long w = Long.parseLong(value.trim());
            return (int) Math.max(1, Math.min(Endpoint.MAX_WEIGHT, w));
        } catch (NumberFormatException notANumber) {
            return 1;
        }
    }

    @Override
    public String toString() {
        return "InstanceMapping{zoneKey=" + zoneKey + ", regionKey=" + regionKey + ", defaultRegion=" + defaultRegion
                + "}";
    }
}
