package dev.meshless.spring.boot.actuate;

import dev.meshless.adaptive.AdaptiveConcurrencyLimiter;
import dev.meshless.balancer.RoutingPlan;
import dev.meshless.breaker.ZoneCircuitBreakers;
import dev.meshless.call.ServiceClient;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.MeshlessInstance;
import dev.meshless.spring.boot.registry.RegistryContributor;
import dev.meshless.spring.boot.shedding.LoadShedder;
import dev.meshless.spring.boot.shedding.Priority;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code meshless} actuator endpoint: for each called service, this instance's locality, the
 * tiers with their planned shares, every endpoint with its registry health, ejection and zone
 * breaker state, panic, the service breaker, retry budget and adaptive concurrency limit (limit,
 * calls in flight, refusals), and the last events (failovers,
 * ejections, breaker transitions) with their times; and what each registry source reports about
 * itself (Consul: every service's view per datacenter and the self-registration); and this instance's
 * inbound load shedding (limit, requests in flight, requests shed by priority). Read-only;
 * endpoint metadata and anything else that could hold secrets are left out.
 */
@Endpoint(id = "meshless")
public class MeshlessEndpoint {

    private final MeshlessClients clients;
    private final EventJournal journal;
    private final List<RegistryContributor> sources;
    private final Supplier<LoadShedder> shedder;

    /**
     * @param clients the application's clients
     * @param journal recent events
     * @param sources the registry's sources, in order
     * @param shedder the inbound load shedder, read at each report; gives {@code null} when shedding is off
     */
    public MeshlessEndpoint(MeshlessClients clients, EventJournal journal, List<RegistryContributor> sources,
                            Supplier<LoadShedder> shedder) {
        this.clients = clients;
        this.journal = journal;
        this.sources = List.copyOf(sources);
        this.shedder = Objects.requireNonNull(shedder, "shedder");
    }

    /** @return this instance and every service called through Meshless */
    @ReadOperation
    public Map<String, Object> report() {
        Map<String, Object> report = new LinkedHashMap<>();
        MeshlessInstance instance = clients.instance();
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("service", instance.service());
        self.put("locality", instance.locality() == null ? null : instance.locality().toString());
        report.put("instance", self);
        Map<String, Object> registry = new LinkedHashMap<>();
        sources.forEach(source -> registry.put(source.name(), source.details()));
        report.put("registry", registry);
        Map<String, Object> services = new LinkedHashMap<>();
        clients.clients().forEach((name, client) -> services.put(name, service(client)));
        report.put("services", services);
        report.put("loadShedding", loadShedding(shedder.get()));
        return report;
    }

    /**
     * Only {@code enabled: false} when shedding is off; otherwise its settings, the limit and requests in
     * flight now, and the requests shed by priority (in shadow mode, those that would have been).
     */
    private static Map<String, Object> loadShedding(LoadShedder shedder) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", shedder != null);
        if (shedder != null) {
            m.put("shadow", shedder.isShadow());
            m.put("algorithm", propertyValue(shedder.algorithm()));
            m.put("limit", shedder.limit());
            m.put("inFlight", shedder.inFlight());
            m.put("minLimit", shedder.minLimit());
            m.put("maxLimit", shedder.maxLimit());
            Map<String, Long> shed = new LinkedHashMap<>();
            for (Priority priority : Priority.values()) {
                shed.put(priority.tag(), shedder.shed(priority));
            }
            m.put("shed", shed);
        }
        return m;
    }

    /**
     * @param service a service name
     * @return that service's report, or {@code null} (404) when it is not called through Meshless
     */
    @ReadOperation
    public Map<String, Object> service(@Selector String service) {
        ServiceClient client = clients.clients().get(service);
        return client == null ? null : service(client);
    }

    private Map<String, Object> service(ServiceClient client) {
        RoutingPlan plan = client.balancer().plan();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("routable", plan.routable());
        if (!plan.routable()) {
            s.put("unroutable", plan.unroutableDetail());
        }
        s.put("panic", plan.panic());
        s.put("panicTiers", plan.panicTiers());
        s.put("zoneAwareApplied", plan.zoneAwareApplied());
        // Other regions, one tier each: listed ones first, then by proximity (see docs/load-balancing.md).
        s.put("regionOrder", client.balancer().regionOrder());
        s.put("probeShare", plan.probeShare());
        s.put("probesAsCapacity", plan.probesAsCapacity());
        Map<String, dev.meshless.health.ProbeStatus> probed = new java.util.HashMap<>();
        client.healthChecks().status().forEach(p -> probed.put(p.endpointId(), p));
        List<Map<String, Object>> tiers = new ArrayList<>();
        for (RoutingPlan.TierPlan t : plan.tiers()) {
            Map<String, Object> tier = new LinkedHashMap<>();
            tier.put("tier", t.tier());
            tier.put("kind", t.kind().tag());
            tier.put("regions", t.zones().stream().map(z -> z.zone().region()).distinct().toList());
            tier.put("share", t.share());
            tier.put("healthyFraction", t.healthyFraction());
            tier.put("health", t.health());
            tier.put("panic", t.panic());
            List<Map<String, Object>> zones = new ArrayList<>();
            for (RoutingPlan.ZonePlan z : t.zones()) {
                Map<String, Object> zone = new LinkedHashMap<>();
                zone.put("zone", z.zone().toString());
                zone.put("share", z.share());
                zone.put("breaker", breakerState(client, z));
                List<Map<String, Object>> endpoints = new ArrayList<>();
                for (RoutingPlan.EndpointPlan e : z.endpoints()) {
                    Map<String, Object> endpoint = new LinkedHashMap<>();
                    endpoint.put("id", e.endpoint().id());
                    endpoint.put("address", e.endpoint().address());
                    endpoint.put("weight", e.endpoint().weight());
                    endpoint.put("registryHealth", e.endpoint().health().label());
                    endpoint.put("ejected", client.outlierDetector().isEjected(e.endpoint().id()));
                    endpoint.put("state", e.state().name());
                    endpoint.put("share", e.share());
                    dev.meshless.health.ProbeStatus probe = probed.get(e.endpoint().id());
                    if (probe != null) {
                        endpoint.put("probe", probe(probe));
                    }
                    endpoints.add(endpoint);
                }
                zone.put("endpoints", endpoints);
                zones.add(zone);
            }
            tier.put("zones", zones);
            tiers.add(tier);
        }
        s.put("tiers", tiers);
        s.put("healthCheck", client.healthChecks().policy().toString());
        s.put("probing", probed.keySet().stream().sorted().toList());
        s.put("serviceBreaker", client.serviceBreaker() == null ? "DISABLED" : client.serviceBreaker().getState().name());
        s.put("retryBudgetRemaining", client.retryBudgetRemaining());
        s.put("adaptiveConcurrency", adaptiveConcurrency(client.concurrencyLimiter()));
        List<Map<String, Object>> events = new ArrayList<>();
        for (EventJournal.Event e : journal.events(client.service())) {
            events.add(Map.of("time", e.time().toString(), "type", e.type(), "detail", e.detail()));
        }
        s.put("events", events);
        return s;
    }

    private static Map<String, Object> probe(dev.meshless.health.ProbeStatus p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reason", p.reason());
        m.put("healthy", p.healthy());
        m.put("consecutivePasses", p.consecutivePasses());
        m.put("consecutiveFailures", p.consecutiveFailures());
        m.put("lastResult", p.lastResult() == null ? null : p.lastResult().detail());
        m.put("lastPassed", p.lastResult() == null ? null : p.lastResult().healthy());
        m.put("lastAt", p.lastAt() == null ? null : p.lastAt().toString());
        return m;
    }

    /** The limit now, calls holding a slot and calls refused; only {@code enabled: false} when it is off. */
    private static Map<String, Object> adaptiveConcurrency(AdaptiveConcurrencyLimiter limiter) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", limiter != null);
        if (limiter != null) {
            m.put("algorithm", propertyValue(limiter.policy().algorithm()));
            m.put("limit", limiter.limit());
            m.put("inFlight", limiter.inFlight());
            m.put("rejected", limiter.rejected());
            m.put("minLimit", limiter.policy().minLimit());
            m.put("maxLimit", limiter.policy().maxLimit());
            m.put("maxWait", limiter.policy().maxWait().toString());
        }
        return m;
    }

    /** @return a constant as written in properties: lower case, with dashes */
    private static String propertyValue(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String breakerState(ServiceClient client, RoutingPlan.ZonePlan zone) {
        ZoneCircuitBreakers breakers = client.zoneBreakers();
        return breakers == null ? "DISABLED" : breakers.breaker(zone.zone()).getState().name();
    }
}
