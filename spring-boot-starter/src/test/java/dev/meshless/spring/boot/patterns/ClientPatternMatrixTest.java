package dev.meshless.spring.boot.patterns;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.meshless.spring.boot.http.ZoneBackends.ZONE_A;
import static dev.meshless.spring.boot.http.ZoneBackends.ZONE_B;
import static dev.meshless.spring.boot.patterns.ClientPatternMatrixTest.App.BOOT;
import static dev.meshless.spring.boot.patterns.ClientPatternMatrixTest.App.CLOUD;
import static dev.meshless.spring.boot.patterns.ClientPatternMatrixTest.Path.MESHLESS;
import static dev.meshless.spring.boot.patterns.ClientPatternMatrixTest.Path.NONE;
import static dev.meshless.spring.boot.patterns.ClientPatternMatrixTest.Path.SPRING_CLOUD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.http.ZoneBackends;
import dev.meshless.spring.boot.patterns.boot.BootClientsApplication;
import dev.meshless.spring.boot.patterns.boot.BootClientsApplication.FeignInventory;
import dev.meshless.spring.boot.patterns.boot.BootClientsApplication.FeignWithUrl;
import dev.meshless.spring.boot.patterns.boot.BootClientsApplication.GroupWithoutBaseUrl;
import dev.meshless.spring.boot.patterns.boot.BootClientsApplication.ReactiveGroup;
import dev.meshless.spring.boot.patterns.boot.BootClientsApplication.SpringCloudGroup;
import dev.meshless.spring.boot.patterns.boot.BootClientsApplication.StockGroup;
import dev.meshless.spring.boot.patterns.boot.BootClientsApplication.ZoneAwareClient;
import dev.meshless.spring.boot.patterns.boot.BootClientsApplication.ZoneAwareSpringCloudGroup;
import dev.meshless.spring.boot.patterns.cloud.CloudClientsApplication;
import dev.meshless.spring.boot.testing.OwnReactorResources;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.context.named.NamedContextFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Every HTTP client pattern Spring applications write, as a matrix: each pattern with
 * spring-cloud-loadbalancer on the class path and without. This class runs twice, in the module's
 * tests and in the surefire execution {@code without-spring-cloud-loadbalancer}, which leaves that
 * jar out; {@link #SPRING_CLOUD} says which column a run is.
 *
 * <p>Each pattern calls a service of its own (so its own balancer, outlier detection and breakers)
 * whose endpoints are the same four servers on loopback, two in the caller's zone r1-a and two in
 * r1-b, each answering with its zone. With both zones up every call stays in r1-a. Then r1-a
 * refuses connections, and 20 calls of each pattern all answer from r1-b — none fails — after which
 * r1-a has no share of the service's traffic. The path is checked too: Spring Cloud's (Spring Cloud
 * made a LoadBalancer client for the service, and Meshless picks through the bridge), Meshless's
 * (Spring Cloud never saw the service), or none: a client nobody configures, whose call looks the
 * service's name up as a host name and fails, as docs/spring-boot.md says.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientPatternMatrixTest {

    /** Whether this run has spring-cloud-loadbalancer on its class path. */
    static final boolean SPRING_CLOUD_LOADBALANCER = ClassUtils.isPresent(
            "org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer",
            ClientPatternMatrixTest.class.getClassLoader());

    private static final int CALLS_AFTER_THE_ZONE_STOPS = 20;

    /** Which balancer acts on a pattern's calls. */
    enum Path { SPRING_CLOUD, MESHLESS, NONE }

    /** The application a pattern lives in: Spring Cloud's builders make Spring Boot's back off. */
    enum App { BOOT, CLOUD }

    /** Makes a pattern's call, once its application runs. */
    interface Client extends BiFunction<ConfigurableApplicationContext, String, Supplier<String>> {
    }

    /**
     * @param pattern what the application writes
     * @param service the service its calls go to
     * @param withSpringCloud the path with spring-cloud-loadbalancer
     * @param without the path without it
     * @param app where it lives
     * @param client its call
     */
    record Cell(String pattern, String service, Path withSpringCloud, Path without, App app, Client client) {
        Path path() {
            return SPRING_CLOUD_LOADBALANCER ? withSpringCloud : without;
        }

        @Override
        public String toString() {
            return pattern + " → " + path();
        }
    }

    private static final List<Cell> CELLS = List.of(
            new Cell("@LoadBalanced RestTemplate from RestTemplateBuilder", "lb-rest-template-builder",
                    SPRING_CLOUD, MESHLESS, BOOT, restTemplate("loadBalancedRestTemplateFromBuilder")),
            new Cell("RestTemplate from RestTemplateBuilder", "rest-template-builder",
                    MESHLESS, MESHLESS, BOOT, restTemplate("restTemplateFromBuilder")),
            new Cell("@LoadBalanced new RestTemplate()", "lb-new-rest-template",
                    SPRING_CLOUD, MESHLESS, BOOT, restTemplate("loadBalancedNewRestTemplate")),
            new Cell("new RestTemplate()", "new-rest-template",
                    NONE, NONE, BOOT, restTemplate("newRestTemplate")),
            new Cell("Spring Boot's RestClient.Builder", "rest-client-builder",
                    MESHLESS, MESHLESS, BOOT, restClient(app -> app.getBean(RestClient.Builder.class).build())),
            new Cell("RestClient.builder()", "static-rest-client-builder",
                    NONE, NONE, BOOT, restClient(app -> app.getBean("staticBuilderRestClient", RestClient.class))),
            new Cell("Spring Boot's WebClient.Builder", "web-client-builder",
                    MESHLESS, MESHLESS, BOOT, webClient(app -> app.getBean(WebClient.Builder.class))),
            new Cell("@ImportHttpServices group with base-url", "group-base-url",
                    MESHLESS, MESHLESS, BOOT, bean(StockGroup.class, StockGroup::zone)),
            new Cell("@ImportHttpServices group without base-url", "group-no-base-url",
                    MESHLESS, MESHLESS, BOOT, bean(GroupWithoutBaseUrl.class, GroupWithoutBaseUrl::zone)),
            new Cell("@ImportHttpServices group with base-url lb://", "group-lb",
                    SPRING_CLOUD, MESHLESS, BOOT, bean(SpringCloudGroup.class, SpringCloudGroup::zone)),
            new Cell("@ImportHttpServices WebClient group without base-url", "web-group-no-base-url",
                    MESHLESS, MESHLESS, BOOT,
                    bean(ReactiveGroup.class, group -> group.zone().block(Duration.ofSeconds(10)))),
            new Cell("@ZoneAware interface", "zone-aware",
                    MESHLESS, MESHLESS, BOOT, bean(ZoneAwareClient.class, ZoneAwareClient::zone)),
            new Cell("@ImportHttpServices group with base-url lb:// of a @ZoneAware interface", "zone-aware-lb",
                    MESHLESS, MESHLESS, BOOT, bean(ZoneAwareSpringCloudGroup.class, ZoneAwareSpringCloudGroup::zone)),
            new Cell("OpenFeign @FeignClient(name)", "feign",
                    SPRING_CLOUD, MESHLESS, BOOT, bean(FeignInventory.class, FeignInventory::zone)),
            new Cell("OpenFeign @FeignClient(name, url)", "feign-url",
                    NONE, MESHLESS, BOOT, bean(FeignWithUrl.class, FeignWithUrl::zone)),
            new Cell("@LoadBalanced RestClient.Builder, RestClient.builder()", "lb-rest-client-builder",
                    SPRING_CLOUD, MESHLESS, CLOUD,
                    restClient(app -> app.getBean("loadBalancedRestClientBuilder", RestClient.Builder.class).build())),
            new Cell("@LoadBalanced RestClient.Builder from RestClientBuilderConfigurer", "lb-configured-rest-client",
                    SPRING_CLOUD, MESHLESS, CLOUD, restClient(app ->
                            app.getBean("loadBalancedConfiguredRestClientBuilder", RestClient.Builder.class).build())),
            new Cell("@LoadBalanced WebClient.Builder, WebClient.builder()", "lb-web-client-builder",
                    SPRING_CLOUD, MESHLESS, CLOUD,
                    webClient(app -> app.getBean("loadBalancedWebClientBuilder", WebClient.Builder.class))));

    private ZoneBackends backends;
    private final Map<App, ConfigurableApplicationContext> apps = new EnumMap<>(App.class);
    private final Map<Cell, Supplier<String>> calls = new HashMap<>();

    @BeforeAll
    void start() {
        backends = ZoneBackends.start("matrix");
        backends.stubZone(ZONE_A, get(anyUrl()).willReturn(ok(ZONE_A)));
        backends.stubZone(ZONE_B, get(anyUrl()).willReturn(ok(ZONE_B)));
        List<String> properties = new ArrayList<>(
                List.of(backends.properties(CELLS.stream().map(Cell::service).toList())));
        properties.addAll(List.of(BootClientsApplication.BASE_URLS));
        properties.addAll(List.of("spring.application.name=checkout",
                "spring.http.clients.read-timeout=5s", "spring.http.clients.connect-timeout=2s",
                "spring.cloud.loadbalancer.retry.enabled=true")); // Spring Cloud's WebClient retries only when asked
        apps.put(BOOT, run(BootClientsApplication.class, properties));
        apps.put(CLOUD, run(CloudClientsApplication.class, properties));
        CELLS.forEach(cell -> calls.put(cell, cell.client().apply(apps.get(cell.app()), cell.service())));
    }

    @AfterAll
    void stop() {
        apps.values().forEach(ConfigurableApplicationContext::close);
        if (backends != null) {
            backends.close();
        }
    }

    @TestFactory
    Stream<DynamicNode> everyPatternAnswersAndLeavesAZoneThatRefusesConnections() {
        String column = (SPRING_CLOUD_LOADBALANCER ? "with" : "without") + " spring-cloud-loadbalancer";
        return Stream.of(
                dynamicContainer(column + ", both zones up: calls stay in r1-a",
                        CELLS.stream().map(cell -> dynamicTest(cell.toString(), () -> bothZonesUp(cell)))),
                dynamicTest("r1-a stops: its ports refuse connections", () -> backends.stopZone(ZONE_A)),
                dynamicContainer(column + ", r1-a refuses connections: every call answers from r1-b",
                        CELLS.stream().map(cell -> dynamicTest(cell.toString(), () -> zoneDown(cell)))));
    }

    private void bothZonesUp(Cell cell) {
        if (cell.path() == NONE) {
            assertNotBalanced(cell);
            return;
        }
        for (int i = 0; i < 5; i++) {
            assertThat(calls.get(cell).get()).as("%s: call %d", cell, i).isEqualTo(ZONE_A);
        }
        assertThat(requests(ZONE_B, cell)).as("%s: calls to r1-b", cell).isZero();
        assertThat(springCloudClients(cell.app()).contains(cell.service()))
                .as("%s: Spring Cloud balances it", cell).isEqualTo(cell.path() == SPRING_CLOUD);
    }

    private void zoneDown(Cell cell) {
        if (cell.path() == NONE) {
            assertNotBalanced(cell);
            return;
        }
        for (int i = 0; i < CALLS_AFTER_THE_ZONE_STOPS; i++) {
            assertThat(calls.get(cell).get()).as("%s: call %d", cell, i).isEqualTo(ZONE_B);
        }
        assertThat(requests(ZONE_B, cell)).as("%s: one request a call", cell).isEqualTo(CALLS_AFTER_THE_ZONE_STOPS);
        assertThat(apps.get(cell.app()).getBean(MeshlessClients.class).client(cell.service()).balancer().plan()
                .tierShare(0)).as("%s: r1-a's share of the traffic", cell).isZero();
        assertThat(springCloudClients(cell.app()).contains(cell.service()))
                .as("%s: Spring Cloud balances it", cell).isEqualTo(cell.path() == SPRING_CLOUD);
    }

    private void assertNotBalanced(Cell cell) {
        assertThatThrownBy(() -> calls.get(cell).get()).satisfies(e -> assertThat(
                Stream.iterate(e, Objects::nonNull, Throwable::getCause).toList())
                .as("%s: the service's name is looked up as a host name", cell)
                .hasAtLeastOneElementOfType(UnknownHostException.class));
        assertThat(requests(ZONE_A, cell) + requests(ZONE_B, cell)).isZero();
        assertThat(springCloudClients(cell.app())).doesNotContain(cell.service());
    }

    private int requests(String zone, Cell cell) {
        return backends.requests(zone, getRequestedFor(urlEqualTo("/" + cell.service())));
    }

    /** @return the services Spring Cloud LoadBalancer made a client for (none without it) */
    private Set<String> springCloudClients(App app) {
        ConfigurableApplicationContext context = apps.get(app);
        return context.containsBean("loadBalancerClientFactory")
                ? context.getBean("loadBalancerClientFactory", NamedContextFactory.class).getContextNames() : Set.of();
    }

    /** Each app gets Reactor Netty resources of its own ({@link OwnReactorResources}). */
    private static ConfigurableApplicationContext run(Class<?> application, List<String> properties) {
        return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
                .initializers(OwnReactorResources::register).properties(properties.toArray(String[]::new)).run();
    }

    private static String url(String service) {
        return "http://" + service + "/" + service;
    }

    private static <T> Client bean(Class<T> type, Function<T, String> call) {
        return (app, service) -> {
            T bean = app.getBean(type);
            return () -> call.apply(bean);
        };
    }

    private static Client restTemplate(String bean) {
        return (app, service) -> {
            RestTemplate template = app.getBean(bean, RestTemplate.class);
            return () -> template.getForObject(url(service), String.class);
        };
    }

    private static Client restClient(Function<ConfigurableApplicationContext, RestClient> client) {
        return (app, service) -> {
            RestClient rest = client.apply(app);
            return () -> rest.get().uri(url(service)).retrieve().body(String.class);
        };
    }

    private static Client webClient(Function<ConfigurableApplicationContext, WebClient.Builder> builder) {
        return (app, service) -> {
            WebClient web = builder.apply(app).build();
            return () -> web.get().uri(url(service)).retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10));
        };
    }
}
