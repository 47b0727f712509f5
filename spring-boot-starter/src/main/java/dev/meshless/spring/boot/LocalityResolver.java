package dev.meshless.spring.boot;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.spring.boot.MeshlessInstance;
import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.spring.boot.config.PropertyNames;
import dev.meshless.topology.Locality;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds where this instance runs: {@code meshless.locality.region/zone} when set, else the first
 * environment variable of {@code region-variables} / {@code zone-variables} that has a value. A
 * missing region or zone is a start-up warning and turns locality routing off rather than guessing;
 * a blank or half-given locality is an error.
 */
public final class LocalityResolver {

    private static final Logger log = LoggerFactory.getLogger(LocalityResolver.class);

    private LocalityResolver() {
    }

    /**
     * @param properties the bound properties
     * @param applicationName {@code spring.application.name}, or {@code null}
     * @param environment reads an environment variable (System::getenv in production)
     * @return who and where this instance is
     */
    public static MeshlessInstance resolve(MeshlessProperties properties, String applicationName,
                                           UnaryOperator<String> environment) {
        MeshlessProperties.LocalityProperties l = properties.getLocality();
        String region = firstOf(l.getRegion(), l.getRegionVariables(), environment);
        String zone = firstOf(l.getZone(), l.getZoneVariables(), environment);
        String service = properties.getService() != null ? properties.getService() : applicationName;
        Locality locality = null;
        if (region == null && zone == null) {
            log.warn("Meshless: this instance's region and zone are unknown (set meshless.locality.region and"
                    + " meshless.locality.zone, or one of the environment variables {} and {}); locality routing is"
                    + " off: calls are balanced over every zone and region alike", l.getRegionVariables(),
                    l.getZoneVariables());
        } else if (region == null || zone == null) {
            String missing = region == null ? "region" : "zone";
            throw new InvalidMeshlessConfigurationException(MeshlessProperties.PREFIX + ".locality." + missing, null,
                    "must be set when the " + (region == null ? "zone" : "region") + " is ("
                            + (region == null ? zone : region) + "); set both or neither");
        } else {
            try {
                locality = Locality.of(region, zone, l.getSubZone());
            } catch (InvalidConfigurationException e) {
                throw PropertyNames.invalid(e, MeshlessProperties.PREFIX + ".locality");
            }
            log.info("Meshless: this instance of {} runs in {}", service == null ? "(unnamed service)" : service,
                    locality);
        }
        return new MeshlessInstance(service, properties.getInstanceId(), locality);
    }

    private static String firstOf(String configured, List<String> variables, UnaryOperator<String> environment) {
        if (configured != null) {
            return configured;
        }
        for (String name : variables) {
            String value = environment.apply(name);
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }
}
