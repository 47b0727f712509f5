package dev.meshless.demo.peer;

import dev.meshless.demo.CallerSetting;
import dev.meshless.demo.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting of the spring-cloud caller, with its reason and the documentation it follows: the report
 * lists them, and {@link #properties} turns those that are properties into the application's
 * configuration. Nothing is weakened: where a documented setting makes it do better in the drill, it is
 * set; its per-try timeout and deadline are the Meshless caller's.
 */
public final class SpringCloudSettings {

    private static final String LOADBALANCER =
            "https://docs.spring.io/spring-cloud-commons/reference/spring-cloud-commons/loadbalancer.html";
    private static final String ABSTRACTIONS =
            "https://docs.spring.io/spring-cloud-commons/reference/spring-cloud-commons/common-abstractions.html";
    private static final String RESILIENCE4J = "https://resilience4j.readme.io/docs/getting-started-3";
    private static final String SOURCE = "https://github.com/spring-cloud/spring-cloud-commons/blob/v5.0.4/"
            + "spring-cloud-loadbalancer/src/main/java/org/springframework/cloud/loadbalancer/";
    /** The property's value when a setting is made in code, not in properties. */
    static final String IN_CODE = "(code)";

    private SpringCloudSettings() {
    }

    /**
     * @param scenario the drill: the caller's zone
     * @return every setting, in the order the report lists them
     */
    public static List<CallerSetting> settings(Scenario scenario) {
        List<CallerSetting> s = new ArrayList<>();
        s.add(new CallerSetting("meshless.enabled", "false", "Meshless is on the demo's class path; switched off,"
                + " every Meshless auto-configuration backs off, so this application has none of its beans",
                "docs/configuration.md"));
        s.add(new CallerSetting("@Bean @LoadBalanced RestClient.Builder", IN_CODE, "the documented way to have"
                + " Spring Cloud LoadBalancer choose the instance of a RestClient's call (http://<service>/work)",
                ABSTRACTIONS + "#rest-client-loadbalancer-client"));
        s.add(new CallerSetting("ServiceInstanceListSupplier", "withBlockingDiscoveryClient().withBlockingHealthChecks()"
                + ".withZonePreference()", "zone preference and health checks together, as the documentation"
                + " combines suppliers: health checks directly after the discovery client, filters after them (the"
                + " 'zone-preference' and 'health-check' presets of spring.cloud.loadbalancer.configurations take"
                + " one or the other)", LOADBALANCER + "#custom-loadbalancer-configuration"));
        s.add(new CallerSetting("DiscoveryClient", "the demo registry over HTTP", "the registry the Meshless"
                + " caller reads, with each instance's zone under the metadata key 'zone', which zone preference"
                + " reads", LOADBALANCER + "#zone-based-load-balancing"));
        s.add(new CallerSetting("spring.cloud.loadbalancer.zone", scenario.callerZone(), "the caller's zone: only"
                + " Eureka sets it from discovery", LOADBALANCER + "#zone-based-load-balancing"));
        s.add(new CallerSetting("spring.cloud.loadbalancer.health-check.interval", "1s", "the default is 25 s;"
                + " 1 s is Meshless's active health-check interval and registry refresh. It is also each check's"
                + " timeout, so a slow zone is taken out within about a second", LOADBALANCER
                + "#instance-health-check-for-loadbalancer"));
        s.add(new CallerSetting("spring.cloud.loadbalancer.health-check.update-results-list", "false", "the"
                + " default emits the list while a round of checks fills it, so for a moment it can hold no"
                + " instance of the caller's zone and zone preference sends traffic everywhere", LOADBALANCER
                + "#instance-health-check-for-loadbalancer"));
        s.add(new CallerSetting("spring.cloud.loadbalancer.health-check.refetch-instances", "false (default)",
                "the health checks fetch the list of instances once, at start, and check those; the drill's"
                + " registry always lists the same instances, so that is enough here. With true (what following a"
                + " registry's changes needs), the list is fetched again, and while the registry is down the"
                + " discovery supplier turns the error into an empty list, so every call would fail; the reverse"
                + " risk of false is a failed first fetch, which leaves no instance", SOURCE
                + "core/DiscoveryClientServiceInstanceListSupplier.java"));
        s.add(new CallerSetting("spring.cloud.loadbalancer.cache.enabled", "false", "the health-check supplier"
                + " keeps its own list (a replay of its last checks), so LoadBalancer's cache is not used",
                LOADBALANCER + "#instance-health-check-for-loadbalancer"));
        s.add(new CallerSetting("spring.cloud.loadbalancer.eager-load.clients", String.join(",", scenario.services()),
                "the load balancer's"
                + " context, and its health checks, start with the application, not on the first call",
                LOADBALANCER + "#eager-loading-of-loadbalancer-contexts"));
        s.add(new CallerSetting("spring-retry", "on the class path", "LoadBalancer retries a blocking client's"
                + " calls when Spring Retry is present; GET only (retry-on-all-operations stays false)",
                ABSTRACTIONS + "#retrying-failed-requests"));
        s.add(new CallerSetting("spring.cloud.loadbalancer.retry.max-retries-on-same-service-instance", "0",
                "a failed instance is not tried again in the same call", ABSTRACTIONS + "#retrying-failed-requests"));
        s.add(new CallerSetting("spring.cloud.loadbalancer.retry.max-retries-on-next-service-instance", "2",
                "three attempts per call, on instances other than the previous one (avoid-previous-instance is"
                + " on by default), as Meshless's 3 attempts", ABSTRACTIONS + "#retrying-failed-requests"));
        s.add(new CallerSetting("spring.cloud.loadbalancer.retry.retry-on-all-exceptions", "true", "the"
                + " documentation's advice for the blocking client with Spring Retry; connection errors and"
                + " timeouts are retried either way", ABSTRACTIONS + "#retrying-failed-requests"));
        s.add(new CallerSetting("spring.cloud.loadbalancer.retry.retryable-status-codes", "500,502,503,504",
                "an instance answering a server error is retried on the next one, as Meshless retries them",
                ABSTRACTIONS + "#retrying-failed-requests"));
        s.add(new CallerSetting("spring.http.clients.connect-timeout", "200ms", "the Meshless caller's",
                "https://docs.spring.io/spring-boot/reference/io/rest-client.html"));
        s.add(new CallerSetting("spring.http.clients.read-timeout", "300ms", "the per-try timeout: the Meshless"
                + " caller's 300 ms", "https://docs.spring.io/spring-boot/reference/io/rest-client.html"));
        s.add(new CallerSetting("@CircuitBreaker(name = <service>)", IN_CODE, "Resilience4j's breaker around"
                + " each service's calls with the starter's defaults (50 % of the last 100 calls)", RESILIENCE4J));
        s.add(new CallerSetting("resilience4j.circuitbreaker.configs.default.wait-duration-in-open-state", "2s",
                "the default is 60 s, during which every call fails; 2 s is the Meshless caller's service breaker",
                "https://resilience4j.readme.io/docs/circuitbreaker"));
        s.add(new CallerSetting("@Retry(name = <service>)", IN_CODE, "Resilience4j's retry with the starter's"
                + " defaults: 3 attempts, 500 ms apart, on every exception", "https://resilience4j.readme.io/docs/retry"));
        s.add(new CallerSetting("@TimeLimiter(name = <service>)", IN_CODE, "the call's deadline; Resilience4j"
                + " limits time only for asynchronous results, so the call returns a CompletableFuture",
                "https://resilience4j.readme.io/docs/timeout"));
        s.add(new CallerSetting("resilience4j.timelimiter.configs.default.timeout-duration", "2s",
                "the Meshless caller's deadline", "https://resilience4j.readme.io/docs/timeout"));
        s.add(new CallerSetting("resilience4j.timelimiter.time-limiter-aspect-order", "2147483641", "by default"
                + " the time limiter is inside the retry and limits each attempt; a lower order than the retry's"
                + " (2147483642) puts it outside, so that it limits the whole call as a deadline", RESILIENCE4J));
        return s;
    }

    /**
     * @param scenario the drill
     * @param registryUrl the demo registry
     * @return the application's properties: its settings that are properties, and where the registry is
     */
    public static Map<String, Object> properties(Scenario scenario, String registryUrl) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.application.name", "spring-cloud-caller");
        p.put("spring.main.banner-mode", "off");
        p.put("logging.level.root", "WARN");
        p.put("logging.level.dev.meshless", "ERROR");
        p.put("demo.registry-url", registryUrl);
        for (CallerSetting s : settings(scenario)) {
            if (s.key().contains(".") && !s.key().startsWith("@") && !s.value().equals(IN_CODE)
                    && !s.value().endsWith("(default)")) {
                p.put(s.key(), s.value());
            }
        }
        return p;
    }
}
