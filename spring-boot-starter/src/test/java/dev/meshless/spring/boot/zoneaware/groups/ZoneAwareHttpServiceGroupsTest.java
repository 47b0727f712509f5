package dev.meshless.spring.boot.zoneaware.groups;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.meshless.spring.boot.http.ZoneBackends.ZONE_A;
import static dev.meshless.spring.boot.http.ZoneBackends.ZONE_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.spring.boot.ZoneAware;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.spring.boot.http.HttpClientContexts;
import dev.meshless.spring.boot.http.ZoneBackends;
import dev.meshless.spring.boot.zoneaware.EnableZoneAwareClients;
import dev.meshless.spring.boot.zoneaware.clients.InventoryClient;
import dev.meshless.spring.boot.zoneaware.clients.ReactiveInventoryClient;
import java.time.Duration;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.service.HttpServiceClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.service.ReactiveHttpServiceClientAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.HttpServiceProxyRegistry;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * {@code @ZoneAware} as a feature of Spring's HTTP service groups: interfaces the starter registers
 * and interfaces of the application's own {@code @ImportHttpServices} groups both get the group's
 * {@code spring.http.serviceclient.<group>.*} settings and Meshless's routing, with the
 * annotations' policy and idempotence; real servers on loopback in two zones.
 */
class ZoneAwareHttpServiceGroupsTest {

    private static final String SLOW = "slow";

    private ZoneBackends inventory;

    @BeforeEach
    void startBackends() {
        inventory = ZoneBackends.start("inventory");
        inventory.stubAll(get(urlPathMatching("/stock/.*")).willReturn(aResponse().withBody("7")));
        inventory.stubAll(get(urlPathMatching("/api/stock/.*")).willReturn(aResponse().withBody("api-7")));
        inventory.stubAll(post("/reservations").willReturn(aResponse().withStatus(201).withBody("r-1")));
    }

    @AfterEach
    void stopBackends() {
        inventory.close();
    }

    /** As an application with {@code spring-boot-starter-restclient} and {@code -webclient} has it. */
    private ApplicationContextRunner runner() {
        return HttpClientContexts.runner(inventory)
                .withConfiguration(AutoConfigurations.of(HttpServiceClientPropertiesAutoConfiguration.class,
                        HttpServiceClientAutoConfiguration.class, ReactiveHttpServiceClientAutoConfiguration.class))
                .withPropertyValues("meshless.services.inventory.timeouts.deadline=20s",
                        "meshless.services.inventory.retry.max-attempts=4");
    }

    @Test
    void aStarterRegisteredInterfaceIsInTheGroupNamedAfterItsService() {
        runner().withUserConfiguration(Registered.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(InventoryClient.class).hasSingleBean(ReactiveInventoryClient.class);
            HttpServiceProxyRegistry registry = context.getBean(HttpServiceProxyRegistry.class);
            assertThat(registry.getGroupNames()).containsExactlyInAnyOrder("inventory", "inventory-reactive");
            assertThat(registry.getClientTypesInGroup("inventory")).containsExactly(InventoryClient.class);
            assertThat(registry.getClientTypesInGroup("inventory-reactive")).containsExactly(ReactiveInventoryClient.class);
        });
    }

    @Test
    void groupDefaultHeadersReachEveryCallOfAStarterRegisteredInterface() {
        runner().withUserConfiguration(Registered.class)
                .withPropertyValues("spring.http.serviceclient.inventory.default-header.X-Caller=checkout",
                        "spring.http.serviceclient.inventory-reactive.default-header.X-Caller=checkout-reactive")
                .run(context -> {
                    assertThat(context.getBean(InventoryClient.class).stock("42")).isEqualTo("7");
                    assertThat(context.getBean(ReactiveInventoryClient.class).stock("42").block(Duration.ofSeconds(10)))
                            .isEqualTo("7");
                    assertThat(inventory.requests(ZONE_A, getRequestedFor(urlEqualTo("/stock/42"))
                            .withHeader("X-Caller", equalTo("checkout")))).isEqualTo(1);
                    assertThat(inventory.requests(ZONE_A, getRequestedFor(urlEqualTo("/stock/42"))
                            .withHeader("X-Caller", equalTo("checkout-reactive")))).isEqualTo(1);
                });
    }

    @Test
    void theGroupReadTimeoutEndsASlowAttemptWhichIsRetriedInTheOtherZone() {
        // far beyond the group's read timeout, far below Meshless's deadline: only the read timeout ends it
        inventory.stubZone(ZONE_A, get("/stock/42").willReturn(aResponse().withBody(SLOW).withFixedDelay(8_000)));
        runner().withUserConfiguration(Registered.class)
                .withPropertyValues("spring.http.serviceclient.inventory.read-timeout=1s")
                .run(context -> {
                    assertThat(context.getBean(InventoryClient.class).stock("42"))
                            .as("zone a answers only after the group's read timeout").isEqualTo("7");
                    assertThat(inventory.requests(ZONE_A, getRequestedFor(urlEqualTo("/stock/42")))).isPositive();
                    assertThat(inventory.requests(ZONE_B, getRequestedFor(urlEqualTo("/stock/42")))).isEqualTo(1);
                });
    }

    @Test
    void withoutTheGroupReadTimeoutTheSlowZoneAnswers() {
        inventory.stubZone(ZONE_A, get("/stock/42").willReturn(aResponse().withBody(SLOW).withFixedDelay(300)));
        runner().withUserConfiguration(Registered.class).run(context ->
                assertThat(context.getBean(InventoryClient.class).stock("42")).isEqualTo(SLOW));
    }

    @Test
    void anImportedGroupsZoneAwareInterfaceFollowsItsAnnotationsAndTheGroupsSettings() {
        inventory.stubZone(ZONE_A, post("/reservations").willReturn(serviceUnavailable()));
        runner().withUserConfiguration(Imported.class)
                .withPropertyValues("spring.http.serviceclient.stock.default-header.X-Caller=checkout")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(InventoryClient.class);
                    InventoryClient client = context.getBean(InventoryClient.class);
                    for (int i = 0; i < 5; i++) {
                        assertThat(client.stock("42")).isEqualTo("7");
                    }
                    assertThat(inventory.requests(ZONE_A, getRequestedFor(urlEqualTo("/stock/42"))
                            .withHeader("X-Caller", equalTo("checkout")))).isEqualTo(5);
                    assertThat(inventory.requests(ZONE_B, anyRequestedFor(anyUrl()))).isZero();

                    assertThatThrownBy(() -> client.reserve("42"))
                            .isInstanceOf(HttpServerErrorException.ServiceUnavailable.class);
                    assertThat(inventory.requests(ZONE_B, postRequestedFor(urlEqualTo("/reservations")))).isZero();
                    assertThat(client.reserveIdempotently("42")).as("@ZoneAware(idempotent) on the method")
                            .isEqualTo("r-1");
                    assertThat(inventory.requests(ZONE_B, postRequestedFor(urlEqualTo("/reservations")))).isEqualTo(1);
                });
    }

    @Test
    void withoutTheRegistrationOfInterfacesAnImportedGroupIsStillRoutedByItsAnnotations() {
        inventory.stubZone(ZONE_A, post("/reservations").willReturn(serviceUnavailable()));
        runner().withUserConfiguration(Imported.class)
                .withPropertyValues("meshless.zone-aware.interface-clients.enabled=false",
                        "meshless.zone-aware.http-clients.enabled=false")
                .run(context -> {
                    assertThat(context.getBean(InventoryClient.class).reserveIdempotently("42")).isEqualTo("r-1");
                    assertThat(inventory.requests(ZONE_B, postRequestedFor(urlEqualTo("/reservations")))).isEqualTo(1);
                });
    }

    @Test
    void anImportedGroupsPolicyComesFromTheInterfacesAnnotation() {
        inventory.stubZone(ZONE_A, get("/stock/42").willReturn(serviceUnavailable()));
        runner().withUserConfiguration(ImportedWithPolicy.class)
                .withPropertyValues("meshless.services.no-retries.retry.max-attempts=1")
                .run(context -> {
                    assertThatThrownBy(() -> context.getBean(NoRetryStockClient.class).stock("42"))
                            .as("the policy 'no-retries' allows one attempt")
                            .isInstanceOf(HttpServerErrorException.ServiceUnavailable.class);
                    assertThat(inventory.requests(ZONE_B, anyRequestedFor(anyUrl()))).isZero();
                });
    }

    @Test
    void aGroupBaseUrlNamingTheServiceKeepsItsPath() {
        runner().withUserConfiguration(Imported.class)
                .withPropertyValues("spring.http.serviceclient.stock.base-url=http://inventory/api")
                .run(context -> assertThat(context.getBean(InventoryClient.class).stock("42")).isEqualTo("api-7"));
    }

    @Test
    void aGroupBaseUrlNamingAnotherHostStopsStartupNamingTheProperty() {
        runner().withUserConfiguration(Imported.class)
                .withPropertyValues("spring.http.serviceclient.stock.base-url=http://localhost:8080")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .asInstanceOf(InstanceOfAssertFactories.type(InvalidMeshlessConfigurationException.class))
                        .satisfies(e -> {
                            assertThat(e.property()).isEqualTo("spring.http.serviceclient.stock.base-url");
                            assertThat(e.value()).isEqualTo("http://localhost:8080");
                            assertThat(e.rule()).contains("'inventory'");
                        }));
    }

    @Test
    void twoServicesInOneGroupStopStartupNamingBoth() {
        runner().withUserConfiguration(TwoServicesInOneGroup.class)
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(InvalidMeshlessConfigurationException.class)
                        .hasMessageContaining("'mixed'").hasMessageContaining("billing")
                        .hasMessageContaining("inventory"));
    }

    @Test
    void aGroupWithoutZoneAwareInterfacesIsNotRoutedByTheseConfigurers() {
        runner().withUserConfiguration(PlainGroup.class)
                .withPropertyValues("spring.http.serviceclient.plain.base-url=http://127.0.0.1:" + inventory.port(ZONE_B))
                .run(context -> {
                    assertThat(context.getBean(PlainClient.class).stock("42")).isEqualTo("7");
                    assertThat(inventory.requests(ZONE_B, anyRequestedFor(anyUrl()))).isEqualTo(1);
                });
    }

    /** An interface of the inventory service that follows the policy {@code no-retries}. */
    @ZoneAware(service = "inventory", policy = "no-retries")
    public interface NoRetryStockClient {

        /**
         * @param sku the item
         * @return its stock
         */
        @GetExchange("/stock/{sku}")
        String stock(@PathVariable String sku);
    }

    /** An interface of another service. */
    @ZoneAware("billing")
    public interface BillingClient {

        /** @return anything */
        @GetExchange("/invoices")
        String invoices();
    }

    /** An interface without {@code @ZoneAware}. */
    public interface PlainClient {

        /**
         * @param sku the item
         * @return its stock
         */
        @GetExchange("/stock/{sku}")
        String stock(@PathVariable String sku);
    }

    /** Interfaces registered by the starter. */
    @Configuration(proxyBeanMethods = false)
    @EnableZoneAwareClients(clients = {InventoryClient.class, ReactiveInventoryClient.class})
    static class Registered {
    }

    /** The application's own group. */
    @Configuration(proxyBeanMethods = false)
    @ImportHttpServices(group = "stock", types = InventoryClient.class)
    static class Imported {
    }

    /** The application's own group, whose interface names a policy. */
    @Configuration(proxyBeanMethods = false)
    @ImportHttpServices(group = "stock", types = NoRetryStockClient.class)
    static class ImportedWithPolicy {
    }

    /** A mistake: one group, two services. */
    @Configuration(proxyBeanMethods = false)
    @ImportHttpServices(group = "mixed", types = {InventoryClient.class, BillingClient.class})
    static class TwoServicesInOneGroup {
    }

    /** A group Meshless's zone-aware configurers leave alone. */
    @Configuration(proxyBeanMethods = false)
    @ImportHttpServices(group = "plain", types = PlainClient.class, clientType = HttpServiceGroup.ClientType.REST_CLIENT)
    static class PlainGroup {
    }
}
