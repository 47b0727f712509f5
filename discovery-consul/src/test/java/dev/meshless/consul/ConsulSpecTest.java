package dev.meshless.consul;

import static dev.meshless.testing.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.config.ByteSize;
import dev.meshless.config.Specs;
import dev.meshless.consul.testing.Configs;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The specifications map onto the configuration builders in one place: what is set reaches the
 * configuration, what is left out keeps the defaults, and a bad value is named by its path in the
 * specification, nested ones included.
 */
class ConsulSpecTest {

    private static final UnaryOperator<String> NO_VARIABLES = name -> null;

    private static ConsulAgentSpec agent(String address) {
        ConsulAgentSpec a = new ConsulAgentSpec();
        a.setAddress(address);
        return a;
    }

    private static ConsulSpec withCluster(String name, ConsulAgentSpec cluster) {
        ConsulSpec spec = new ConsulSpec();
        spec.setClusters(new LinkedHashMap<>(Map.of(name, cluster)));
        return spec;
    }

    /** What an application knows about itself, layered under the registration's own settings. */
    private static ConsulSpec application() {
        ConsulSpec known = new ConsulSpec();
        ConsulRegistrationSpec r = known.getRegistration();
        r.setServiceName("checkout");
        r.setAddress("10.1.2.3");
        r.setPort(8080);
        r.setRegion("r1");
        r.setZone("r1-a");
        return known;
    }

    @Test
    void everyRegistrySettingReachesTheConfiguration() {
        ConsulSpec spec = withCluster("eu", agent("https://consul.eu.example:8501"));
        spec.getClusters().get("eu").setDatacenters(List.of("eu-1"));
        spec.getClusters().get("eu").setRequestTimeout(Duration.ofSeconds(4));
        spec.getAgent().setAddress("10.0.0.5:8500");
        spec.getAgent().setDatacenters(List.of("dc1", "dc2"));
        spec.getAgent().setConnectTimeout(Duration.ofSeconds(2));
        spec.setRegions(Map.of("eu-1", "eu-west-1"));
        spec.setZoneMetadataKey("az");
        spec.setWait(Duration.ofMinutes(2));
        spec.setStale(false);
        spec.setPassingOnly(true);
        spec.setFilter("Service.Meta.env == \"prod\"");
        spec.setRateLimitBurst(3);
        spec.setRateLimitInterval(Duration.ofSeconds(5));
        spec.setErrorBackoffInitial(Duration.ofMillis(500));
        spec.setErrorBackoffMax(Duration.ofSeconds(30));
        spec.setEmptyConfirmationDelay(Duration.ofMillis(200));
        spec.setDatacenterRefreshInterval(Duration.ofSeconds(30));
        spec.setMaxEndpoints(100);
        spec.setMaxResponseBytes(ByteSize.valueOf("2MB"));
        spec.setMaxServices(10);
        spec.setSnapshotFile(Path.of("view.snapshot"));
        spec.setSnapshotMaxBytes(ByteSize.valueOf("512KB"));
        spec.setSnapshotWriteDelay(Duration.ofSeconds(1));

        ConsulConfig c = spec.toConfig(NO_VARIABLES);

        assertThat(c.agent().address()).isEqualTo(URI.create("http://10.0.0.5:8500"));
        assertThat(c.agent().datacenters()).containsExactly("dc1", "dc2");
        assertThat(c.agent().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.clusters().get("eu").address()).isEqualTo(URI.create("https://consul.eu.example:8501"));
        assertThat(c.clusters().get("eu").datacenters()).containsExactly("eu-1");
        assertThat(c.clusters().get("eu").requestTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(c.regionOf("eu-1")).isEqualTo("eu-west-1");
        assertThat(c.zoneMetadataKey()).isEqualTo("az");
        assertThat(c.waitTime()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.stale()).isFalse();
        assertThat(c.passingOnly()).isTrue();
        assertThat(c.filter()).isEqualTo("Service.Meta.env == \"prod\"");
        assertThat(c.rateLimitBurst()).isEqualTo(3);
        assertThat(c.rateLimitInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.errorBackoffInitial()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.errorBackoffMax()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.emptyConfirmationDelay()).isEqualTo(Duration.ofMillis(200));
        assertThat(c.datacenterRefreshInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxEndpoints()).isEqualTo(100);
        assertThat(c.maxResponseBytes()).isEqualTo(2L << 20);
        assertThat(c.maxServices()).isEqualTo(10);
        assertThat(c.snapshotFile()).isEqualTo(Path.of("view.snapshot"));
        assertThat(c.snapshotMaxBytes()).isEqualTo(512L << 10);
        assertThat(c.snapshotWriteDelay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void everyRegistrationSettingReachesTheRegistration() {
        ConsulSpec spec = new ConsulSpec();
        spec.setZoneMetadataKey("az");
        ConsulRegistrationSpec r = spec.getRegistration();
        r.setServiceName("checkout-api");
        r.setInstanceId("checkout-1");
        r.setAddress("10.4.4.4");
        r.setPort(8443);
        r.setRegion("eu-west-1");
        r.setZone("eu-west-1c");
        r.setTags(List.of("blue", "canary"));
        r.setMeta(Map.of("version", "1.4.2"));
        r.setRegionMetadataKey("dc-region");
        r.setTtl(Duration.ofSeconds(20));
        r.setHeartbeatInterval(Duration.ofSeconds(5));
        r.setHttpCheck("http://10.4.4.4:8081/actuator/health");
        r.setCheckInterval(Duration.ofSeconds(7));
        r.setCheckTimeout(Duration.ofSeconds(2));
        r.setDeregisterCriticalAfter(Duration.ofMinutes(2));
        r.setWeightPassing(10);
        r.setWeightWarning(2);
        r.setStartupTimeout(Duration.ofSeconds(3));
        r.setRetryInitial(Duration.ofMillis(100));
        r.setRetryMax(Duration.ofSeconds(5));

        ConsulRegistrationConfig c = spec.toRegistrationConfig();

        assertThat(c.serviceName()).isEqualTo("checkout-api");
        assertThat(c.instanceId()).isEqualTo("checkout-1");
        assertThat(c.address()).isEqualTo("10.4.4.4");
        assertThat(c.port()).isEqualTo(8443);
        assertThat(c.region()).isEqualTo("eu-west-1");
        assertThat(c.zone()).isEqualTo("eu-west-1c");
        assertThat(c.tags()).containsExactly("blue", "canary");
        assertThat(c.meta()).containsExactlyInAnyOrderEntriesOf(Map.of("version", "1.4.2", "dc-region", "eu-west-1",
                "az", "eu-west-1c"));
        assertThat(c.ttl()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.httpCheck()).isEqualTo("http://10.4.4.4:8081/actuator/health");
        assertThat(c.checkInterval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(c.checkTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.deregisterCriticalAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.weightPassing()).isEqualTo(10);
        assertThat(c.weightWarning()).isEqualTo(2);
        assertThat(c.startupTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.retryInitial()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.retryMax()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theBuiltInSettingsAreTheBuildersDefaults() {
        ConsulSpec builtIn = Specs.merge(application(), ConsulSpec.builtIn());
        ConsulSpec nothingSet = application();

        assertThat(Configs.describe(builtIn.toConfig(NO_VARIABLES)))
                .isEqualTo(Configs.describe(nothingSet.toConfig(NO_VARIABLES)));
        assertThat(Configs.describe(builtIn.toRegistrationConfig()))
                .isEqualTo(Configs.describe(nothingSet.toRegistrationConfig()));
    }

    @Test
    void whatTheApplicationKnowsFillsOnlyWhatTheRegistrationLeavesOut() {
        ConsulSpec spec = new ConsulSpec();
        spec.setZoneMetadataKey("az");
        spec.getRegistration().setZone("r1-c");
        spec.getRegistration().setTags(List.of("blue"));

        ConsulRegistrationConfig r = Specs.merge(spec, application()).toRegistrationConfig();

        assertThat(r.serviceName()).isEqualTo("checkout");
        assertThat(r.port()).isEqualTo(8080);
        assertThat(r.zone()).isEqualTo("r1-c");
        assertThat(r.tags()).containsExactly("blue");
        assertThat(r.meta()).containsExactlyInAnyOrderEntriesOf(Map.of("region", "r1", "az", "r1-c"));
    }

    @Test
    void aBadValueIsNamedByItsPathInTheSpecification() {
        ConsulSpec spec = new ConsulSpec();
        spec.setWait(Duration.ofMinutes(11));
        assertInvalid(() -> spec.toConfig(NO_VARIABLES), "wait", Duration.ofMinutes(11), "must be between 1s and 10m");

        ConsulSpec bytes = new ConsulSpec();
        bytes.setMaxResponseBytes(ByteSize.valueOf("100B"));
        assertInvalid(() -> bytes.toConfig(NO_VARIABLES), "maxResponseBytes", ByteSize.ofBytes(100),
                "must be between 1KB and 1GB");

        ConsulSpec regions = new ConsulSpec();
        regions.setRegions(Map.of("dc1", ""));
        assertInvalid(() -> regions.toConfig(NO_VARIABLES), "regions[dc1]", "",
                "must be a non-blank name without surrounding spaces");

        ConsulSpec local = new ConsulSpec();
        local.getAgent().setAddress("ftp://consul:8500");
        assertInvalid(() -> local.toConfig(NO_VARIABLES), "agent.address", "ftp://consul:8500",
                "must be an http or https URL of a host and port");
    }

    @Test
    void aRegistrationMetaKeyConsulWouldRefuseIsNamedByItsPath() {
        ConsulSpec spec = new ConsulSpec();
        spec.getRegistration().setMeta(Map.of("consul-x", "1"));

        assertInvalid(() -> Specs.merge(spec, application()).toRegistrationConfig(), "registration.meta[consul-x]",
                "consul-x", "must not start with 'consul-', which Consul reserves for itself");
    }

    @Test
    void theAddressModeMaxStaleNamespacePeersAndConnectionBudgetReachTheirBuilders() {
        ConsulSpec spec = new ConsulSpec();
        spec.setAddressMode(ConsulConfig.AddressMode.WAN);
        spec.setMaxStale(Duration.ofSeconds(30));
        spec.setNamespace("team-a");
        spec.setPartition("payments");
        spec.getAgent().setPeers(List.of("eu-cluster"));
        spec.getAgent().setMaxConnections(40);

        ConsulConfig c = spec.toConfig(NO_VARIABLES);

        assertThat(c.addressMode()).isEqualTo(ConsulConfig.AddressMode.WAN);
        assertThat(c.maxStale()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.namespace()).isEqualTo("team-a");
        assertThat(c.partition()).isEqualTo("payments");
        assertThat(c.agent().peers()).containsExactly("eu-cluster");
        assertThat(c.agent().maxConnections()).isEqualTo(40);
        ConsulSpec tooFew = new ConsulSpec();
        tooFew.getAgent().setDatacenters(List.of("dc1", "dc2"));
        tooFew.getAgent().setMaxConnections(1);
        assertInvalid(() -> tooFew.toConfig(NO_VARIABLES), "agent.maxConnections", 1, "must be at least the number of"
                + " datacenters and peers watched through this agent (2): each watched service holds one blocking query"
                + " per datacenter");
    }

    @Test
    void aClustersSettingsAreNamedUnderItsName() {
        ConsulAgentSpec eu = agent("10.9.0.1:8500");
        eu.setRequestTimeout(Duration.ZERO);
        assertInvalid(() -> withCluster("eu", eu).toConfig(NO_VARIABLES), "clusters[eu].requestTimeout",
                Duration.ZERO, "must be between 1ms and 10m");

        ConsulAgentSpec noAddress = new ConsulAgentSpec();
        noAddress.setDatacenters(List.of("eu-1"));
        assertInvalid(() -> withCluster("eu", noAddress).toConfig(NO_VARIABLES), "clusters[eu].address", null,
                "must be set: a separate cluster is read through its own agent");

        ConsulAgentSpec repeated = agent("10.9.0.1:8500");
        repeated.setDatacenters(List.of("eu-1", "eu-1"));
        assertInvalid(() -> withCluster("eu", repeated).toConfig(NO_VARIABLES), "clusters[eu].datacenters",
                List.of("eu-1", "eu-1"), "must not repeat a name");
    }

    @Test
    void tlsFilesAreNamedByTheirAgentsPath(@TempDir Path dir) throws Exception {
        ConsulAgentSpec eu = agent("https://consul.eu.example:8501");
        eu.setCaCert(dir.resolve("missing.pem"));
        assertInvalid(() -> withCluster("eu", eu).toConfig(NO_VARIABLES), "clusters[eu].caCert",
                dir.resolve("missing.pem"), "must be a readable file");

        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        eu.setCaCert(notPem);
        eu.setDatacenters(List.of("eu-1"));
        ConsulSpec spec = withCluster("eu", eu);
        spec.getAgent().setDatacenters(List.of("dc1"));
        ConsulConfig config = spec.toConfig(NO_VARIABLES);
        assertInvalid(() -> ConsulRegistry.create(config), "clusters[eu].caCert", notPem,
                "must name a PEM file of X.509 certificates (it holds none)");
    }

    @Test
    void registrationSettingsAreNamedUnderRegistrationAndTheZoneKeyWhereTheRegistryHasIt() {
        ConsulSpec ttl = Specs.merge(new ConsulSpec(), application());
        ttl.getRegistration().setTtl(Duration.ofHours(2));
        assertInvalid(ttl::toRegistrationConfig, "registration.ttl", Duration.ofHours(2), "must be between 1s and 1h");

        ConsulSpec noPort = application();
        noPort.getRegistration().setPort(null);
        assertInvalid(noPort::toRegistrationConfig, "registration.port", null, "must be set");

        ConsulSpec zoneKey = application();
        zoneKey.setZoneMetadataKey(" ");
        assertInvalid(zoneKey::toRegistrationConfig, "zoneMetadataKey", " ",
                "must be a non-blank name without surrounding spaces");
    }

    @Test
    void theLocalAgentReadsTheConsulVariablesAndAClusterOnlyWhenToldTo() {
        Map<String, String> env = Map.of("CONSUL_HTTP_ADDR", "10.0.0.5:8500", "CONSUL_HTTP_SSL", "true",
                "CONSUL_HTTP_TOKEN", "local-token");
        ConsulSpec spec = withCluster("eu", agent("http://10.9.0.1:8500"));

        ConsulConfig c = spec.toConfig(env::get);
        assertThat(c.agent().address()).isEqualTo(URI.create("https://10.0.0.5:8500"));
        assertThat(c.agent().hasToken()).isTrue();
        assertThat(c.clusters().get("eu").hasToken()).as("the local token never goes to another cluster").isFalse();

        spec.getClusters().get("eu").setReadEnvironment(true);
        assertThat(spec.toConfig(env::get).clusters().get("eu").hasToken()).isTrue();

        spec.getAgent().setReadEnvironment(false);
        assertThat(spec.toConfig(env::get).agent().address()).isEqualTo(URI.create(ConsulAgentConfig.DEFAULT_ADDRESS));

        spec.getAgent().setReadEnvironment(null);
        spec.getAgent().setAddress("http://10.7.7.7:8500");
        assertThat(spec.toConfig(env::get).agent().address()).as("a setting wins over the variable")
                .isEqualTo(URI.create("http://10.7.7.7:8500"));
    }
}
