package dev.meshless.consul;

import static dev.meshless.consul.testing.Catalog.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.consul.testing.ConsulSimulator;
import dev.meshless.consul.testing.LogCapture;
import dev.meshless.consul.testing.SimulatedRegistry;
import dev.meshless.testing.FakeTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /v1/catalog/datacenters} is a set whose order follows round-trip times
 * (Router.GetDatacentersByDistance, agent/router/router.go) and from which a datacenter drops while its
 * servers have left: a new order is no change, and a datacenter missing from one list is dropped only
 * when the next list, read after {@code empty-confirmation-delay}, confirms it.
 */
class DatacenterListTest {

    @RegisterExtension
    final SimulatedRegistry consul = new SimulatedRegistry("dc1", "dc2");
    private final FakeTime time = new FakeTime();

    private int listReads() {
        return (int) consul.sim().requests().stream().filter(r -> r.path().equals("/v1/catalog/datacenters")).count();
    }

    /** Moves the clock by {@code by} and waits until the registry has read the list again. */
    private void refresh(Duration by) {
        int before = listReads();
        time.advance(by);
        await().atMost(Duration.ofSeconds(5)).until(() -> listReads() > before);
    }

    @Test
    void aNewOrderIsNoChangeAndAMissingDatacenterIsDroppedOnlyWhenTheNextReadConfirmsIt() {
        ConsulSimulator sim = consul.sim();
        consul.catalog().register(instance("dc1", "n1", "inventory", "a"));
        consul.catalog().register(instance("dc2", "n2", "inventory", "b"));
        try (LogCapture logs = new LogCapture()) {
            consul.watch("inventory", b -> b.datacenterRefreshInterval(Duration.ofMinutes(1))
                    .emptyConfirmationDelay(Duration.ofSeconds(1)), time);
            await().atMost(Duration.ofSeconds(5)).until(() -> consul.recorder().ids().size() == 2);
            int whole = consul.recorder().count();

            sim.listDatacenters("dc2", "dc1");
            refresh(Duration.ofMinutes(1));
            assertThat(consul.registry().datacenters().keySet()).containsExactly("dc1", "dc2");

            sim.listDatacenters("dc1");
            refresh(Duration.ofMinutes(1));
            await().atMost(Duration.ofSeconds(5)).until(() -> logs.text().contains("does not list datacenter 'dc2'"));
            assertThat(consul.registry().datacenters()).containsKey("dc2");

            sim.listDatacenters((String[]) null); // back, as on a flaky WAN link
            refresh(Duration.ofSeconds(1));
            assertThat(consul.registry().datacenters()).containsKey("dc2");
            assertThat(consul.recorder().count()).as("nothing delivered: dc2 was never dropped").isEqualTo(whole);

            sim.listDatacenters("dc1");
            refresh(Duration.ofMinutes(1));
            refresh(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(5)).until(() -> consul.recorder().ids().size() == 1);
            assertThat(consul.recorder().ids()).containsExactly("dc1/n1/a");
            assertThat(consul.registry().datacenters()).containsOnlyKeys("dc1");
            assertThat(logs.warnings()).anyMatch(l -> l.contains("no longer lists datacenter 'dc2' (two reads in a row)"));
            assertThat(logs.lines()).filteredOn(l -> l.contains("lists datacenters")).as("the first list only")
                    .hasSize(1);
        }
    }
}
