package dev.meshless.spring.boot.config;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Paths;
import dev.meshless.config.Specs;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;

/**
 * Names core's settings as Spring Boot properties. A core {@link InvalidConfigurationException}
 * says where a bad value is by its path in a specification ({@code outlierDetection.maxEjectionTime},
 * {@code overrides[gold].burst}); this turns the path into the property an operator wrote
 * ({@code meshless.services.inventory.outlier-detection.max-ejection-time}) by its structure, never
 * by reading the message.
 */
public final class PropertyNames {

    private static final Pattern SIMPLE_KEY = Pattern.compile("[a-z0-9-]+");
    private static final Pattern INDEX = Pattern.compile("[0-9]+");

    private PropertyNames() {
    }

    /**
     * @param prefix the property the specification is bound at, e.g. {@code meshless.defaults}
     * @param path a setting's path in the specification, e.g. {@code retry.backoffMax}
     * @return the full property name, e.g. {@code meshless.defaults.retry.backoff-max}
     */
    public static String of(String prefix, String path) {
        StringBuilder name = new StringBuilder(prefix);
        for (String segment : Paths.segments(path)) {
            if (Paths.isKey(segment)) {
                name.append(mapKey(Paths.keyOf(segment)));
            } else {
                name.append('.').append(DataObjectPropertyName.toDashedForm(segment));
            }
        }
        return name.toString();
    }

    /**
     * @param key a map key or list index
     * @return it as a property name segment: {@code .key} for a simple key, else {@code [key]}
     */
    public static String mapKey(String key) {
        return SIMPLE_KEY.matcher(key).matches() && !INDEX.matcher(key).matches() ? "." + key : "[" + key + "]";
    }

    /**
     * Names a core failure by the property it came from.
     *
     * @param e the failure
     * @param prefix the property the specification is bound at
     * @return the failure as the starter reports it at start-up
     */
    public static InvalidMeshlessConfigurationException invalid(InvalidConfigurationException e, String prefix) {
        return new InvalidMeshlessConfigurationException(of(prefix, e.path()), e.value(), e.rule(), e);
    }

    /**
     * Names a failure in a specification that the starter layered over values it took from the rest
     * of the application (a service name from {@code spring.application.name}): a setting that the
     * bound specification leaves out is named by the property its value came from.
     *
     * @param e the failure
     * @param prefix the property the specification is bound at
     * @param bound what was bound there
     * @param filledIn the property each filled-in setting came from, by the setting's path
     * @return the failure as the starter reports it at start-up
     */
    public static InvalidMeshlessConfigurationException invalid(InvalidConfigurationException e, String prefix,
                                                                Object bound, Map<String, String> filledIn) {
        String source = Specs.isSet(bound, e.path()) ? null : filledIn.get(e.path());
        return source == null ? invalid(e, prefix) : new InvalidMeshlessConfigurationException(source, e.value(),
                e.rule(), e);
    }

    /**
     * Names a core failure in a specification layered from several sections (a service's section
     * over the defaults): the property is in the first section that sets the setting, else in the
     * first section.
     *
     * @param e the failure
     * @param layers the sections, most specific first
     * @return the failure as the starter reports it at start-up
     */
    public static InvalidMeshlessConfigurationException invalid(InvalidConfigurationException e, Layer... layers) {
        for (Layer layer : layers) {
            if (layer.spec() != null && Specs.isSet(layer.spec(), e.path())) {
                return invalid(e, layer.prefix());
            }
        }
        return invalid(e, layers[0].prefix());
    }

    /**
     * One section of layered configuration.
     *
     * @param prefix where it is bound, e.g. {@code meshless.services.inventory}
     * @param spec what was bound there, or {@code null} when nothing was
     */
    public record Layer(String prefix, Object spec) {
    }
}
