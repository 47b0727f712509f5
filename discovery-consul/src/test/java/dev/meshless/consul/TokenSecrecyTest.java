package dev.meshless.consul;

import static dev.meshless.consul.testing.Catalog.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshless.consul.micrometer.MicrometerConsulMetrics;
import dev.meshless.consul.testing.Catalog;
import dev.meshless.consul.testing.ConsulSimulator;
import dev.meshless.consul.testing.Configs;
import dev.meshless.consul.testing.LogCapture;
import dev.meshless.consul.testing.Recorder;
import dev.meshless.topology.HealthStatus;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ACL token travels only in the {@code X-Consul-Token} header and never shows up in logs (at
 * DEBUG), exception messages, metrics, the status output or configuration printouts — also when
 * the agent echoes it back in an error.
 */
class TokenSecrecyTest {

    private static final String TOKEN = "b1gs3cr3t-7c1e-4f0a-9d5e-acl-token";

    private final ConsulSimulator sim = ConsulSimulator.start("dc1", "dc2");
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void theTokenIsSentAsAHeaderOnlyAndAppearsNowhereElse() {
        new Catalog(sim.address()).register(instance("dc1", "n1", "inventory", "a"));
        sim.requireToken(TOKEN);
        List<String> surfaces = new ArrayList<>();
        ConsulAgentConfig agent = ConsulAgentConfig.builder().environment(Map.of()).address(sim.address())
                .token(TOKEN).requestTimeout(Duration.ofSeconds(2)).build();
        MicrometerConsulMetrics metrics = new MicrometerConsulMetrics(meters);
        try (LogCapture logs = new LogCapture()) {
            ConsulConfig config = Configs.fast(sim.address()).agent(agent).build();
            ConsulRegistry registry = ConsulRegistry.builder(config).metrics(metrics).build();
            Recorder rec = new Recorder();
            registry.subscribe("inventory", rec);
            await().atMost(Duration.ofSeconds(5)).until(() -> rec.ids().size() == 1);

            ConsulClient client = ConsulClient.create(agent, 1 << 20, 100, metrics);
            ConsulRegistration registration = ConsulRegistration.create(client, ConsulRegistrationConfig
                    .builder("checkout").address("127.0.0.1").port(9000).region("dc1").zone("dc1-a").build());
            assertThat(registration.start()).isTrue();
            registration.status(HealthStatus.WARNING, "draining");

            // The agent now rejects the token, echoing it back in its error text.
            sim.failHealth(403, "ACL not found: token " + TOKEN + " is unknown");
            sim.requireToken(null); // the test's own catalog writes carry no token
            new Catalog(sim.address()).register(instance("dc1", "n2", "inventory", "b"));
            sim.requireToken(TOKEN);
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.status().stream()
                    .anyMatch(s -> s.consecutiveErrors() > 0));
            sim.requireToken("another-token");
            assertThatThrownBy(() -> client.services("dc1")).isInstanceOfSatisfying(ConsulException.class, e -> {
                surfaces.add(e.getMessage());
                surfaces.add(String.valueOf(e.getCause()));
            });
            registration.close();
            registry.close();

            surfaces.add(logs.text());
            surfaces.add(registry.status().toString());
            surfaces.add(String.valueOf(registry));
            surfaces.add(config.toString());
            surfaces.add(agent.toString());
            for (Meter m : meters.getMeters()) {
                surfaces.add(m.getId().toString());
            }
            assertThat(logs.text()).contains("ACL not found: token <redacted> is unknown");
        }

        assertThat(surfaces).isNotEmpty().allSatisfy(text -> assertThat(text).doesNotContain(TOKEN));
        assertThat(sim.requests()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.token()).isIn(TOKEN, null);
            assertThat(r.query().toString()).doesNotContain(TOKEN);
        });
        assertThat(sim.requests()).filteredOn(r -> r.path().startsWith("/v1/health/"))
                .allSatisfy(r -> assertThat(r.token()).isEqualTo(TOKEN));
    }

    @Test
    void aTokenFileIsReadFromTheEnvironmentAndReadAgainWhenItChanges() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "first-token\n");
        ConsulAgentConfig agent = ConsulAgentConfig.builder().address(sim.address())
                .environment(Map.of("CONSUL_HTTP_TOKEN_FILE", file.toString())).build();
        ConsulClient client = ConsulClient.create(agent);

        client.datacenters();
        Files.writeString(file, "second-token\n");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
                + 5_000));
        client.datacenters();

        assertThat(agent.hasToken()).isTrue();
        assertThat(agent.toString()).doesNotContain("first-token");
        assertThat(sim.requests()).extracting(ConsulSimulator.Request::token)
                .containsExactly("first-token", "second-token");
    }

    @Test
    void theEnvironmentTokenIsUsedUnlessConfigurationGivesOne() {
        ConsulAgentConfig fromEnv = ConsulAgentConfig.builder().address(sim.address())
                .environment(Map.of("CONSUL_HTTP_TOKEN", "env-token")).build();
        ConsulAgentConfig configured = ConsulAgentConfig.builder().address(sim.address()).token("config-token")
                .environment(Map.of("CONSUL_HTTP_TOKEN", "env-token")).build();

        ConsulClient.create(fromEnv).datacenters();
        ConsulClient.create(configured).datacenters();

        assertThat(sim.requests()).extracting(ConsulSimulator.Request::token)
                .containsExactly("env-token", "config-token");
        assertThat(fromEnv.toString()).contains("token=<set>").doesNotContain("env-token");
    }
}
