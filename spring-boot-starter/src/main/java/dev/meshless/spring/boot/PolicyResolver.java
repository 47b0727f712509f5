package dev.meshless.spring.boot;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Specs;
import dev.meshless.policy.PolicySpec;
import dev.meshless.policy.ServicePolicies;
import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.spring.boot.config.PropertyNames.Layer;
import dev.meshless.spring.boot.config.PropertyNames;
import java.util.List;

/**
 * Resolves the policies of a service from the bound specifications: {@code meshless.services.<name>}
 * layered over {@code meshless.defaults} ({@link Specs#merge}), mapped and checked once by core
 * ({@link PolicySpec#toPolicies}). A rejection names the property the bad value came from.
 */
public final class PolicyResolver {

    private static final String DEFAULTS = MeshlessProperties.PREFIX + ".defaults";
    private static final String STATUSES = "retry.retryableStatuses";

    private final MeshlessProperties properties;
    private final PolicySpec defaults;

    /** @param properties the bound properties */
    @SuppressWarnings("deprecation")
    public PolicyResolver(MeshlessProperties properties) {
        this.properties = properties;
        // The deprecated meshless.http.retryable-statuses is the layer under the defaults.
        PolicySpec http = new PolicySpec();
        http.getRetry().setRetryableStatuses(properties.getHttp().getRetryableStatuses());
        this.defaults = Specs.merge(properties.getDefaults(), http);
    }

    /**
     * Resolves the defaults and every configured service, so that a bad value stops start-up.
     *
     * @throws InvalidMeshlessConfigurationException naming the first bad property
     */
    public void checkAll() {
        resolve(null);
        properties.getServices().keySet().forEach(this::resolve);
    }

    /**
     * @param service a service name, or {@code null} for the defaults alone
     * @return its policies
     * @throws InvalidMeshlessConfigurationException naming the bad property
     */
    public ServicePolicies resolve(String service) {
        PolicySpec own = service == null ? null : properties.getServices().get(service);
        try {
            return Specs.merge(own, defaults).toPolicies(service);
        } catch (InvalidConfigurationException e) {
            List<Layer> layers = layers(service, own);
            boolean deprecated = e.path().startsWith(STATUSES)
                    && layers.stream().noneMatch(l -> Specs.isSet(l.spec(), STATUSES));
            throw deprecated ? new InvalidMeshlessConfigurationException(PropertyNames.of(MeshlessProperties.PREFIX
                    + ".http.retryable-statuses", e.path().substring(STATUSES.length())), e.value(), e.rule(), e)
                    : PropertyNames.invalid(e, layers.toArray(Layer[]::new));
        }
    }

    /** @return the services with a section of their own under {@code meshless.services} */
    public java.util.Set<String> services() {
        return properties.getServices().keySet();
    }

    /**
     * @param service a service name, or {@code null}
     * @return its policies as specified, layered but not yet mapped (for reload's change list)
     */
    public PolicySpec spec(String service) {
        return Specs.merge(service == null ? null : properties.getServices().get(service), defaults);
    }

    private List<Layer> layers(String service, PolicySpec own) {
        Layer defaultsLayer = new Layer(DEFAULTS, properties.getDefaults());
        return own == null ? List.of(defaultsLayer) : List.of(new Layer(MeshlessProperties.PREFIX + ".services"
                + PropertyNames.mapKey(service), own), defaultsLayer);
    }
}
