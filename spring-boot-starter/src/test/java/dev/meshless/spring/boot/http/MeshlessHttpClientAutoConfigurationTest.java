package dev.meshless.spring.boot.http;

import static dev.meshless.spring.boot.http.HttpClientContexts.filters;
import static dev.meshless.spring.boot.http.HttpClientContexts.interceptors;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.zoneaware.ZoneAwareAspect;
import dev.meshless.spring.boot.zoneaware.ZoneAwareRestClientGroupConfigurer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/** Which HTTP client beans appear, with which classes and properties, and that they back off. */
class MeshlessHttpClientAutoConfigurationTest {

    private final ApplicationContextRunner runner = HttpClientContexts.runner();

    @Test
    void everyBuilderSpringBootGivesCarriesMeshlessOnce() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(MeshlessClientHttpRequestInterceptor.class)
                    .hasSingleBean(MeshlessExchangeFilterFunction.class)
                    .hasSingleBean(MeshlessRestClientsCustomizer.class).hasSingleBean(MeshlessWebClientCustomizer.class);
            assertThat(interceptors(context.getBean(RestClient.Builder.class)))
                    .filteredOn(MeshlessClientHttpRequestInterceptor.class::isInstance).hasSize(1);
            assertThat(context.getBean(RestTemplateBuilder.class).build().getInterceptors())
                    .filteredOn(MeshlessClientHttpRequestInterceptor.class::isInstance).hasSize(1);
            assertThat(filters(context.getBean(WebClient.Builder.class)))
                    .filteredOn(MeshlessExchangeFilterFunction.class::isInstance).hasSize(1);

            RestClient.Builder again = context.getBean(RestClient.Builder.class);
            context.getBean(MeshlessRestClientsCustomizer.class).customize(again);
            assertThat(interceptors(again)).as("customizing twice adds nothing")
                    .filteredOn(MeshlessClientHttpRequestInterceptor.class::isInstance).hasSize(1);
        });
    }

    @Test
    void thePropertyLeavesTheBuildersAloneButKeepsTheInterceptorAndFilterAsBeans() {
        runner.withPropertyValues("meshless.zone-aware.http-clients.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(MeshlessClientHttpRequestInterceptor.class)
                    .hasSingleBean(MeshlessExchangeFilterFunction.class)
                    .doesNotHaveBean(MeshlessRestClientsCustomizer.class)
                    .doesNotHaveBean(MeshlessWebClientCustomizer.class);
            assertThat(interceptors(context.getBean(RestClient.Builder.class))).isEmpty();
            assertThat(context.getBean(RestTemplateBuilder.class).build().getInterceptors()).isEmpty();
            assertThat(filters(context.getBean(WebClient.Builder.class)))
                    .noneMatch(MeshlessExchangeFilterFunction.class::isInstance);
        });
    }

    @Test
    void theApplicationsOwnInterceptorAndFilterAreUsed() {
        runner.withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(MeshlessClientHttpRequestInterceptor.class)
                    .hasSingleBean(MeshlessExchangeFilterFunction.class);
            assertThat(interceptors(context.getBean(RestClient.Builder.class)))
                    .containsExactly(context.getBean("ownInterceptor", MeshlessClientHttpRequestInterceptor.class));
            assertThat(filters(context.getBean(WebClient.Builder.class)))
                    .contains(context.getBean("ownFilter", MeshlessExchangeFilterFunction.class));
        });
    }

    @Test
    void withoutWebFluxThereIsNoFilter() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.web.reactive")).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(MeshlessClientHttpRequestInterceptor.class)
                    .hasSingleBean(MeshlessRestClientsCustomizer.class)
                    .doesNotHaveBean(MeshlessExchangeFilterFunction.class)
                    .doesNotHaveBean(MeshlessWebClientCustomizer.class);
        });
    }

    @Test
    void withoutSpringBootsClientModulesThereAreNoCustomizers() {
        runner.withClassLoader(new FilteredClassLoader(RestClientCustomizer.class, WebClientCustomizer.class))
                .run(context -> assertThat(context).hasNotFailed()
                        .hasSingleBean(MeshlessClientHttpRequestInterceptor.class)
                        .hasSingleBean(MeshlessExchangeFilterFunction.class)
                        .doesNotHaveBean(MeshlessRestClientsCustomizer.class)
                        .doesNotHaveBean(MeshlessWebClientCustomizer.class));
    }

    @Test
    void withoutSpringWebThereIsNothing() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.http.client",
                        "org.springframework.web"))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(MeshlessClients.class)
                        .doesNotHaveBean(MeshlessClientHttpRequestInterceptor.class)
                        .doesNotHaveBean(MeshlessExchangeFilterFunction.class)
                        .doesNotHaveBean(ZoneAwareRestClientGroupConfigurer.class));
    }

    @Test
    void meshlessOffMeansNoHttpIntegration() {
        runner.withPropertyValues("meshless.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(MeshlessClientHttpRequestInterceptor.class)
                    .doesNotHaveBean(MeshlessExchangeFilterFunction.class)
                    .doesNotHaveBean(ZoneAwareAspect.class);
            assertThat(interceptors(context.getBean(RestClient.Builder.class))).isEmpty();
        });
    }

    /** The application's own interceptor and filter. */
    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        @Bean
        MeshlessClientHttpRequestInterceptor ownInterceptor(MeshlessClients clients) {
            return new MeshlessClientHttpRequestInterceptor(clients);
        }

        @Bean
        MeshlessExchangeFilterFunction ownFilter(MeshlessClients clients) {
            return new MeshlessExchangeFilterFunction(clients);
        }
    }
}
