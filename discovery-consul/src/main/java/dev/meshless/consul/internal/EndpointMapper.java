package dev.meshless.consul.internal;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.consul.ServiceInstance;
import dev.meshless.consul.ServiceInstance.TaggedAddress;
import dev.meshless.consul.SkippedEntry;
import dev.meshless.registry.ServiceEndpoints;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the instances of one service in one datacenter (or cluster peer) into Meshless endpoints:
 * <ul>
 *   <li>id {@code <datacenter>/<node>/<Service.ID>}, unique across datacenters; {@code peer:<name>/…}
 *       for a cluster peer's instances, with {@code ap:<partition>/} and {@code ns:<namespace>/} after
 *       the first part for instances outside the default partition or namespace (Consul Enterprise),
 *       so that ids never collide across them;</li>
 *   <li>host and port: {@code Service.Address} (or {@code Node.Address} when empty) and
 *       {@code Service.Port}, or the WAN or LAN tagged addresses ({@link Addresses});</li>
 *   <li>region: the configured region of the datacenter, else {@code Service.Locality.Region}, else
 *       {@code Node.Locality.Region}, else the datacenter's name;</li>
 *   <li>zone: {@code Service.Meta.<zoneKey>}, else {@code Service.Locality.Zone}, else
 *       {@code Node.Meta.<zoneKey>}, else {@code Node.Locality.Zone}, else {@code <region>-default}
 *       ({@link #FALLBACK_ZONE_SUFFIX});</li>
 *   <li>health: the checks' aggregate; maintenance is routed as critical; a warning instance with
 *       {@code Weights.Warning} 0 ("no traffic while warning") too;</li>
 *   <li>weight: {@code Weights.Warning} for warning instances, otherwise {@code Weights.Passing},
 *       clamped to 1 … {@link Endpoint#MAX_WEIGHT};</li>
 *   <li>metadata: {@code Service.Meta} plus {@code consul.datacenter} (or {@code consul.peer}),
 *       {@code consul.node}, {@code consul.status} (Consul's own: passing, warning, critical or
 *       maintenance) and, when set, {@code consul.namespace} and {@code consul.partition}.</li>
 * </ul>
 * An instance that cannot be an endpoint — no port, no usable address, another service's, an id
 * already taken — is left out as a {@link SkippedEntry}; the others are used.
 *
 * <p>Stateless and thread-safe.
 */
public final class EndpointMapper {

    /** Appended to the region to name the zone of endpoints that carry no zone information. */
    public static final String FALLBACK_ZONE_SUFFIX = "-default";
    /** Metadata key of the datacenter an endpoint was read from. */
    public static final String DATACENTER_KEY = "consul.datacenter";
    /** Metadata key of the cluster peer an endpoint was imported from. */
    public static final String PEER_KEY = "consul.peer";
    /** Metadata key of the Consul node an endpoint runs on. */
    public static final String NODE_KEY = "consul.node";
    /** Metadata key of Consul's status of the instance: passing, warning, critical or maintenance. */
    public static final String STATUS_KEY = "consul.status";
    /** Metadata key of the instance's namespace (Consul Enterprise), when it has one. */
    public static final String NAMESPACE_KEY = "consul.namespace";
    /** Metadata key of the instance's admin partition (Consul Enterprise), when it has one. */
    public static final String PARTITION_KEY = "consul.partition";

    /** A host name, an IPv4 address or an IPv6 literal (with an optional zone); nothing a URL could split. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9._-]+)?");

    /** Which of an instance's addresses to use. */
    public enum Addresses {
        /** {@code Service.Address}, else {@code Node.Address}, and {@code Service.Port}: what the agent answered. */
        AS_GIVEN,
        /**
         * The LAN addresses an agent that translates (translate_wan_addrs) replaced: {@code lan_ipv6},
         * {@code lan_ipv4}, {@code lan} of the service (every agent-registered service has
         * {@code lan_ipv4}); without them the address as given, which the agent may have translated;
         * without a service address, the node's LAN tagged addresses, else its address.
         */
        LAN,
        /**
         * Consul's WAN precedence (Agent.TranslateServiceAddress, agent/translate_addr.go):
         * {@code wan_ipv6} > {@code wan_ipv4} > {@code wan} > the address, for the service and then its
         * node; the port of {@code TaggedAddresses.wan} when it has one. A {@code wan_ipv4}/{@code wan_ipv6}
         * that only repeats the LAN address — what an agent adds by default to every service it
         * registers (Agent.addServiceInternal, agent/agent.go) — gives way to an explicit {@code wan}.
         */
        WAN
    }

    /**
     * Where the instances were read and how to label them.
     *
     * @param service the service asked for
     * @param location the datacenter, or the cluster peer's name
     * @param peer whether {@code location} is a cluster peer
     * @param region the datacenter's region (configured, else its name)
     * @param regionConfigured whether {@code region} was configured, so that it wins over the instances' locality
     * @param zoneKey metadata key of the zone
     */
    public record Target(String service, String location, boolean peer, String region, boolean regionConfigured,
            String zoneKey) {
    }

    private EndpointMapper() {
    }

    /**
     * Maps with the addresses as given and a configured region.
     *
     * @param service the service asked for
     * @param datacenter where the instances were read
     * @param region the datacenter's region
     * @param zoneKey metadata key of the zone
     * @param instances the answer's instances
     * @return the endpoints, how many had no zone information, and the instances left out
     */
    public static Result map(String service, String datacenter, String region, String zoneKey,
            List<ServiceInstance> instances) {
        return map(new Target(service, datacenter, false, region, true, zoneKey), Addresses.AS_GIVEN, instances);
    }

    /**
     * @param target where the instances were read and how to label them
     * @param addresses which addresses to use
     * @param instances the answer's instances
     * @return the endpoints, how many had no zone information, and the instances left out
     */
    public static Result map(Target target, Addresses addresses, List<ServiceInstance> instances) {
        List<Endpoint> endpoints = new ArrayList<>(instances.size());
        List<SkippedEntry> skipped = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int withoutZone = 0;
        int maintenance = 0;
        String asked = target.service().toLowerCase(Locale.ROOT);
        for (ServiceInstance i : instances) {
            String entry = i.node() + "/" + i.id();
            // Consul indexes service names in lower case (agent/consul/state/catalog_schema.go): a query
            // for "web" answers the instances registered as "Web".
            if (!i.service().toLowerCase(Locale.ROOT).equals(asked)) {
                skipped.add(new SkippedEntry(entry, SkippedEntry.OTHER_SERVICE, "it belongs to service '"
                        + i.service() + "', not to '" + target.service() + "'"));
                continue;
            }
            HostPort at = address(i, addresses);
            if (at.host() == null || !HOST.matcher(at.host()).matches()) {
                skipped.add(new SkippedEntry(entry, SkippedEntry.BAD_ADDRESS, at.host() == null || at.host().isEmpty()
                        ? "neither Service.Address nor Node.Address is set" : "address '" + at.host()
                        + "' is not a host name or IP address"));
                continue;
            }
            if (at.port() < 1) {
                skipped.add(new SkippedEntry(entry, SkippedEntry.NO_PORT, "Service.Port is missing or 0"));
                continue;
            }
            String id = id(target, i);
            if (!ids.add(id)) {
                skipped.add(new SkippedEntry(entry, SkippedEntry.DUPLICATE_ID, "another entry has endpoint id '" + id
                        + "'"));
                continue;
            }
            String region = region(target, i);
            String zone = zone(i, target.zoneKey());
            if (zone == null) {
                withoutZone++;
                zone = region + FALLBACK_ZONE_SUFFIX;
            }
            HealthStatus health = i.health();
            int weight = i.passingWeight();
            if (health == HealthStatus.WARNING) {
                if (i.warningWeight() == 0) {
                    health = HealthStatus.CRITICAL; // "no traffic while warning"
                } else {
                    weight = i.warningWeight();
                }
            }
            if (i.maintenance()) {
                maintenance++;
            }
            try {
                Endpoint.Builder b = Endpoint.builder(target.service(), id)
                        .address(at.host(), at.port())
                        .locality(region, zone)
                        .weight(Math.max(1, Math.min(Endpoint.MAX_WEIGHT, weight)))
                        .health(health)
                        .metadata(i.meta())
                        .metadata(target.peer() ? PEER_KEY : DATACENTER_KEY, target.location())
                        .metadata(NODE_KEY, i.node())
                        .metadata(STATUS_KEY, i.status());
                if (i.namespace() != null) {
                    b.metadata(NAMESPACE_KEY, i.namespace());
                }
                if (i.partition() != null) {
                    b.metadata(PARTITION_KEY, i.partition());
                }
                endpoints.add(b.build());
            } catch (InvalidConfigurationException e) { // a field Endpoint refuses: leave this one out
                skipped.add(new SkippedEntry(entry, SkippedEntry.MALFORMED, e.getMessage()));
            }
        }
        return new Result(ServiceEndpoints.of(target.service(), endpoints), withoutZone, skipped, maintenance);
    }

    private static String id(Target target, ServiceInstance i) {
        StringBuilder id = new StringBuilder(target.peer() ? "peer:" : "").append(target.location()).append('/');
        if (i.partition() != null && !i.partition().equals("default")) {
            id.append("ap:").append(i.partition()).append('/');
        }
        if (i.namespace() != null && !i.namespace().equals("default")) {
            id.append("ns:").append(i.namespace()).append('/');
        }
        return id.append(i.node()).append('/').append(i.id()).toString();
    }

    private static String region(Target target, ServiceInstance i) {
        if (target.regionConfigured()) {
            return target.region();
        }
        return firstSet(i.localityRegion(), i.nodeLocalityRegion(), target.region());
    }

    private static String zone(ServiceInstance i, String zoneKey) {
        return firstSet(i.meta().get(zoneKey), i.localityZone(), i.nodeMeta().get(zoneKey), i.nodeLocalityZone());
    }

    private static String firstSet(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    private static HostPort address(ServiceInstance i, Addresses addresses) {
        switch (addresses) {
            case WAN: {
                TaggedAddress wan = i.taggedAddresses().get("wan");
                Map<String, String> service = new HashMap<>();
                i.taggedAddresses().forEach((key, t) -> service.put(key, t.address()));
                String host = wanHost(service, i.address());
                return new HostPort(host != null ? host : wanHost(i.nodeTaggedAddresses(), i.nodeAddress()),
                        wan != null && wan.port() != 0 ? wan.port() : i.port());
            }
            case LAN: {
                for (String key : new String[] {"lan_ipv6", "lan_ipv4", "lan"}) {
                    TaggedAddress t = i.taggedAddresses().get(key);
                    if (t != null && !t.address().isBlank()) {
                        return new HostPort(t.address(), t.port() != 0 ? t.port() : i.port());
                    }
                }
                if (!i.address().isBlank()) { // no LAN address to go back to: as given
                    return new HostPort(i.address(), i.port());
                }
                Map<String, String> node = i.nodeTaggedAddresses();
                return new HostPort(firstSet(node.get("lan_ipv6"), node.get("lan_ipv4"), node.get("lan"),
                        i.nodeAddress()), i.port());
            }
            default:
                return new HostPort(i.effectiveAddress(), i.port());
        }
    }

    /**
     * {@code wan_ipv6} > {@code wan_ipv4} > {@code wan} > the LAN address, where a {@code wan_ipv6} or
     * {@code wan_ipv4} that merely repeats the LAN address gives way to an explicit, different {@code wan}.
     *
     * @param tagged tagged addresses (a service's or a node's)
     * @param lan the address itself
     * @return the WAN address, or null when there is none
     */
    private static String wanHost(Map<String, String> tagged, String lan) {
        String wan = firstSet(tagged.get("wan"));
        return firstSet(wanOfFamily(tagged, "wan_ipv6", "lan_ipv6", lan, wan),
                wanOfFamily(tagged, "wan_ipv4", "lan_ipv4", lan, wan), wan, lan);
    }

    private static String wanOfFamily(Map<String, String> tagged, String wanKey, String lanKey, String lan,
            String wan) {
        String t = firstSet(tagged.get(wanKey));
        boolean repeatsLan = t != null && (t.equals(lan) || t.equals(tagged.get(lanKey)));
        return repeatsLan && wan != null && !wan.equals(t) ? null : t;
    }

    private record HostPort(String host, int port) {
    }

    /**
     * @param endpoints the service's endpoints in the datacenter
     * @param withoutZone how many got the fallback zone
     * @param skipped the instances left out, with why
     * @param maintenance how many endpoints are in maintenance
     */
    public record Result(ServiceEndpoints endpoints, int withoutZone, List<SkippedEntry> skipped, int maintenance) {
    }
}
