package dev.meshless.spring.boot.zoneaware;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.meshless.spring.boot.http.ZoneBackends.ZONE_A;
import static dev.meshless.spring.boot.http.ZoneBackends.ZONE_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.call.ServiceCallException;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.spring.boot.http.HttpClientContexts;
import dev.meshless.spring.boot.http.ZoneBackends;
import dev.meshless.spring.boot.zoneaware.broken.NoServiceClient;
import dev.meshless.spring.boot.zoneaware.broken.NotAnHttpClient;
import dev.meshless.spring.boot.zoneaware.clients.ClientsApplication;
import dev.meshless.spring.boot.zoneaware.clients.InventoryClient;
import dev.meshless.spring.boot.zoneaware.clients.ReactiveInventoryClient;
import dev.meshless.spring.boot.zoneaware.extra.BillingClient;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.cloud.client.loadbalancer.LoadBalancerInterceptor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.service.registry.HttpServiceProxyRegistry;

/** Beans for {@code @ZoneAware} HTTP service interfaces, and their calls through the zone drills. */
class ZoneAwareInterfaceClientTest {

    private ZoneBackends inventory;

    @BeforeEach
    void startBackends() {
        inventory = ZoneBackends.start("inventory");
        inventory.stubAll(get(urlPathMatching("/stock/.*")).willReturn(aResponse().withBody("7")));
        inventory.stubAll(get("/items/42").willReturn(okJson("{\"sku\":\"42\",\"count\":7}")));
        inventory.stubAll(post("/reservations").willReturn(aResponse().withStatus(201).withBody("r-1")));
    }

    @AfterEach
    void stopBackends() {
        inventory.close();
    }

    private ApplicationContextRunner runner() {
        return HttpClientContexts.runner(inventory).withUserConfiguration(ClientsApplication.class);
    }

    @Test
    void everyInterfaceInTheApplicationsPackagesGetsABean() {
        runner().run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(InventoryClient.class)
                    .hasSingleBean(ReactiveInventoryClient.class).doesNotHaveBean(BillingClient.class);
            assertThat(context.getBean(HttpServiceProxyRegistry.class).getClientTypesInGroup("inventory"))
                    .as("registered in Spring's HTTP service registry, in the group named after the service")
                    .contains(InventoryClient.class);
        });
    }

    @Test
    void callsStayInTheCallersZoneAndSpringBootsConvertersApply() {
        runner().run(context -> {
            InventoryClient client = context.getBean(InventoryClient.class);
            for (int i = 0; i < 10; i++) {
                assertThat(client.stock("42")).isEqualTo("7");
            }
            assertThat(client.item("42")).isEqualTo(new InventoryClient.Item("42", 7));
            assertThat(inventory.requests(ZONE_A, anyRequestedFor(anyUrl()))).isEqualTo(11);
            assertThat(inventory.requests(ZONE_B, anyRequestedFor(anyUrl()))).isZero();
        });
    }

    @Test
    void whenTheCallersZoneRefusesConnectionsEveryCallSucceedsInTheOtherZone() {
        inventory.stopZone(ZONE_A);
        runner().run(context -> {
            InventoryClient client = context.getBean(InventoryClient.class);
            for (int i = 0; i < 20; i++) {
                assertThat(client.stock("42")).isEqualTo("7");
            }
            assertThat(client.reserve("42")).as("the request never left: safe to move").isEqualTo("r-1");
            assertThat(inventory.requests(ZONE_B, anyRequestedFor(anyUrl()))).isEqualTo(21);
        });
    }

    @Test
    void a503IsRetriedForGetAndForIdempotentMethodsButNotForPost() {
        inventory.stubZone(ZONE_A, get(urlPathMatching("/stock/.*")).willReturn(serviceUnavailable()));
        inventory.stubZone(ZONE_A, post("/reservations").willReturn(serviceUnavailable()));
        runner().run(context -> {
            InventoryClient client = context.getBean(InventoryClient.class);
            assertThat(client.stock("42")).isEqualTo("7");

            assertThatThrownBy(() -> client.reserve("42")).isInstanceOf(HttpServerErrorException.ServiceUnavailable.class);
            assertThat(inventory.requests(ZONE_B, postRequestedFor(urlEqualTo("/reservations")))).isZero();

            assertThat(client.reserveIdempotently("42")).isEqualTo("r-1");
            assertThat(inventory.requests(ZONE_B, postRequestedFor(urlEqualTo("/reservations")))).isEqualTo(1);
        });
    }

    @Test
    void whenEveryEndpointIsDownTheCallerGetsTheTypedException() {
        inventory.stopZone(ZONE_A);
        inventory.stopZone(ZONE_B);
        runner().run(context -> assertThatThrownBy(() -> context.getBean(InventoryClient.class).stock("42"))
                .isInstanceOfSatisfying(ServiceCallException.class, e -> {
                    assertThat(e.service()).isEqualTo("inventory");
                    assertThat(e.attempts()).hasSize(3);
                }));
    }

    @Test
    void aReactiveInterfaceRunsOnWebClientAndFailsOver() {
        inventory.stopZone(ZONE_A);
        runner().run(context -> {
            ReactiveInventoryClient client = context.getBean(ReactiveInventoryClient.class);
            for (int i = 0; i < 5; i++) {
                assertThat(client.stock("42").block(Duration.ofSeconds(10))).isEqualTo("7");
            }
            assertThat(inventory.requests(ZONE_B, getRequestedFor(urlEqualTo("/stock/42")))).isEqualTo(5);
        });
    }

    @Test
    void enableZoneAwareClientsAddsPackagesAndTheirInterfacesAreRouted() {
        runner().withUserConfiguration(WithBillingPackage.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(BillingClient.class).hasSingleBean(InventoryClient.class);
            assertThatThrownBy(() -> context.getBean(BillingClient.class).invoice("1"))
                    .as("routed through Meshless, which knows no endpoint of billing")
                    .isInstanceOfSatisfying(ServiceCallException.class, e -> {
                        assertThat(e.service()).isEqualTo("billing");
                        assertThat(e.reason()).isEqualTo(ServiceCallException.Reason.NO_ENDPOINT);
                    });
        });
    }

    @Test
    void anInterfaceThatAlreadyHasABeanGetsNoneFromMeshless() {
        runner().withUserConfiguration(OwnInventoryClient.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(InventoryClient.class);
            assertThat(context.getBean(InventoryClient.class).stock("42")).isEqualTo("own");
        });
    }

    @Test
    void springCloudsBalancerOnALoadBalancedBuilderIsLeftOut() {
        runner().withUserConfiguration(LoadBalancedBuilder.class).run(context -> {
            assertThat(context.getBean(InventoryClient.class).stock("42")).isEqualTo("7");
            assertThat(inventory.requests(ZONE_A, anyRequestedFor(anyUrl()))).isEqualTo(1);
        });
    }

    @Test
    void thePropertyTurnsTheRegistrationOfInterfacesOff() {
        runner().withPropertyValues("meshless.zone-aware.interface-clients.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(InventoryClient.class)
                        .doesNotHaveBean(HttpServiceProxyRegistry.class));
    }

    @Test
    void anInterfaceWithoutAServiceStopsStartupNamingIt() {
        runner().withUserConfiguration(WithNoService.class).run(context -> assertThat(context).getFailure()
                .extracting(NestedExceptionUtils::getMostSpecificCause)
                .asInstanceOf(InstanceOfAssertFactories.type(InvalidMeshlessConfigurationException.class))
                .satisfies(e -> {
                    assertThat(e.property()).isEqualTo("@ZoneAware(service) on " + NoServiceClient.class.getName());
                    assertThat(e.rule()).contains("must name the service");
                }));
    }

    @Test
    void anInterfaceWithoutHttpExchangesStopsStartupNamingIt() {
        runner().withUserConfiguration(WithNotHttp.class).run(context -> assertThat(context).getFailure()
                .extracting(NestedExceptionUtils::getMostSpecificCause)
                .asInstanceOf(InstanceOfAssertFactories.type(InvalidMeshlessConfigurationException.class))
                .satisfies(e -> {
                    assertThat(e.property()).isEqualTo("@ZoneAware on " + NotAnHttpClient.class.getName());
                    assertThat(e.rule()).contains("@HttpExchange");
                }));
    }

    @Test
    void aReactiveInterfaceWithoutWebFluxStopsStartupNamingIt() {
        runner().withClassLoader(new FilteredClassLoader("org.springframework.web.reactive"))
                .run(context -> assertThat(context).getFailure()
                        .extracting(NestedExceptionUtils::getMostSpecificCause, InstanceOfAssertFactories.THROWABLE)
                        .isInstanceOf(InvalidMeshlessConfigurationException.class)
                        .hasMessageContaining(ReactiveInventoryClient.class.getName())
                        .hasMessageContaining("spring-webflux"));
    }

    /** Adds a package outside the application's. */
    @Configuration(proxyBeanMethods = false)
    @EnableZoneAwareClients(basePackageClasses = BillingClient.class)
    static class WithBillingPackage {
    }

    /** Registers an interface without a service. */
    @Configuration(proxyBeanMethods = false)
    @EnableZoneAwareClients(clients = NoServiceClient.class)
    static class WithNoService {
    }

    /** Registers an interface without HTTP exchange methods. */
    @Configuration(proxyBeanMethods = false)
    @EnableZoneAwareClients(clients = NotAnHttpClient.class)
    static class WithNotHttp {
    }

    /** The application's only RestClient builder is Spring Cloud's {@code @LoadBalanced} kind. */
    @Configuration(proxyBeanMethods = false)
    static class LoadBalancedBuilder {
        @Bean
        RestClient.Builder loadBalancedBuilder() {
            LoadBalancerClient unusable = (LoadBalancerClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {LoadBalancerClient.class}, (proxy, method, args) -> {
                        throw new AssertionError("Spring Cloud LoadBalancer was asked to balance " + Arrays.toString(args));
                    });
            return RestClient.builder().requestInterceptor(new LoadBalancerInterceptor(unusable));
        }
    }

    /** The application's own implementation. */
    @Configuration(proxyBeanMethods = false)
    static class OwnInventoryClient {
        @Bean
        InventoryClient ownInventoryClient() {
            return new InventoryClient() {
                @Override
                public String stock(String sku) {
                    return "own";
                }

                @Override
                public Item item(String sku) {
                    return new Item(sku, 0);
                }

                @Override
                public String reserve(String sku) {
                    return "own";
                }

                @Override
                public String reserveIdempotently(String sku) {
                    return "own";
                }
            };
        }
    }
}
