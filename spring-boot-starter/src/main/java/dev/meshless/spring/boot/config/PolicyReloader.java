package dev.meshless.spring.boot.config;

import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.MeshlessProperties;
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
    private static final Set<String> RESTART_SECTIONS = Set.of("outlier-detection", "zone-breaker",
            "service-breaker", "outbound-rate-limit");

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
        Set<String> ours = new TreeSet<>();
        for (String key : changedKeys) {
            if (key.startsWith(MeshlessProperties.PREFIX + ".")) {
                ours.add(key);
            }
        }
        if (ours.isEmpty()) {
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
        clients.applyPolicies(next);
        Set<String> needRestart = new TreeSet<>();
        for (String key : ours) {
            for (String section : RESTART_SECTIONS) {
                if (key.contains("." + section + ".") || key.contains("." + section + "[")) {
                    needRestart.add(key);
                }
            }
        }
        if (!needRestart.isEmpty()) {
            log.info("Meshless: {} take effect for clients built after a restart (outlier detection, breakers and"
                    + " outbound limits keep their settings)", needRestart);
        }
        return true;
    }

}
