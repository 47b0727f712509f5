package dev.meshless.consul;

import static dev.meshless.consul.testing.Catalog.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.consul.ConsulConfig.AddressMode;
import dev.meshless.consul.testing.Catalog;
import dev.meshless.consul.testing.SimulatedRegistry;
import dev.meshless.topology.Endpoint;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which address the endpoints of another datacenter get. Agents with translate_wan_addrs replace them
 * themselves (Agent.TranslateAddresses with TranslateAddressAcceptAny, agent/translate_addr.go) and say
 * so ({@code X-Consul-Translate-Addresses: true}, setTranslateAddr in agent/http.go); their choice
 * prefers {@code lan_ipv4} over {@code wan} when no {@code wan_ipv4} is tagged, and every service an
 * agent registers carries a {@code wan_ipv4} equal to its LAN address (Agent.addServiceInternal), so
 * translated addresses are often LAN ones. {@code auto} follows the agent, {@code lan} undoes its
 * translation, {@code wan} applies WAN precedence itself with the defaulted {@code wan_ipv4} giving way
 * to an explicit {@code wan}.
 */
class AddressModeTest {

    @RegisterExtension
    final SimulatedRegistry consul = new SimulatedRegistry("dc1", "dc2");

    @BeforeEach
    void register() {
        Catalog catalog = consul.catalog();
        // Registered through the catalog with a WAN address only.
        catalog.register(instance("dc2", "n-x", "inventory", "x").address("10.2.0.7", 8080)
                .taggedAddress("wan", "198.51.100.7", 443));
        // As an agent registers it (lan_ipv4/wan_ipv4 = its address), plus an explicit WAN address.
        catalog.register(instance("dc2", "n-y", "inventory", "y").address("10.2.0.8", 8080)
                .taggedAddress("lan_ipv4", "10.2.0.8", 8080).taggedAddress("wan_ipv4", "10.2.0.8", 8080)
                .taggedAddress("wan", "198.51.100.8", 443));
        // In the agent's own datacenter: never translated.
        catalog.register(instance("dc1", "n-z", "inventory", "z").address("10.1.0.9", 8080)
                .taggedAddress("wan", "198.51.100.9", 443));
    }

    private Map<String, String> addresses(AddressMode mode) {
        consul.watch("inventory", b -> b.addressMode(mode));
        await().atMost(Duration.ofSeconds(5)).until(() -> consul.recorder().ids().size() == 3);
        return consul.recorder().last().endpoints().stream().collect(Collectors.toMap(e -> e.id()
                .substring(e.id().lastIndexOf('/') + 1), Endpoint::address));
    }

    @Test
    void autoTakesTheAddressesAsTheAgentGivesThemTranslatedOrNot() {
        assertThat(addresses(AddressMode.AUTO)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "x", "10.2.0.7:8080", "y", "10.2.0.8:8080", "z", "10.1.0.9:8080"));
    }

    @Test
    void autoFollowsAnAgentThatTranslatesWithItsOwnPrecedence() {
        consul.sim().translateWanAddrs(true);

        assertThat(addresses(AddressMode.AUTO)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "x", "198.51.100.7:443",
                "y", "10.2.0.8:443", // wan_ipv4 (the LAN address) with wan's port: what Consul answers
                "z", "10.1.0.9:8080"));
    }

    @Test
    void lanUndoesTheAgentsTranslationWhereTheLanAddressIsInTheAnswer() {
        consul.sim().translateWanAddrs(true);

        assertThat(addresses(AddressMode.LAN)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "x", "198.51.100.7:443", // no LAN tagged address to go back to
                "y", "10.2.0.8:8080",
                "z", "10.1.0.9:8080"));
    }

    @Test
    void wanUsesTheWanAddressesOfEveryDatacenterButTheAgentsOwn() {
        assertThat(addresses(AddressMode.WAN)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "x", "198.51.100.7:443",
                "y", "198.51.100.8:443", // the defaulted wan_ipv4 gives way to the explicit wan
                "z", "10.1.0.9:8080"));
        assertThat(consul.sim().requests()).filteredOn(r -> r.path().equals("/v1/agent/self")).hasSize(1);
    }
}
