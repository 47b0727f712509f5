package dev.meshless.spring.boot.consul;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.consul.ConsulAgentConfig;
import dev.meshless.consul.ConsulConfig;
import dev.meshless.consul.ConsulRegistrationConfig;
import dev.meshless.consul.testing.ConsulSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** {@code meshless.consul.*} maps 1:1 onto discovery-consul's configuration; what is left out keeps its defaults. */
class ConsulPropertiesTest {

    private static final ConsulConfigs.RegistrationDefaults DEFAULTS = new ConsulConfigs.RegistrationDefaults(
            "checkout", "spring.application.name", "10.1.2.3", "r1", "r1-a");

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
        MeshlessConsulProperties p = bind(
                "meshless.consul.zone-metadata-key=az",
                "meshless.consul.registration.service-name=checkout-api",
                "meshless.consul.registration.instance-id=checkout-1",
                "meshless.consul.registration.address=10.4.4.4",
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
                "meshless.consul.registration.retry-max=5s");

        ConsulRegistrationConfig r = ConsulConfigs.registration(p, DEFAULTS, 8443);

        assertThat(r.serviceName()).isEqualTo("checkout-api");
        assertThat(r.instanceId()).isEqualTo("checkout-1");
        assertThat(r.address()).isEqualTo("10.4.4.4");
        assertThat(r.port()).isEqualTo(8443);
        assertThat(r.region()).isEqualTo("eu-west-1");
        assertThat(r.zone()).isEqualTo("eu-west-1c");
        assertThat(r.tags()).containsExactly("blue", "canary");
        assertThat(r.meta()).containsExactlyInAnyOrderEntriesOf(Map.of("version", "1.4.2", "dc-region", "eu-west-1",
                "az", "eu-west-1c"));
        assertThat(r.ttl()).isEqualTo(Duration.ofSeconds(20));
        assertThat(r.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(r.httpCheck()).isEqualTo("http://10.4.4.4:8081/actuator/health");
        assertThat(r.checkInterval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(r.checkTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(r.deregisterCriticalAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(r.weightPassing()).isEqualTo(10);
        assertThat(r.weightWarning()).isEqualTo(2);
        assertThat(r.startupTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(r.retryInitial()).isEqualTo(Duration.ofMillis(100));
        assertThat(r.retryMax()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void nameAddressRegionAndZoneDefaultToWhatTheApplicationKnows() {
        ConsulRegistrationConfig r = ConsulConfigs.registration(bind(), DEFAULTS, 8080);

        assertThat(r.serviceName()).isEqualTo("checkout");
        assertThat(r.address()).isEqualTo("10.1.2.3");
        assertThat(r.instanceId()).isEqualTo("checkout-10.1.2.3-8080");
        assertThat(r.meta()).containsExactlyInAnyOrderEntriesOf(Map.of("region", "r1", "zone", "r1-a"));
    }

    @Test
    void theLocalAgentFallsBackOnTheConsulVariablesAndAClusterDoesNot() {
        Map<String, String> env = Map.of("CONSUL_HTTP_ADDR", "10.0.0.5:8500", "CONSUL_HTTP_SSL", "true",
                "CONSUL_HTTP_TOKEN", "local-token");
        MeshlessConsulProperties p = bind("meshless.consul.clusters.eu.address=http://10.9.0.1:8500");

        ConsulConfig c = ConsulConfigs.registry(p, env::get);

        assertThat(c.agent().address()).isEqualTo(URI.create("https://10.0.0.5:8500"));
        assertThat(c.agent().hasToken()).isTrue();
        assertThat(c.clusters().get("eu").hasToken()).as("the local token never goes to another cluster").isFalse();

        ConsulConfig off = ConsulConfigs.registry(bind("meshless.consul.agent.read-environment=false"), env::get);
        assertThat(off.agent().address()).isEqualTo(URI.create(ConsulAgentConfig.DEFAULT_ADDRESS));
        assertThat(off.agent().hasToken()).isFalse();

        ConsulConfig configured = ConsulConfigs.registry(bind("meshless.consul.agent.address=http://10.7.7.7:8500"),
                env::get);
        assertThat(configured.agent().address()).as("a property wins over the variable")
                .isEqualTo(URI.create("http://10.7.7.7:8500"));
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
    void everyDocumentedDefaultIsTheLibrarysDefault() throws IOException {
        Pattern documented = Pattern.compile("Default (\\S+)\\.(?:\\s|$)");
        Map<String, Object> unset = describe(configs(bind()));
        List<String> checked = new ArrayList<>();
        for (JsonNode p : metadata().get("properties")) {
            String name = p.get("name").asString();
            Matcher m = documented.matcher(p.path("description").asString(""));
            if (!name.startsWith(MeshlessConsulProperties.PREFIX + ".") || !m.find()) {
                continue;
            }
            Map<String, Object> set = describe(configs(bind(name + "=" + m.group(1))));
            assertThat(set).as("%s set to its documented default %s", name, m.group(1)).isEqualTo(unset);
            checked.add(name);
        }
        assertThat(checked).as("properties with a documented default").hasSizeGreaterThanOrEqualTo(27)
                .contains("meshless.consul.wait", "meshless.consul.max-response-bytes",
                        "meshless.consul.agent.request-timeout", "meshless.consul.registration.ttl",
                        "meshless.consul.zone-metadata-key", "meshless.consul.registration.region-metadata-key");
    }

    private static List<Object> configs(MeshlessConsulProperties p) {
        return List.of(ConsulConfigs.registry(p, name -> null), ConsulConfigs.registration(p, DEFAULTS, 8080));
    }

    /** Every accessor of the configurations, recursively, so that two of them can be compared. */
    private static Map<String, Object> describe(Object config) {
        Map<String, Object> out = new TreeMap<>();
        if (config instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                out.put(Integer.toString(i), describe(list.get(i)));
            }
            return out;
        }
        for (Method m : config.getClass().getMethods()) {
            if (m.getParameterCount() > 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class
                    || m.getName().equals("toString") || m.getName().equals("hashCode")) {
                continue;
            }
            try {
                Object value = m.invoke(config);
                out.put(m.getName(), value instanceof ConsulAgentConfig agent ? describe(agent) : value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static JsonNode metadata() throws IOException {
        try (InputStream in = ConsulPropertiesTest.class.getResourceAsStream(
                "/META-INF/spring-configuration-metadata.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    /** Binds properties as Spring Boot does ({@code 2MB}, {@code 5m}, paths, lists, maps). */
    static MeshlessConsulProperties bind(String... pairs) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return new Binder(List.of(new MapConfigurationPropertySource(values)), null,
                ApplicationConversionService.getSharedInstance())
                .bind(MeshlessConsulProperties.PREFIX, MeshlessConsulProperties.class)
                .orElseGet(MeshlessConsulProperties::new);
    }
}
