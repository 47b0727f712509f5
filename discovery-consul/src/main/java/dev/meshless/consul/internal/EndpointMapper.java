package dev.meshless.consul.internal;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Paths;
import dev.meshless.consul.ServiceInstance;
import dev.meshless.registry.ServiceEndpoints;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the instances of one service in one datacenter into Meshless endpoints:
 * <ul>
 *   <li>id {@code <datacenter>/<node>/<Service.ID>}, unique across datacenters;</li>
 *   <li>host {@code Service.Address}, or {@code Node.Address} when that is empty;</li>
 *   <li>region: the datacenter's configured region (the datacenter's name by default);</li>
 *   <li>zone: {@code Service.Meta.<zoneKey>}, else {@code Service.Locality.Zone}, else
 *       {@code Node.Meta.<zoneKey>}, else {@code <region>-default} ({@link #FALLBACK_ZONE_SUFFIX});</li>
 *   <li>weight: {@code Weights.Warning} for warning instances, otherwise {@code Weights.Passing},
 *       clamped to 1 … {@link Endpoint#MAX_WEIGHT};</li>
 *   <li>metadata: {@code Service.Meta} plus {@code consul.datacenter} and {@code consul.node}.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class EndpointMapper {

    /** Appended to the region to name the zone of endpoints that carry no zone information. */
    public static final String FALLBACK_ZONE_SUFFIX = "-default";
    /** Metadata key of the datacenter an endpoint was read from. */
    public static final String DATACENTER_KEY = "consul.datacenter";
    /** Metadata key of the Consul node an endpoint runs on. */
    public static final String NODE_KEY = "consul.node";

    private EndpointMapper() {
    }

    /**
     * @param service the service asked for
     * @param datacenter where the instances were read
     * @param region the datacenter's region
     * @param zoneKey metadata key of the zone
     * @param instances the validated answer
     * @return the endpoints and how many had no zone information
     * @throws IllegalArgumentException when an instance cannot be an endpoint (wrong service, repeated id)
     */
    public static Result map(String service, String datacenter, String region, String zoneKey,
            List<ServiceInstance> instances) {
        List<Endpoint> endpoints = new ArrayList<>(instances.size());
        int withoutZone = 0;
        for (ServiceInstance i : instances) {
            if (!i.service().equals(service)) {
                throw new IllegalArgumentException("instance '" + i.id() + "' on node '" + i.node()
                        + "' belongs to service '" + i.service() + "', not to '" + service + "'");
            }
            String zone = zone(i, zoneKey);
            if (zone == null) {
                withoutZone++;
                zone = region + FALLBACK_ZONE_SUFFIX;
            }
            int weight = i.health() == HealthStatus.WARNING ? i.warningWeight() : i.passingWeight();
            String id = datacenter + "/" + i.node() + "/" + i.id();
            try {
                endpoints.add(Endpoint.builder(service, id)
                        .address(i.effectiveAddress(), i.port())
                        .locality(region, zone)
                        .weight(Math.max(1, Math.min(Endpoint.MAX_WEIGHT, weight)))
                        .health(i.health())
                        .metadata(i.meta())
                        .metadata(DATACENTER_KEY, datacenter)
                        .metadata(NODE_KEY, i.node())
                        .build());
            } catch (InvalidConfigurationException e) {
                throw e.under(Paths.key("instances", id)); // which of the answer's instances
            }
        }
        return new Result(ServiceEndpoints.of(service, endpoints), withoutZone);
    }

    private static String zone(ServiceInstance i, String zoneKey) {
        String zone = i.meta().get(zoneKey);
        if (zone == null || zone.isBlank()) {
            zone = i.localityZone();
        }
        if (zone == null || zone.isBlank()) {
            zone = i.nodeMeta().get(zoneKey);
        }
        return zone == null || zone.isBlank() ? null : zone.strip();
    }

    /**
     * @param endpoints the service's endpoints in the datacenter
     * @param withoutZone how many got the fallback zone
     */
    public record Result(ServiceEndpoints endpoints, int withoutZone) {
    }
}
