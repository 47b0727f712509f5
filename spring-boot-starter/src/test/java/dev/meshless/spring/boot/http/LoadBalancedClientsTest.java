package dev.meshless.spring.boot.http;

import static dev.meshless.spring.boot.http.HttpClientContexts.filters;
import static dev.meshless.spring.boot.http.HttpClientContexts.interceptors;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.loadbalancer.BlockingLoadBalancerInterceptor;
import org.springframework.cloud.client.loadbalancer.DeferringLoadBalancerInterceptor;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Which balancer {@code RestClient.Builder}, {@code WebClient.Builder} and {@code RestTemplate} beans
 * keep. These contexts have spring-cloud-commons but no Spring Cloud LoadBalancer auto-configuration,
 * so nothing of Spring Cloud balances a {@code @LoadBalanced} bean here; the matrix in
 * {@code ClientPatternMatrixTest} runs the same patterns with it.
 */
class LoadBalancedClientsTest {

    private final ApplicationContextRunner runner = HttpClientContexts.runner().withUserConfiguration(Clients.class);

    @Test
    void loadBalancedClientsThatSpringCloudDoesNotBalanceGetMeshlessAndOthersAreLeftAlone() {
        runner.run(context -> {
            assertThat(interceptors(context.getBean("loadBalancedBuilder", RestClient.Builder.class)))
                    .hasExactlyElementsOfTypes(MeshlessClientHttpRequestInterceptor.class);
            assertThat(filters(context.getBean("loadBalancedWebClientBuilder", WebClient.Builder.class)))
                    .hasExactlyElementsOfTypes(MeshlessExchangeFilterFunction.class);
            assertThat(context.getBean("loadBalancedTemplate", RestTemplate.class).getInterceptors())
                    .hasExactlyElementsOfTypes(MeshlessClientHttpRequestInterceptor.class);
            assertThat(context.getBean("plainTemplate", RestTemplate.class).getInterceptors()).isEmpty();
        });
    }

    @Test
    void aClientThatCarriesSpringCloudsInterceptorLosesMeshlessWhateverItsAnnotations() {
        runner.run(context -> assertThat(interceptors(context.getBean("springCloudBuilder", RestClient.Builder.class)))
                .hasExactlyElementsOfTypes(DeferringLoadBalancerInterceptor.class));
    }

    @Test
    void withTheCustomizersOffLoadBalancedClientsGetNothing() {
        runner.withPropertyValues("meshless.zone-aware.http-clients.enabled=false").run(context -> {
            assertThat(interceptors(context.getBean("loadBalancedBuilder", RestClient.Builder.class))).isEmpty();
            assertThat(context.getBean("loadBalancedTemplate", RestTemplate.class).getInterceptors()).isEmpty();
        });
    }

    @Test
    void withoutSpringCloudCommonsNothingLooksForTheAnnotation() {
        HttpClientContexts.runner().withClassLoader(new FilteredClassLoader("org.springframework.cloud.client"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LoadBalancedClients.class)
                        .hasSingleBean(MeshlessClientHttpRequestInterceptor.class));
    }

    /** Clients as applications declare them. */
    @Configuration(proxyBeanMethods = false)
    static class Clients {
        @Bean
        @LoadBalanced
        RestClient.Builder loadBalancedBuilder() {
            return RestClient.builder();
        }

        @Bean
        RestClient.Builder springCloudBuilder(MeshlessClientHttpRequestInterceptor meshless) {
            return RestClient.builder().requestInterceptor(meshless).requestInterceptor(
                    new DeferringLoadBalancerInterceptor(new org.springframework.beans.factory.support
                            .StaticListableBeanFactory().getBeanProvider(BlockingLoadBalancerInterceptor.class)));
        }

        @Bean
        @LoadBalanced
        WebClient.Builder loadBalancedWebClientBuilder() {
            return WebClient.builder();
        }

        @Bean
        @LoadBalanced
        RestTemplate loadBalancedTemplate() {
            return new RestTemplate();
        }

        @Bean
        RestTemplate plainTemplate() {
            return new RestTemplate();
        }
    }
}
