package dev.meshless.consul.internal;

import dev.meshless.consul.ConsulClient;

/**
 * Where a service is watched: a datacenter ({@code ?dc=}) or a cluster peer ({@code ?peer=}), through the
 * agent that serves it. Datacenter names cannot contain ':' (Consul accepts {@code [a-z0-9_-]}), so the
 * {@code peer:} prefix of a peer's endpoint ids never collides with a datacenter's.
 *
 * @param name the datacenter's name, or the peer's: the label of its views, metrics and regions
 * @param datacenter the datacenter asked ({@code dc}), or null for a peer (read through the agent's own)
 * @param peer the peer asked ({@code peer}), or null for a datacenter
 * @param client the agent's client
 */
public record Location(String name, String datacenter, String peer, ConsulClient client) {

    /**
     * @param datacenter a datacenter
     * @param client the agent that serves it
     * @return the datacenter's location
     */
    public static Location datacenter(String datacenter, ConsulClient client) {
        return new Location(datacenter, datacenter, null, client);
    }

    /**
     * @param peer a cluster peer of the agent's cluster
     * @param client the agent
     * @return the peer's location
     */
    public static Location peer(String peer, ConsulClient client) {
        return new Location(peer, null, peer, client);
    }

    /** @return whether this is a cluster peer */
    public boolean isPeer() {
        return peer != null;
    }
}
