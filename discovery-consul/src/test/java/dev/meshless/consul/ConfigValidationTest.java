package dev.meshless.consul;

import static dev.meshless.testing.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.config.ByteSize;
import dev.meshless.consul.testing.Configs;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Configuration is validated when built; a bad value fails with its path, the value as given and the
 * rule, and a rule between two settings blames the one that was given.
 */
class ConfigValidationTest {

    private static void rejects(Consumer<ConsulConfig.Builder> change, String path, Object value, String rule) {
        ConsulConfig.Builder b = ConsulConfig.builder().agent(Configs.agent("http://127.0.0.1:8500"));
        change.accept(b);
        assertInvalid(b::build, path, value, rule);
    }

    @Test
    void registrySettingsAreNamedByPathWithTheValueAndTheRule() {
        rejects(b -> b.wait(Duration.ofMinutes(11)), "wait", Duration.ofMinutes(11), "must be between 1s and 10m");
        rejects(b -> b.rateLimitBurst(0), "rateLimitBurst", 0, "must be between 1 and 100");
        rejects(b -> b.rateLimitInterval(Duration.ZERO), "rateLimitInterval", Duration.ZERO,
                "must be between 1ms and 10m");
        rejects(b -> b.maxEndpoints(0), "maxEndpoints", 0, "must be between 1 and 1000000");
        rejects(b -> b.maxResponseBytes(10), "maxResponseBytes", ByteSize.ofBytes(10), "must be between 1KB and 1GB");
        rejects(b -> b.snapshotMaxBytes(2L << 30), "snapshotMaxBytes", ByteSize.valueOf("2GB"),
                "must be between 1KB and 1GB");
        rejects(b -> b.maxServices(0), "maxServices", 0, "must be between 1 and 10000");
        rejects(b -> b.zoneMetadataKey(" zone"), "zoneMetadataKey", " zone",
                "must be a non-blank name without surrounding spaces");
        rejects(b -> b.region("dc1", ""), "regions[dc1]", "", "must be a non-blank name without surrounding spaces");
        rejects(b -> b.region(" dc1", "r1"), "regions", " dc1", "must be a non-blank name without surrounding spaces");
        rejects(b -> b.snapshotWriteDelay(Duration.ofMinutes(-1)), "snapshotWriteDelay", Duration.ofMinutes(-1),
                "must be between 0s and 1h");
    }

    @Test
    void anInitialBackoffAboveItsMaximumBlamesTheSettingThatWasGiven() {
        rejects(b -> b.errorBackoffInitial(Duration.ofSeconds(5)).errorBackoffMax(Duration.ofSeconds(2)),
                "errorBackoffMax", Duration.ofSeconds(2), "must be at least the initial error backoff (5s)");
        rejects(b -> b.errorBackoffInitial(Duration.ofMinutes(2)), "errorBackoffInitial", Duration.ofMinutes(2),
                "must be at most the largest error backoff (1m)");
        rejects(b -> b.errorBackoffMax(Duration.ofHours(2)), "errorBackoffMax", Duration.ofHours(2),
                "must be between 1ms and 1h");
    }

    @Test
    void agentSettingsAreNamedByPathWithTheValueAndTheRule() {
        ConsulAgentConfig.Builder agent = ConsulAgentConfig.builder().environment(Map.of());
        assertInvalid(() -> ConsulAgentConfig.builder().environment(Map.of()).address("ftp://consul:21").build(),
                "address", "ftp://consul:21", "must be an http or https URL of a host and port");
        assertInvalid(() -> ConsulAgentConfig.builder().environment(Map.of()).address("http://consul:8500/v1")
                .build(), "address", "http://consul:8500/v1", "must be an http or https URL of a host and port");
        assertInvalid(() -> ConsulAgentConfig.builder().environment(Map.of()).address("unix:///var/run/consul.sock")
                .build(), "address", "unix:///var/run/consul.sock", "must be an http or https URL of a host and port");
        assertInvalid(() -> ConsulAgentConfig.builder().environment(Map.of()).tokenFile(Path.of("/nope/token"))
                .build(), "tokenFile", Path.of("/nope/token"), "must be a readable file");
        assertInvalid(() -> ConsulAgentConfig.builder().environment(Map.of("CONSUL_CACERT", "/nope/ca.pem")).build(),
                "caCert", Path.of("/nope/ca.pem"), "must be a readable file");
        Path cert = Path.of("src/test/resources/tls/client.pem");
        assertInvalid(() -> ConsulAgentConfig.builder().environment(Map.of()).clientCert(cert).build(),
                "clientKey", null, "must be set together with the client certificate (" + cert + ")");
        assertInvalid(() -> ConsulAgentConfig.builder().environment(Map.of()).clientKey(cert).build(),
                "clientCert", null, "must be set together with the client key (" + cert + ")");
        assertInvalid(() -> agent.datacenters("dc1", "dc1").build(), "datacenters", List.of("dc1", "dc1"),
                "must not repeat a name");
        assertInvalid(() -> agent.datacenters("dc1", " ").build(), "datacenters[1]", " ",
                "must be a non-blank name without surrounding spaces");
        assertInvalid(() -> ConsulAgentConfig.builder().environment(Map.of()).requestTimeout(Duration.ZERO).build(),
                "requestTimeout", Duration.ZERO, "must be between 1ms and 10m");
    }

    @Test
    void theEnvironmentFillsWhatConfigurationLeavesOpenLikeTheConsulCli() {
        Map<String, String> env = Map.of("CONSUL_HTTP_ADDR", "10.0.0.5:8501", "CONSUL_HTTP_SSL", "true",
                "CONSUL_HTTP_TOKEN", "t");

        ConsulAgentConfig fromEnv = ConsulAgentConfig.builder().environment(env).build();
        ConsulAgentConfig configured = ConsulAgentConfig.builder().environment(env).address("http://consul:8500")
                .build();

        assertThat(fromEnv.address()).isEqualTo(URI.create("https://10.0.0.5:8501"));
        assertThat(fromEnv.hasToken()).isTrue();
        assertThat(configured.address()).isEqualTo(URI.create("http://consul:8500"));
        assertThat(ConsulAgentConfig.builder().environment(Map.of()).build().address())
                .isEqualTo(URI.create(ConsulAgentConfig.DEFAULT_ADDRESS));
    }

    @Test
    void registrationSettingsAreNamedByPathWithTheValueAndTheRule() {
        ConsulRegistrationConfig.Builder ok = ConsulRegistrationConfig.builder("checkout").address("10.0.0.1")
                .port(8080).region("eu-west-1").zone("eu-west-1a");
        assertThat(ok.build().instanceId()).isEqualTo("checkout-10.0.0.1-8080");
        assertThat(ok.build().heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ok.build().meta()).containsEntry("region", "eu-west-1").containsEntry("zone", "eu-west-1a");

        assertInvalid(() -> ConsulRegistrationConfig.builder("checkout").address("10.0.0.1").port(0).build(),
                "port", 0, "must be between 1 and 65535");
        assertInvalid(() -> ConsulRegistrationConfig.builder("checkout").address("10.0.0.1").build(),
                "port", null, "must be set");
        assertInvalid(() -> ConsulRegistrationConfig.builder("checkout").address("10.0.0.1").port(80)
                .region("eu-west-1").build(), "zone", null, "must be a non-blank name without surrounding spaces");
        assertInvalid(() -> ok.heartbeatInterval(Duration.ofSeconds(30)).build(), "heartbeatInterval",
                Duration.ofSeconds(30), "must be at least 100ms and shorter than the TTL (30s)");
        assertInvalid(() -> ok.heartbeatInterval(null).deregisterCriticalAfter(Duration.ofSeconds(30)).build(),
                "deregisterCriticalAfter", Duration.ofSeconds(30), "must be between 1m and 7d");
        assertInvalid(() -> ok.deregisterCriticalAfter(Duration.ofMinutes(5)).httpCheck("localhost/health").build(),
                "httpCheck", "localhost/health", "must be an http or https URL");
    }

    /** validateMetaPair / validateMetadata (agent/structs/structs.go), which the agent's register endpoint applies. */
    @Test
    void registrationMetaFollowsConsulsRulesAtStartUp() {
        ConsulRegistrationConfig.Builder ok = ConsulRegistrationConfig.builder("checkout").address("10.0.0.1")
                .port(8080).region("eu-west-1").zone("eu-west-1a");
        assertThat(ok.meta(Map.of("version", "1.4.2", "team_a-b", "x".repeat(512))).build().meta())
                .containsEntry("version", "1.4.2");

        assertInvalid(() -> ok.meta(Map.of("consul-x", "1")).build(), "meta[consul-x]", "consul-x",
                "must not start with 'consul-', which Consul reserves for itself");
        assertInvalid(() -> ok.meta(Map.of("app.version", "1")).build(), "meta[app.version]", "app.version",
                "must be a Consul metadata key: letters, digits, '_' and '-' only");
        String longKey = "k".repeat(129);
        assertInvalid(() -> ok.meta(Map.of(longKey, "1")).build(), "meta[" + longKey + "]", longKey,
                "must be at most 128 characters long");
        assertInvalid(() -> ok.meta(Map.of("notes", "x".repeat(513))).build(), "meta[notes]", "513 characters",
                "must be at most 512 characters long");
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 63; i++) {
            many.put("k" + i, "v");
        }
        assertInvalid(() -> ok.meta(many).build(), "meta", "63 pairs",
                "must hold at most 62 pairs: Consul takes 64, and the region and zone take two");
        assertInvalid(() -> ok.meta(Map.of()).regionMetadataKey("consul-region").build(), "regionMetadataKey",
                "consul-region", "must not start with 'consul-', which Consul reserves for itself");
        assertInvalid(() -> ok.regionMetadataKey("region").zone("z".repeat(513)).build(), "zone", "513 characters",
                "must be at most 512 characters long");
    }

    @Test
    void aWarningWeightOfZeroIsLegalAsInConsul() {
        ConsulRegistrationConfig.Builder ok = ConsulRegistrationConfig.builder("checkout").address("10.0.0.1")
                .port(8080).region("eu-west-1").zone("eu-west-1a");

        assertThat(ok.weightWarning(0).build().weightWarning()).isZero();
        assertInvalid(() -> ok.weightWarning(-1).build(), "weightWarning", -1, "must be between 0 and 65535");
        assertInvalid(() -> ok.weightWarning(1).weightPassing(0).build(), "weightPassing", 0,
                "must be between 1 and 65535");
    }

    @Test
    void theNewRegistryAndAgentSettingsAreChecked() {
        rejects(b -> b.maxStale(Duration.ofDays(2)), "maxStale", Duration.ofDays(2), "must be between 0s and 1d");
        rejects(b -> b.addressMode(null), "addressMode", null, "must be set");
        rejects(b -> b.namespace(" team"), "namespace", " team", "must be a non-blank name without surrounding spaces");
        assertInvalid(() -> ConsulAgentConfig.builder().environment(Map.of()).maxConnections(0).build(),
                "maxConnections", 0, "must be between 1 and 10000");
        assertInvalid(() -> ConsulAgentConfig.builder().environment(Map.of()).datacenters("dc1", "dc2")
                .peers(List.of("eu")).maxConnections(2).build(), "maxConnections", 2, "must be at least the number of"
                + " datacenters and peers watched through this agent (3): each watched service holds one blocking query"
                + " per datacenter");
        assertInvalid(() -> ConsulAgentConfig.builder().environment(Map.of()).datacenters("dc1").peers(List.of("dc1"))
                .build(), "peers", List.of("dc1"), "must not name a datacenter of this agent (dc1)");
    }

    @Test
    void aTimingAboveItsBoundBlamesTheSettingThatWasGiven() {
        ConsulRegistrationConfig.Builder ok = ConsulRegistrationConfig.builder("checkout").address("10.0.0.1")
                .port(8080).region("eu-west-1").zone("eu-west-1a");
        assertInvalid(() -> ok.checkInterval(Duration.ofSeconds(2)).build(), "checkInterval", Duration.ofSeconds(2),
                "must be at least the check timeout (5s)");
        assertInvalid(() -> ok.checkTimeout(Duration.ofSeconds(3)).build(), "checkTimeout", Duration.ofSeconds(3),
                "must be at most the check interval (2s)");
        ConsulRegistrationConfig.Builder retries = ConsulRegistrationConfig.builder("checkout").address("10.0.0.1")
                .port(8080).region("eu-west-1").zone("eu-west-1a");
        assertInvalid(() -> retries.retryInitial(Duration.ofMinutes(1)).build(), "retryInitial", Duration.ofMinutes(1),
                "must be at most the largest retry delay (30s)");
        assertInvalid(() -> retries.retryMax(Duration.ofSeconds(10)).build(), "retryMax", Duration.ofSeconds(10),
                "must be at least the initial retry delay (1m)");
    }

    @Test
    void watchingMoreServicesThanConfiguredIsRefusedNamingTheProperty() {
        try (ConsulRegistry registry = ConsulRegistry.create(ConsulConfig.builder()
                .agent(Configs.agent("http://127.0.0.1:1", "dc1")).maxServices(1).build())) {
            registry.subscribe("a", set -> { });
            registry.subscribe("a", set -> { });

            assertThatThrownBy(() -> registry.subscribe("b", set -> { })).isInstanceOf(IllegalStateException.class)
                    .hasMessage("maxServices must be at least 2 to watch service 'b', but was 1");
        }
    }
}
