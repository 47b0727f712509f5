package dev.meshless.spring.boot.actuate;

import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.registry.RegistryContributor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports the registry sources and the services that have no endpoint to call. It stays
 * {@code UP} when a dependency is unreachable — a called service being down is not a reason to
 * restart this instance (liveness) — and says so in its details ({@code degraded}); add it to a
 * readiness group when a missing dependency should take the instance out of rotation.
 *
 * <p>The same holds for a registry source that cannot confirm its view (Consul unreachable): routing
 * goes on from the last good view, so the indicator stays {@code UP}, lists the source under
 * {@code degradedSources} and sets {@code degraded}. Each source's summary is under
 * {@code sources.<name>}.
 */
public class MeshlessHealthIndicator implements HealthIndicator {

    private final MeshlessClients clients;
    private final List<RegistryContributor> sources;

    /**
     * @param clients the application's clients
     * @param sources the registry's sources
     */
    public MeshlessHealthIndicator(MeshlessClients clients, List<RegistryContributor> sources) {
        this.clients = clients;
        this.sources = List.copyOf(sources);
    }

    @Override
    public Health health() {
        TreeMap<String, String> unavailable = new TreeMap<>();
        clients.clients().forEach((name, client) -> {
            var plan = client.balancer().plan();
            if (!plan.routable()) {
                unavailable.put(name, plan.unroutableDetail());
            }
        });
        Map<String, Object> summaries = new LinkedHashMap<>();
        List<String> degradedSources = new ArrayList<>();
        for (RegistryContributor source : sources) {
            Map<String, Object> summary = source.healthDetails();
            if (!summary.isEmpty()) {
                summaries.put(source.name(), summary);
            }
            if (source.degraded()) {
                degradedSources.add(source.name());
            }
        }
        Health.Builder health = Health.up()
                .withDetail("registry", sources.stream().map(RegistryContributor::name).toList())
                .withDetail("services", clients.clients().size())
                .withDetail("servicesWithoutEndpoints", unavailable);
        if (!summaries.isEmpty()) {
            health.withDetail("sources", summaries);
        }
        return health.withDetail("degradedSources", degradedSources)
                .withDetail("degraded", !unavailable.isEmpty() || !degradedSources.isEmpty())
                .build();
    }
}
