package dev.meshless.consul;

import dev.meshless.topology.HealthStatus;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code GET /v1/health/service/:service}: a service instance, its node and the
 * aggregate of its checks, validated by {@link ConsulClient}.
 *
 * @param node {@code Node.Node}, not blank
 * @param nodeAddress {@code Node.Address}, not blank
 * @param nodeMeta {@code Node.Meta}
 * @param id {@code Service.ID}, not blank
 * @param service {@code Service.Service}, not blank
 * @param address {@code Service.Address}; empty when the instance uses its node's address
 * @param port {@code Service.Port}, 1 to 65535
 * @param tags {@code Service.Tags}
 * @param meta {@code Service.Meta}
 * @param passingWeight {@code Service.Weights.Passing}; 1 when absent
 * @param warningWeight {@code Service.Weights.Warning}; 1 when absent
 * @param localityRegion {@code Service.Locality.Region} (Consul 1.17+), or null
 * @param localityZone {@code Service.Locality.Zone} (Consul 1.17+), or null
 * @param health critical when any check is critical or in maintenance, else warning when any warns,
 *     else passing
 */
public record ServiceInstance(String node, String nodeAddress, Map<String, String> nodeMeta, String id,
        String service, String address, int port, List<String> tags, Map<String, String> meta, int passingWeight,
        int warningWeight, String localityRegion, String localityZone, HealthStatus health) {

    // Copies the collections so that an instance never changes.
    public ServiceInstance {
        nodeMeta = Map.copyOf(nodeMeta);
        tags = List.copyOf(tags);
        meta = Map.copyOf(meta);
    }

    /** @return {@code Service.Address}, or {@code Node.Address} when that is empty */
    public String effectiveAddress() {
        return address.isBlank() ? nodeAddress : address;
    }
}
