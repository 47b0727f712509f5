package dev.meshless.spring.boot.registry;

import dev.meshless.registry.StaticRegistry;
import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.spring.boot.config.ConfigChecks;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the embedded static registry from {@code meshless.registry.endpoints}, checking every
 * endpoint and naming the property of the first bad value.
 */
public final class StaticEndpoints {

    private StaticEndpoints() {
    }

    /**
     * @param endpoints endpoints by service, as bound
     * @return the registry
     * @throws InvalidMeshlessConfigurationException naming the bad property
     */
    public static StaticRegistry registry(Map<String, List<MeshlessProperties.StaticEndpoint>> endpoints) {
        StaticRegistry.Builder builder = StaticRegistry.builder();
        endpoints.forEach((service, list) -> {
            builder.service(service);
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                Endpoint e = endpoint(service, i, list.get(i));
                String path = path(service, i, "id");
                if (!ids.add(e.id())) {
                    throw new InvalidMeshlessConfigurationException(path, e.id(),
                            "must be unique within service '" + service + "'");
                }
                builder.endpoint(e);
            }
        });
        return builder.build();
    }

    private static Endpoint endpoint(String service, int i, MeshlessProperties.StaticEndpoint p) {
        require(path(service, i, "host"), p.getHost());
        require(path(service, i, "region"), p.getRegion());
        require(path(service, i, "zone"), p.getZone());
        String id = p.getId() != null ? p.getId() : p.getHost() + ":" + p.getPort();
        Endpoint.Builder b = Endpoint.builder(service, id).weight(p.getWeight()).health(p.getHealth())
                .metadata(p.getMetadata());
        Locality[] locality = new Locality[1];
        ConfigChecks.check(path(service, i, "sub-zone"), p.getSubZone(),
                () -> locality[0] = Locality.of(p.getRegion(), p.getZone(), p.getSubZone()));
        b.locality(locality[0]).address(p.getHost(), p.getPort());
        Endpoint[] built = new Endpoint[1];
        String field = p.getPort() < 1 || p.getPort() > 65535 ? "port" : "weight";
        ConfigChecks.check(path(service, i, field), field.equals("port") ? p.getPort() : p.getWeight(),
                () -> built[0] = b.build());
        return built[0];
    }

    private static void require(String property, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidMeshlessConfigurationException(property, value, "must be set to a non-blank name");
        }
    }

    private static String path(String service, int index, String field) {
        return MeshlessProperties.PREFIX + ".registry.endpoints" + ConfigChecks.mapKey(service) + "[" + index + "]."
                + field;
    }
}
