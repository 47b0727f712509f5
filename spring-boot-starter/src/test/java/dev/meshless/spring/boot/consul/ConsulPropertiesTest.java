package dev.meshless.spring.boot.consul;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.config.Specs;
import dev.meshless.consul.ConsulAgentConfig;
import dev.meshless.consul.ConsulConfig;
import dev.meshless.consul.ConsulRegistrationSpec;
import dev.meshless.consul.ConsulSpec;
import dev.meshless.consul.testing.Configs;
import dev.meshless.consul.testing.ConsulSimulator;
import dev.meshless.spring.boot.MeshlessBinding;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code meshless.consul.*} binds to discovery-consul's {@link ConsulSpec} and reaches the running
 * registry and registration; what is left out keeps the library's defaults, which the metadata shows.
 */
class ConsulPropertiesTest {

    private ConsulSimulator consul;

    @BeforeEach
    void start() {
        consul = ConsulSimulator.start("dc1", "dc2");
    }

    @AfterEach
    void stop() {
        consul.close();
    }

    @Test
    void everyRegistryPropertyReachesTheConfigurationOfTheRunningRegistry(@TempDir Path dir) throws IOException {
        Path tokenFile = Files.writeString(dir.resolve("token"), "from-a-file");
        ConsulContexts.runner(consul.address()).withPropertyValues(
                "meshless.consul.agent.datacenters=dc1,dc2",
                "meshless.consul.agent.token=s3cr3t",
                "meshless.consul.agent.connect-timeout=2s",
                "meshless.consul.agent.request-timeout=3s",
                "meshless.consul.clusters.eu.address=https://consul.eu.example:8501",
                "meshless.consul.clusters.eu.datacenters=eu-1",
                "meshless.consul.clusters.eu.token-file=" + tokenFile,
                "meshless.consul.clusters.eu.request-timeout=4s",
                "meshless.consul.clusters.ap.address=10.9.0.1:8500",
                "meshless.consul.clusters.ap.datacenters=ap-1",
                "meshless.consul.regions.eu-1=eu-west-1",
                "meshless.consul.zone-metadata-key=az",
                "meshless.consul.wait=2m",
                "meshless.consul.stale=false",
                "meshless.consul.passing-only=true",
                "meshless.consul.filter=Service.Meta.env == \"prod\"",
                "meshless.consul.rate-limit-burst=3",
                "meshless.consul.datacenter-refresh-interval=30s",
                "meshless.consul.max-endpoints=100",
                "meshless.consul.max-response-bytes=2MB",
                "meshless.consul.max-services=10",
                "meshless.consul.snapshot-file=" + dir.resolve("view.snapshot"),
                "meshless.consul.snapshot-max-bytes=512KB",
                "meshless.consul.snapshot-write-delay=1s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ConsulConfig c = context.getBean(ConsulContributor.class).registry().config();
                    assertThat(c.agent().address()).isEqualTo(URI.create(consul.address()));
                    assertThat(c.agent().datacenters()).containsExactly("dc1", "dc2");
                    assertThat(c.agent().hasToken()).isTrue();
                    assertThat(c.agent().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(c.agent().requestTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(c.clusters()).containsOnlyKeys("eu", "ap");
                    assertThat(c.clusters().keySet()).as("configuration order").containsExactly("eu", "ap");
                    ConsulAgentConfig eu = c.clusters().get("eu");
                    assertThat(eu.address()).isEqualTo(URI.create("https://consul.eu.example:8501"));
                    assertThat(eu.datacenters()).containsExactly("eu-1");
                    assertThat(eu.tokenFile()).isEqualTo(tokenFile);
                    assertThat(eu.requestTimeout()).isEqualTo(Duration.ofSeconds(4));
                    assertThat(c.clusters().get("ap").address()).isEqualTo(URI.create("http://10.9.0.1:8500"));
                    assertThat(c.regionOf("dc1")).isEqualTo("r1");
                    assertThat(c.regionOf("dc2")).isEqualTo("r2");
                    assertThat(c.regionOf("eu-1")).isEqualTo("eu-west-1");
                    assertThat(c.regionOf("ap-1")).as("unlisted: its own name").isEqualTo("ap-1");
                    assertThat(c.zoneMetadataKey()).isEqualTo("az");
                    assertThat(c.waitTime()).isEqualTo(Duration.ofMinutes(2));
                    assertThat(c.stale()).isFalse();
                    assertThat(c.passingOnly()).isTrue();
                    assertThat(c.filter()).isEqualTo("Service.Meta.env == \"prod\"");
                    assertThat(c.rateLimitBurst()).isEqualTo(3);
                    assertThat(c.rateLimitInterval()).isEqualTo(Duration.ofMillis(50));
                    assertThat(c.errorBackoffInitial()).isEqualTo(Duration.ofMillis(50));
                    assertThat(c.errorBackoffMax()).isEqualTo(Duration.ofMillis(200));
                    assertThat(c.emptyConfirmationDelay()).isEqualTo(Duration.ofMillis(20));
                    assertThat(c.datacenterRefreshInterval()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(c.maxEndpoints()).isEqualTo(100);
                    assertThat(c.maxResponseBytes()).isEqualTo(2L << 20);
                    assertThat(c.maxServices()).isEqualTo(10);
                    assertThat(c.snapshotFile()).isEqualTo(dir.resolve("view.snapshot"));
                    assertThat(c.snapshotMaxBytes()).isEqualTo(512L << 10);
                    assertThat(c.snapshotWriteDelay()).isEqualTo(Duration.ofSeconds(1));
                });
    }

    @Test
    void everyRegistrationPropertyReachesTheRegistration() {
        ConsulContexts.runner(consul.address()).withPropertyValues(
                "meshless.consul.zone-metadata-key=az",
                "meshless.consul.registration.service-name=checkout-api",
                "meshless.consul.registration.instance-id=checkout-1",
                "meshless.consul.registration.address=10.4.4.4",
                "meshless.consul.registration.port=8443",
                "meshless.consul.registration.region=eu-west-1",
                "meshless.consul.registration.zone=eu-west-1c",
                "meshless.consul.registration.tags=blue,canary",
                "meshless.consul.registration.meta.version=1.4.2",
                "meshless.consul.registration.region-metadata-key=dc-region",
                "meshless.consul.registration.ttl=20s",
                "meshless.consul.registration.heartbeat-interval=5s",
                "meshless.consul.registration.http-check=http://10.4.4.4:8081/actuator/health",
                "meshless.consul.registration.check-interval=7s",
                "meshless.consul.registration.check-timeout=2s",
                "meshless.consul.registration.deregister-critical-after=2m",
                "meshless.consul.registration.weight-passing=10",
                "meshless.consul.registration.weight-warning=2",
                "meshless.consul.registration.startup-timeout=3s",
                "meshless.consul.registration.retry-initial=100ms",
                "meshless.consul.registration.retry-max=5s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ConsulRegistrationSpec r = context.getBean(ConsulSpec.class).getRegistration();
                    assertThat(r.getHeartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(r.getStartupTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(r.getRetryInitial()).isEqualTo(Duration.ofMillis(100));
                    assertThat(r.getRetryMax()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(r.getTtl()).isEqualTo(Duration.ofSeconds(20));
                    Map<String, Object> d = context.getBean(ConsulSelfRegistration.class).registration().definition();
                    assertThat(d).containsEntry("ID", "checkout-1").containsEntry("Name", "checkout-api")
                            .containsEntry("Address", "10.4.4.4").containsEntry("Port", 8443)
                            .containsEntry("Tags", List.of("blue", "canary"))
                            .containsEntry("Meta", Map.of("version", "1.4.2", "dc-region", "eu-west-1",
                                    "az", "eu-west-1c"))
                            .containsEntry("Weights", Map.of("Passing", 10, "Warning", 2));
                    assertThat(d.get("Check")).asInstanceOf(InstanceOfAssertFactories.MAP)
                            .containsEntry("HTTP", "http://10.4.4.4:8081/actuator/health")
                            .containsEntry("Interval", "7s").containsEntry("Timeout", "2s")
                            .containsEntry("DeregisterCriticalServiceAfter", "120s");
                });
    }

    @Test
    void nameAddressRegionAndZoneDefaultToWhatTheApplicationKnows() {
        ConsulContexts.runner(consul.address()).withPropertyValues("meshless.consul.registration.port=8080",
                "spring.cloud.client.ip-address=10.1.2.3").run(context -> {
                    Map<String, Object> d = context.getBean(ConsulSelfRegistration.class).registration().definition();
                    assertThat(d).containsEntry("Name", "checkout").containsEntry("Address", "10.1.2.3")
                            .containsEntry("ID", "checkout-10.1.2.3-8080")
                            .containsEntry("Meta", Map.of("region", "r1", "zone", "r1-a"));
                });
    }

    @Test
    void theConsulVariablesAreReadThroughSpringsEnvironment() {
        new org.springframework.boot.test.context.runner.ApplicationContextRunner()
                .withConfiguration(org.springframework.boot.autoconfigure.AutoConfigurations.of(
                        dev.meshless.spring.boot.MeshlessAutoConfiguration.class,
                        MeshlessConsulAutoConfiguration.class))
                .withPropertyValues(ConsulContexts.CALLER.toArray(new String[0]))
                .withPropertyValues("CONSUL_HTTP_ADDR=" + consul.address(), "CONSUL_HTTP_TOKEN=t0ken")
                .run(context -> {
                    ConsulAgentConfig agent = context.getBean(ConsulContributor.class).registry().config().agent();
                    assertThat(agent.address()).isEqualTo(URI.create(consul.address()));
                    assertThat(agent.hasToken()).isTrue();
                });
    }

    @Test
    void everyDefaultInTheMetadataIsTheLibrarysDefault() throws IOException {
        Map<String, Object> unset = configs(bind());
        List<String> checked = new ArrayList<>();
        for (JsonNode p : metadata().get("properties")) {
            String name = p.get("name").asString();
            JsonNode value = p.get("defaultValue");
            if (!name.startsWith(MeshlessConsulAutoConfiguration.PREFIX + ".") || value == null) {
                continue;
            }
            Map<String, Object> set = configs(bind(name + "=" + value.asString()));
            assertThat(set).as("%s set to its default %s", name, value).isEqualTo(unset);
            checked.add(name);
        }
        assertThat(checked).as("properties with a default").hasSizeGreaterThanOrEqualTo(27)
                .contains("meshless.consul.wait", "meshless.consul.max-response-bytes",
                        "meshless.consul.agent.request-timeout", "meshless.consul.registration.ttl",
                        "meshless.consul.zone-metadata-key", "meshless.consul.registration.region-metadata-key");
    }

    /** The registry's and the registration's configuration, for a registration with a name, address and locality. */
    private static Map<String, Object> configs(ConsulSpec spec) {
        ConsulSpec known = new ConsulSpec();
        known.getRegistration().setServiceName("checkout");
        known.getRegistration().setAddress("10.1.2.3");
        known.getRegistration().setPort(8080);
        known.getRegistration().setRegion("r1");
        known.getRegistration().setZone("r1-a");
        return Map.of("registry", Configs.describe(spec.toConfig(name -> null)),
                "registration", Configs.describe(Specs.merge(spec, known).toRegistrationConfig()));
    }

    private static JsonNode metadata() throws IOException {
        try (InputStream in = ConsulPropertiesTest.class.getResourceAsStream(
                "/META-INF/spring-configuration-metadata.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    /** Binds properties as Spring Boot does ({@code 2MB}, {@code 5m}, paths, lists, maps). */
    static ConsulSpec bind(String... pairs) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return new Binder(List.of(new MapConfigurationPropertySource(values)), null,
                MeshlessBinding.conversionService())
                .bind(MeshlessConsulAutoConfiguration.PREFIX, ConsulSpec.class).orElseGet(ConsulSpec::new);
    }
}
