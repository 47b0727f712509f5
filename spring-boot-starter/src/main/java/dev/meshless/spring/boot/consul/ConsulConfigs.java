package dev.meshless.spring.boot.consul;

import dev.meshless.consul.ConsulAgentConfig;
import dev.meshless.consul.ConsulConfig;
import dev.meshless.consul.ConsulRegistrationConfig;
import dev.meshless.spring.boot.config.ConfigChecks;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Maps {@code meshless.consul.*} onto discovery-consul's configuration builders, 1:1 and only for
 * the values that are set, and turns the builders' validation failures into
 * {@link InvalidMeshlessConfigurationException}s that name the full property and the value.
 */
final class ConsulConfigs {

    /** The variables the Consul CLI reads, passed to the agent builder when it reads the environment. */
    static final List<String> ENVIRONMENT_VARIABLES = List.of("CONSUL_HTTP_ADDR", "CONSUL_HTTP_SSL",
            "CONSUL_HTTP_TOKEN", "CONSUL_HTTP_TOKEN_FILE", "CONSUL_CACERT", "CONSUL_CLIENT_CERT", "CONSUL_CLIENT_KEY");

    private static final String PREFIX = MeshlessConsulProperties.PREFIX;

    private ConsulConfigs() {
    }

    /**
     * @param p bound properties
     * @param environment looks up a {@code CONSUL_*} variable (Spring's {@code Environment} in the starter)
     * @return the registry's configuration
     * @throws InvalidMeshlessConfigurationException naming the first bad property
     */
    static ConsulConfig registry(MeshlessConsulProperties p, UnaryOperator<String> environment) {
        ConsulConfig.Builder b = ConsulConfig.builder();
        b.agent(agent(PREFIX + ".agent", p.getAgent(), true, environment));
        p.getClusters().forEach((name, cluster) -> b.cluster(name,
                agent(PREFIX + ".clusters" + ConfigChecks.mapKey(name), cluster, false, environment)));
        PropertySetter s = new PropertySetter(PREFIX);
        p.getRegions().forEach((dc, region) -> s.set("regions." + dc, region, r -> b.region(dc, r)));
        s.set("zoneMetadataKey", p.getZoneMetadataKey(), b::zoneMetadataKey);
        s.set("wait", p.getWait(), b::wait);
        s.set("stale", p.getStale(), b::stale);
        s.set("passingOnly", p.getPassingOnly(), b::passingOnly);
        s.set("filter", p.getFilter(), b::filter);
        s.set("rateLimitBurst", p.getRateLimitBurst(), b::rateLimitBurst);
        s.set("rateLimitInterval", p.getRateLimitInterval(), b::rateLimitInterval);
        s.set("errorBackoffInitial", p.getErrorBackoffInitial(), b::errorBackoffInitial);
        s.set("errorBackoffMax", p.getErrorBackoffMax(), b::errorBackoffMax);
        s.set("emptyConfirmationDelay", p.getEmptyConfirmationDelay(), b::emptyConfirmationDelay);
        s.set("datacenterRefreshInterval", p.getDatacenterRefreshInterval(), b::datacenterRefreshInterval);
        s.set("maxEndpoints", p.getMaxEndpoints(), b::maxEndpoints);
        s.set("maxResponseBytes", p.getMaxResponseBytes(), v -> b.maxResponseBytes(v.toBytes()));
        s.set("maxServices", p.getMaxServices(), b::maxServices);
        s.set("snapshotFile", p.getSnapshotFile(), b::snapshotFile);
        s.set("snapshotMaxBytes", p.getSnapshotMaxBytes(), v -> b.snapshotMaxBytes(v.toBytes()));
        s.set("snapshotWriteDelay", p.getSnapshotWriteDelay(), b::snapshotWriteDelay);
        return s.build(b::build);
    }

    /**
     * @param prefix the agent's full property prefix
     * @param a its bound properties
     * @param local whether it is the local agent (which reads the environment by default)
     * @param environment looks up a {@code CONSUL_*} variable
     * @return the agent's configuration
     */
    static ConsulAgentConfig agent(String prefix, ConsulAgentProperties a, boolean local,
                                   UnaryOperator<String> environment) {
        boolean readEnvironment = a.getReadEnvironment() != null ? a.getReadEnvironment() : local;
        if (!local && (a.getAddress() == null || a.getAddress().isBlank())) {
            throw new InvalidMeshlessConfigurationException(prefix + ".address", a.getAddress(),
                    "must be set: a separate cluster is read through its own agent");
        }
        ConsulAgentConfig.Builder b = ConsulAgentConfig.builder()
                .environment(readEnvironment ? variables(environment) : Map.of());
        PropertySetter s = new PropertySetter(prefix);
        s.set("address", a.getAddress(), b::address);
        s.set("token", a.getToken(), b::token);
        s.set("tokenFile", a.getTokenFile(), b::tokenFile);
        s.set("caCert", a.getCaCert(), b::caCert);
        s.set("clientCert", a.getClientCert(), b::clientCert);
        s.set("clientKey", a.getClientKey(), b::clientKey);
        s.set("datacenters", a.getDatacenters(), b::datacenters);
        s.set("connectTimeout", a.getConnectTimeout(), b::connectTimeout);
        s.set("requestTimeout", a.getRequestTimeout(), b::requestTimeout);
        return s.build(b::build);
    }

    /**
     * Finds which agent a failure of the registry's {@code build()} (unusable TLS files) is about: the
     * first whose file named by the message's property appears in the message.
     *
     * @param p bound properties
     * @param e the failure
     * @return the failure, naming the agent's property
     */
    static InvalidMeshlessConfigurationException tlsFailure(MeshlessConsulProperties p, IllegalArgumentException e) {
        String message = String.valueOf(e.getMessage());
        Map<String, ConsulAgentProperties> agents = new LinkedHashMap<>();
        agents.put(PREFIX + ".agent", p.getAgent());
        p.getClusters().forEach((name, a) -> agents.put(PREFIX + ".clusters" + ConfigChecks.mapKey(name), a));
        Map.Entry<String, ConsulAgentProperties> named = agents.entrySet().iterator().next();
        for (Map.Entry<String, ConsulAgentProperties> agent : agents.entrySet()) {
            ConsulAgentProperties a = agent.getValue();
            if (mentions(message, a.getCaCert()) || mentions(message, a.getClientCert())
                    || mentions(message, a.getClientKey())) {
                named = agent;
                break;
            }
        }
        PropertySetter s = new PropertySetter(named.getKey());
        ConsulAgentProperties a = named.getValue();
        s.set("caCert", a.getCaCert(), v -> {
        });
        s.set("clientCert", a.getClientCert(), v -> {
        });
        s.set("clientKey", a.getClientKey(), v -> {
        });
        return s.translate(e);
    }

    /**
     * @param p bound properties
     * @param d values that default from the rest of the application
     * @param port the port to register
     * @return the registration's configuration
     * @throws InvalidMeshlessConfigurationException naming the first bad property
     */
    static ConsulRegistrationConfig registration(MeshlessConsulProperties p, RegistrationDefaults d, int port) {
        ConsulRegistrationProperties r = p.getRegistration();
        String prefix = PREFIX + ".registration";
        PropertySetter s = new PropertySetter(prefix);
        ConsulRegistrationConfig.Builder b = ConsulRegistrationConfig.builder(
                r.getServiceName() != null ? r.getServiceName() : d.serviceName());
        s.set("serviceName", r.getServiceName() != null ? r.getServiceName() : d.serviceName(),
                r.getServiceName() != null ? prefix + ".service-name" : d.serviceNameProperty(), v -> {
                });
        s.set("instanceId", r.getInstanceId(), b::instanceId);
        s.set("address", r.getAddress() != null ? r.getAddress() : d.address(), b::address);
        s.set("port", port, r.getPort() != null ? prefix + ".port" : "server.port", b::port);
        s.set("region", r.getRegion() != null ? r.getRegion() : d.region(),
                r.getRegion() != null ? prefix + ".region" : "meshless.locality.region", b::region);
        s.set("zone", r.getZone() != null ? r.getZone() : d.zone(),
                r.getZone() != null ? prefix + ".zone" : "meshless.locality.zone", b::zone);
        s.set("tags", r.getTags(), b::tags);
        s.set("meta", r.getMeta(), b::meta);
        s.set("regionMetadataKey", r.getRegionMetadataKey(), b::regionMetadataKey);
        s.set("zoneMetadataKey", p.getZoneMetadataKey(), PREFIX + ".zone-metadata-key", b::zoneMetadataKey);
        s.set("ttl", r.getTtl(), b::ttl);
        s.set("heartbeatInterval", r.getHeartbeatInterval(), b::heartbeatInterval);
        s.set("httpCheck", r.getHttpCheck(), b::httpCheck);
        s.set("checkInterval", r.getCheckInterval(), b::checkInterval);
        s.set("checkTimeout", r.getCheckTimeout(), b::checkTimeout);
        s.set("deregisterCriticalAfter", r.getDeregisterCriticalAfter(), b::deregisterCriticalAfter);
        s.set("weightPassing", r.getWeightPassing(), b::weightPassing);
        s.set("weightWarning", r.getWeightWarning(), b::weightWarning);
        s.set("startupTimeout", r.getStartupTimeout(), b::startupTimeout);
        s.set("retryInitial", r.getRetryInitial(), b::retryInitial);
        s.set("retryMax", r.getRetryMax(), b::retryMax);
        return s.build(b::build);
    }

    /**
     * What registration takes from the rest of the application when {@code registration.*} leaves it out.
     *
     * @param serviceName this instance's service name
     * @param serviceNameProperty where it came from ({@code meshless.service} or {@code spring.application.name})
     * @param address the address callers use
     * @param region this instance's region
     * @param zone this instance's zone
     */
    record RegistrationDefaults(String serviceName, String serviceNameProperty, String address, String region,
            String zone) {
    }

    private static Map<String, String> variables(UnaryOperator<String> environment) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : ENVIRONMENT_VARIABLES) {
            String value = environment.apply(name);
            if (value != null) {
                values.put(name, value);
            }
        }
        return values;
    }

    private static boolean mentions(String message, Path file) {
        return file != null && message.contains(file.toString());
    }
}
