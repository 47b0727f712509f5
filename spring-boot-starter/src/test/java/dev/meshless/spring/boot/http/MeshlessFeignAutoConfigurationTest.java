package dev.meshless.spring.boot.http;

import static org.assertj.core.api.Assertions.assertThat;

import feign.Client;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * When OpenFeign's client is Meshless's. These contexts have no Spring Cloud LoadBalancer; with it,
 * OpenFeign's load-balancing client wins ({@code ClientPatternMatrixTest}).
 */
class MeshlessFeignAutoConfigurationTest {

    private final ApplicationContextRunner runner = HttpClientContexts.runner()
            .withConfiguration(AutoConfigurations.of(MeshlessFeignAutoConfiguration.class));

    @Test
    void withoutSpringCloudLoadBalancerFeignsClientIsMeshlesss() {
        runner.run(context -> assertThat(context).hasNotFailed().hasSingleBean(Client.class)
                .hasSingleBean(MeshlessFeignClient.class));
    }

    @Test
    void theApplicationsOwnClientWins() {
        runner.withUserConfiguration(OwnClient.class).run(context -> assertThat(context).hasNotFailed()
                .hasSingleBean(Client.class).doesNotHaveBean(MeshlessFeignClient.class));
    }

    @Test
    void theCustomizersPropertyLeavesFeignAlone() {
        runner.withPropertyValues("meshless.zone-aware.http-clients.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Client.class));
    }

    @Test
    void withoutOpenFeignThereIsNothing() {
        runner.withClassLoader(new FilteredClassLoader("feign", "org.springframework.cloud.openfeign"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MeshlessFeignClient.class));
    }

    /** The application's own Feign client. */
    @Configuration(proxyBeanMethods = false)
    static class OwnClient {
        @Bean
        Client feignClient() {
            return new Client.Default(null, null);
        }
    }
}
