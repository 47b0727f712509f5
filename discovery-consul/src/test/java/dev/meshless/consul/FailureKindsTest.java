package dev.meshless.consul;

import static dev.meshless.consul.testing.Catalog.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshless.consul.testing.Catalog;
import dev.meshless.consul.testing.Configs;
import dev.meshless.consul.testing.LogCapture;
import dev.meshless.consul.testing.Recorder;
import dev.meshless.consul.testing.SimulatedRegistry;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the registry does with each kind of failure a real agent produces: an answer the token's ACLs
 * emptied is not "no instances"; a permanent failure (403, a filter Consul rejects) is reported once and
 * as permanent, a transient one (500 No cluster leader, 429) as a failure that will pass; every one
 * keeps the last good view.
 */
class FailureKindsTest {

    @RegisterExtension
    final SimulatedRegistry consul = new SimulatedRegistry("dc1");
    private Catalog catalog;
    private Recorder rec;

    @BeforeEach
    void start() {
        catalog = consul.catalog();
        catalog.register(instance("dc1", "n1", "inventory", "a"));
        catalog.register(instance("dc1", "n2", "inventory", "b"));
    }

    private void watch(UnaryOperator<ConsulConfig.Builder> config) {
        consul.watch("inventory", b -> config.apply(b.agent(Configs.agent(consul.sim().address(), "dc1"))));
        rec = consul.recorder();
        await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().size() == 2);
    }

    private ViewStatus status() {
        return consul.status("inventory", "dc1");
    }

    private double errors(String reason) {
        return consul.errors("inventory", reason);
    }

    /** aclFilter.filterCheckServiceNodes (agent/consul/acl_filter.go); setResultsFilteredByACLs (agent/http.go). */
    @Test
    void anAnswerTheTokensAclsEmptiedKeepsTheLastGoodViewAndNamesTheMissingPermissionsOnce() {
        try (LogCapture logs = new LogCapture()) {
            watch(b -> b);

            consul.sim().hideByAcl("inventory", true);
            catalog.register(instance("dc1", "n3", "inventory", "c")); // ends the blocking query

            await().atMost(Duration.ofSeconds(5)).until(() -> errors("acl_filtered") >= 3);
            assertThat(rec.ids()).as("not \"no instances\"").containsExactlyInAnyOrder("dc1/n1/a", "dc1/n2/b");
            assertThat(rec.sawEmpty()).isFalse();
            assertThat(status()).satisfies(s -> {
                assertThat(s.aclFiltered()).isTrue();
                assertThat(s.permanentError()).isTrue();
                assertThat(s.stale()).isTrue();
                assertThat(s.lastError()).startsWith("acl_filtered: ").contains("service:read on 'inventory'")
                        .contains("node:read");
            });
            assertThat(logs.lines()).filteredOn(l -> l.startsWith("ERROR") && l.contains("service:read"))
                    .as("one line, not one per retry").hasSize(1);

            consul.sim().hideByAcl("inventory", false);

            await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().size() == 3);
            assertThat(status().aclFiltered()).isFalse();
            assertThat(status().permanentError()).isFalse();
        }
    }

    @Test
    void anAnswerTheAclsOnlyThinnedIsUsedAndSaysSo() {
        try (LogCapture logs = new LogCapture()) {
            watch(b -> b);

            consul.sim().hideByAcl("n2", true); // no node:read on n2
            catalog.register(instance("dc1", "n1", "inventory", "a").meta("version", "2"));

            await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().size() == 1);
            assertThat(rec.ids()).containsExactly("dc1/n1/a");
            assertThat(status().aclFiltered()).isTrue();
            assertThat(status().consecutiveErrors()).isZero();
            assertThat(logs.warnings()).filteredOn(l -> l.contains("hid some instances from this ACL token")).hasSize(1);
        }
    }

    @Test
    void aRefusedTokenIsAPermanentFailureReportedOnce() {
        try (LogCapture logs = new LogCapture()) {
            watch(b -> b);

            consul.sim().requireToken("another-token");
            new Catalog(consul.sim().address(), "another-token").register(instance("dc1", "n3", "inventory", "c"));

            await().atMost(Duration.ofSeconds(5)).until(() -> errors("http_status") >= 3);
            assertThat(status().permanentError()).isTrue();
            assertThat(status().lastError()).contains("answered 403");
            assertThat(logs.lines()).filteredOn(l -> l.startsWith("ERROR") && l.contains("permanent"))
                    .hasSize(1);
            assertThat(logs.warnings()).noneMatch(l -> l.startsWith("WARN") && l.contains("read failed"));
            assertThat(rec.ids()).as("the blocked read still brought c; the view is kept")
                    .containsExactlyInAnyOrder("dc1/n1/a", "dc1/n2/b", "dc1/n3/c");
        }
    }

    @Test
    void aFilterConsulRejectsIsPermanentToo() {
        ConsulRegistry registry = ConsulRegistry.create(Configs.fast(consul.sim().address())
                .agent(Configs.agent(consul.sim().address(), "dc1")).filter("Service.Port > 80").build());
        registry.subscribe("inventory", set -> { });

        await().atMost(Duration.ofSeconds(5)).until(() -> !registry.status().isEmpty()
                && registry.status().get(0).consecutiveErrors() > 0);
        ViewStatus status = registry.status().get(0);
        registry.close();
        assertThat(status.permanentError()).isTrue();
        assertThat(status.lastError()).contains("answered 500").contains("boolexpr");
    }

    @Test
    void aLeaderlessDatacenterIsATransientFailure() {
        try (LogCapture logs = new LogCapture()) {
            watch(b -> b.stale(false));

            consul.sim().leaderless("dc1", 5_000);
            catalog.register(instance("dc1", "n3", "inventory", "c"));

            await().atMost(Duration.ofSeconds(5)).until(() -> errors("http_status") >= 1);
            assertThat(status().permanentError()).isFalse();
            assertThat(status().lastError()).contains("No cluster leader");
            assertThat(logs.warnings()).anyMatch(l -> l.startsWith("WARN") && l.contains("(1 in a row, http_status)"));
            assertThat(rec.ids()).hasSize(2);
        }
    }
}
