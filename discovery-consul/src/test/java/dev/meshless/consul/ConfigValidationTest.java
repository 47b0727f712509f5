package dev.meshless.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.consul.testing.Configs;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Configuration is validated when built, with messages that name the property, the rule and the value. */
class ConfigValidationTest {

    private static void rejects(Consumer<ConsulConfig.Builder> change, String message) {
        ConsulConfig.Builder b = ConsulConfig.builder().agent(Configs.agent("http://127.0.0.1:8500"));
        change.accept(b);
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void registryPropertiesNameTheRuleAndTheValue() {
        rejects(b -> b.wait(Duration.ofMinutes(11)), "wait must be between 1s and 10m, but was 11m");
        rejects(b -> b.rateLimitBurst(0), "rateLimitBurst must be between 1 and 100, but was 0");
        rejects(b -> b.rateLimitInterval(Duration.ZERO), "rateLimitInterval must be between 1ms and 10m, but was 0s");
        rejects(b -> b.errorBackoffInitial(Duration.ofSeconds(5)).errorBackoffMax(Duration.ofSeconds(2)),
                "errorBackoffMax must be between 5s and 1h, but was 2s");
        rejects(b -> b.maxEndpoints(0), "maxEndpoints must be between 1 and 1000000, but was 0");
        rejects(b -> b.maxResponseBytes(10), "maxResponseBytes must be between 1024 and 1073741824, but was 10");
        rejects(b -> b.maxServices(0), "maxServices must be between 1 and 10000, but was 0");
        rejects(b -> b.zoneMetadataKey(" zone"),
                "zoneMetadataKey must be a non-blank name without surrounding spaces, but was ' zone'");
        rejects(b -> b.region("dc1", ""), "regions.dc1 must be a non-blank name without surrounding spaces, but was ''");
        rejects(b -> b.snapshotWriteDelay(Duration.ofMinutes(-1)), "snapshotWriteDelay must be between 0s and 1h, "
                + "but was -1m");
    }

    @Test
    void agentPropertiesNameTheRuleAndTheValue() {
        assertThatThrownBy(() -> ConsulAgentConfig.builder().environment(Map.of()).address("ftp://consul:21").build())
                .hasMessage("address must be an http or https URL of a host and port, but was 'ftp://consul:21'");
        assertThatThrownBy(() -> ConsulAgentConfig.builder().environment(Map.of())
                .address("unix:///var/run/consul.sock").build())
                .hasMessageStartingWith("address must be an http or https URL");
        assertThatThrownBy(() -> ConsulAgentConfig.builder().environment(Map.of()).tokenFile(Path.of("/nope/token"))
                .build()).hasMessage("tokenFile must be a readable file, but was '/nope/token'");
        assertThatThrownBy(() -> ConsulAgentConfig.builder().environment(Map.of("CONSUL_CACERT", "/nope/ca.pem"))
                .build()).hasMessage("caCert must be a readable file, but was '/nope/ca.pem'");
        Path cert = Path.of("src/test/resources/tls/client.pem");
        assertThatThrownBy(() -> ConsulAgentConfig.builder().environment(Map.of()).clientCert(cert).build())
                .hasMessage("clientKey must be set together with clientCert, but was unset while clientCert is '"
                        + cert + "'");
        assertThatThrownBy(() -> ConsulAgentConfig.builder().environment(Map.of()).datacenters("dc1", "dc1").build())
                .hasMessage("datacenters must not repeat a name, but was [dc1, dc1]");
        assertThatThrownBy(() -> ConsulAgentConfig.builder().environment(Map.of())
                .requestTimeout(Duration.ZERO).build()).hasMessage("requestTimeout must be between 1ms and 10m, "
                + "but was 0s");
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
    void registrationPropertiesNameTheRuleAndTheValue() {
        ConsulRegistrationConfig.Builder ok = ConsulRegistrationConfig.builder("checkout").address("10.0.0.1")
                .port(8080).region("eu-west-1").zone("eu-west-1a");
        assertThat(ok.build().instanceId()).isEqualTo("checkout-10.0.0.1-8080");
        assertThat(ok.build().heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ok.build().meta()).containsEntry("region", "eu-west-1").containsEntry("zone", "eu-west-1a");

        assertThatThrownBy(() -> ConsulRegistrationConfig.builder("checkout").address("10.0.0.1").port(0).build())
                .hasMessage("port must be between 1 and 65535, but was 0");
        assertThatThrownBy(() -> ConsulRegistrationConfig.builder("checkout").address("10.0.0.1").port(80)
                .region("eu-west-1").build())
                .hasMessage("zone must be a non-blank name without surrounding spaces, but was null");
        assertThatThrownBy(() -> ok.heartbeatInterval(Duration.ofSeconds(30)).build())
                .hasMessage("heartbeatInterval must be at least 100ms and shorter than ttl (30s), but was 30s");
        assertThatThrownBy(() -> ok.heartbeatInterval(null).deregisterCriticalAfter(Duration.ofSeconds(30)).build())
                .hasMessage("deregisterCriticalAfter must be between 1m and 7d, but was 30s");
        assertThatThrownBy(() -> ok.deregisterCriticalAfter(Duration.ofMinutes(5)).httpCheck("localhost/health")
                .build()).hasMessage("httpCheck must be an http or https URL, but was 'localhost/health'");
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
