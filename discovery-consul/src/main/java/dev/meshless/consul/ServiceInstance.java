package dev.meshless.consul;

import dev.meshless.topology.HealthStatus;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code GET /v1/health/service/:service}: a service instance, its node and the aggregate
 * of its checks, as read by {@link ConsulClient} from the shapes of hashicorp/consul's
 * {@code structs.CheckServiceNode} (agent/structs/structs.go). It is what the agent said, not yet a
 * routable endpoint: a port of 0 (Consul leaves it out) or blank addresses are kept here and left out
 * when the registry maps instances to endpoints.
 *
 * @param node {@code Node.Node}, not blank
 * @param nodeAddress {@code Node.Address}; may be empty
 * @param nodeMeta {@code Node.Meta} (empty when the answer has {@code null})
 * @param id {@code Service.ID}, not blank
 * @param service {@code Service.Service}, not blank; Consul matches it case-insensitively
 * @param address {@code Service.Address}; empty when the instance uses its node's address
 * @param port {@code Service.Port}, 0 to 65535; 0 when the answer leaves it out
 * @param tags {@code Service.Tags}
 * @param meta {@code Service.Meta} (empty when the answer has {@code null})
 * @param passingWeight {@code Service.Weights.Passing}; 1 when absent
 * @param warningWeight {@code Service.Weights.Warning}, 0 or more; 1 when absent. 0 means "no traffic
 *     while warning" (structs.ValidateWeights allows it)
 * @param localityRegion {@code Service.Locality.Region} (Consul 1.17+), or null
 * @param localityZone {@code Service.Locality.Zone} (Consul 1.17+), or null
 * @param health critical when any check is critical or in maintenance, else warning when any warns,
 *     else passing
 * @param maintenance whether a maintenance check ({@code _node_maintenance},
 *     {@code _service_maintenance:<id>}) is present: api.HealthChecks.AggregatedStatus's
 *     {@code maintenance}, which ranks above critical
 * @param nodeTaggedAddresses {@code Node.TaggedAddresses} ({@code lan}, {@code lan_ipv4}, {@code wan} …: strings)
 * @param taggedAddresses {@code Service.TaggedAddresses} ({@code {"Address","Port"}} objects)
 * @param nodeLocalityRegion {@code Node.Locality.Region} (Consul 1.17+), or null
 * @param nodeLocalityZone {@code Node.Locality.Zone} (Consul 1.17+), or null
 * @param peer {@code Service.PeerName}: the cluster peer the instance was imported from, or null
 * @param namespace {@code Service.Namespace} (Consul Enterprise), or null
 * @param partition {@code Service.Partition} (Consul Enterprise), or null
 */
public record ServiceInstance(String node, String nodeAddress, Map<String, String> nodeMeta, String id,
        String service, String address, int port, List<String> tags, Map<String, String> meta, int passingWeight,
        int warningWeight, String localityRegion, String localityZone, HealthStatus health, boolean maintenance,
        Map<String, String> nodeTaggedAddresses, Map<String, TaggedAddress> taggedAddresses,
        String nodeLocalityRegion, String nodeLocalityZone, String peer, String namespace, String partition) {

    /**
     * {@code structs.ServiceAddress}: one of {@code Service.TaggedAddresses}.
     *
     * @param address the address; may be empty
     * @param port the port; 0 when the answer leaves it out
     */
    public record TaggedAddress(String address, int port) {
    }

    // Copies the collections so that an instance never changes.
    public ServiceInstance {
        nodeMeta = Map.copyOf(nodeMeta);
        tags = List.copyOf(tags);
        meta = Map.copyOf(meta);
        nodeTaggedAddresses = Map.copyOf(nodeTaggedAddresses);
        taggedAddresses = Map.copyOf(taggedAddresses);
    }

    /**
     * An instance without tagged addresses, node locality, maintenance, peer, namespace or partition.
     *
     * @param node {@code Node.Node}
     * @param nodeAddress {@code Node.Address}
     * @param nodeMeta {@code Node.Meta}
     * @param id {@code Service.ID}
     * @param service {@code Service.Service}
     * @param address {@code Service.Address}
     * @param port {@code Service.Port}
     * @param tags {@code Service.Tags}
     * @param meta {@code Service.Meta}
     * @param passingWeight {@code Service.Weights.Passing}
     * @param warningWeight {@code Service.Weights.Warning}
     * @param localityRegion {@code Service.Locality.Region}
     * @param localityZone {@code Service.Locality.Zone}
     * @param health the aggregate of its checks
     */
    public ServiceInstance(String node, String nodeAddress, Map<String, String> nodeMeta, String id, String service,
            String address, int port, List<String> tags, Map<String, String> meta, int passingWeight,
            int warningWeight, String localityRegion, String localityZone, HealthStatus health) {
        this(node, nodeAddress, nodeMeta, id, service, address, port, tags, meta, passingWeight, warningWeight,
                localityRegion, localityZone, health, false, Map.of(), Map.of(), null, null, null, null, null);
    }

    /** @return {@code Service.Address}, or {@code Node.Address} when that is empty */
    public String effectiveAddress() {
        return address.isBlank() ? nodeAddress : address;
    }

    /** @return {@code passing}, {@code warning}, {@code critical} or {@code maintenance} */
    public String status() {
        return maintenance ? "maintenance" : health.label();
    }
}
