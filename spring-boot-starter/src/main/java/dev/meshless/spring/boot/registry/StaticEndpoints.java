package dev.meshless.spring.boot.registry;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.spring.boot.config.PropertyNames;
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
    public static StaticRegistry registry(Map<String, List<StaticEndpoint>> endpoints) {
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

    private static Endpoint endpoint(String service, int i, StaticEndpoint p) {
        try {
            String id = p.getId() != null ? p.getId() : Endpoint.hostPort(String.valueOf(p.getHost()), p.getPort());
            return Endpoint.builder(service, id).weight(p.getWeight()).health(p.getHealth()).metadata(p.getMetadata())
                    .locality(Locality.of(p.getRegion(), p.getZone(), p.getSubZone()))
                    .address(p.getHost(), p.getPort()).build();
        } catch (InvalidConfigurationException e) {
            throw PropertyNames.invalid(e, prefix(service, i));
        }
    }

    private static String path(String service, int index, String field) {
        return prefix(service, index) + "." + field;
    }

    private static String prefix(String service, int index) {
        return "meshless.registry.endpoints" + PropertyNames.mapKey(service) + "[" + index + "]";
    }
}
