package dev.meshless.spring.boot;

import dev.meshless.config.Paths;
import dev.meshless.config.Specs;
import dev.meshless.policy.PolicySpec;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.spring.boot.config.PropertyNames;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Re-reads {@code meshless.*} after a configuration change (Spring Cloud's refresh publishes the
 * changed keys) and applies the new policies to running clients. A reload with a bad value is
 * rejected as a whole: the running policies stay, and the log says which property and why.
 * Balancing applies at once, calls from their next start; outlier detection, circuit breakers and
 * outbound limits keep their settings until a restart (the log says so when their keys change).
 */
public final class PolicyReloader {

    private static final Logger log = LoggerFactory.getLogger(PolicyReloader.class);

    private final ConfigurableEnvironment environment;
    private final MeshlessClients clients;

    /**
     * @param environment the application's environment, already changed
     * @param clients the running clients
     */
    public PolicyReloader(ConfigurableEnvironment environment, MeshlessClients clients) {
        this.environment = environment;
        this.clients = clients;
    }

    /**
     * @param changedKeys the keys that changed
     * @return whether new policies were applied
     */
    public boolean reload(Set<String> changedKeys) {
        if (changedKeys.stream().noneMatch(key -> key.startsWith(MeshlessProperties.PREFIX + "."))) {
            return false;
        }
        PolicyResolver next;
        try {
            next = new PolicyResolver(MeshlessBinding.bind(environment));
            next.checkAll();
        } catch (InvalidMeshlessConfigurationException e) {
            log.warn("Meshless: configuration reload rejected, the running policies stay: {} = {}: {}", e.property(),
                    e.value(), e.rule());
            return false;
        } catch (RuntimeException e) {
            log.warn("Meshless: configuration reload rejected, the running policies stay: {}", e.getMessage());
            return false;
        }
        Set<String> needRestart = restartRequired(clients.policyResolver(), next);
        clients.applyPolicies(next);
        if (!needRestart.isEmpty()) {
            log.info("Meshless: {} take effect for clients built after a restart (outlier detection, breakers and"
                    + " outbound limits keep their settings)", needRestart);
        }
        return true;
    }

    /** The changed settings, by the section they are in, that running clients keep until a restart. */
    private static Set<String> restartRequired(PolicyResolver before, PolicyResolver after) {
        Set<String> services = new TreeSet<>(before.services());
        services.addAll(after.services());
        Set<String> changed = new TreeSet<>();
        for (String service : services) {
            for (String path : Specs.changes(before.spec(service), after.spec(service))) {
                if (PolicySpec.RESTART_REQUIRED.contains(Paths.segments(path).get(0))) {
                    changed.add(PropertyNames.of(MeshlessProperties.PREFIX + ".services" + PropertyNames.mapKey(service),
                            path));
                }
            }
        }
        for (String path : Specs.changes(before.spec(null), after.spec(null))) {
            if (PolicySpec.RESTART_REQUIRED.contains(Paths.segments(path).get(0))) {
                changed.add(PropertyNames.of(MeshlessProperties.PREFIX + ".defaults", path));
            }
        }
        return changed;
    }
}
