package dev.meshless.spring.boot.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.cloud.testing.TestClients;
import dev.meshless.testing.FakeTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientProperties;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.loadbalancer.BlockingLoadBalancerInterceptor;
import org.springframework.cloud.client.loadbalancer.DeferringLoadBalancerInterceptor;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.service.registry.HttpServiceGroup;

/**
 * What one HTTP service group's client keeps, given its {@code spring.http.serviceclient} settings
 * and what Spring Boot's and Spring Cloud's configurers put on it. The whole path runs in
 * {@code ClientPatternMatrixTest}.
 */
class HttpServiceGroupsTest {

    private final MeshlessClients clients = TestClients.clients(TestClients.inventory(), new FakeTime());
    private final MeshlessClientHttpRequestInterceptor meshless = new MeshlessClientHttpRequestInterceptor(clients);
    private final ClientHttpRequestInterceptor springCloud = new DeferringLoadBalancerInterceptor(
            new StaticListableBeanFactory().getBeanProvider(BlockingLoadBalancerInterceptor.class));

    @Test
    void aGroupWithoutBaseUrlThatSpringCloudBalancedBecomesMeshlessAndItsServiceRouted() {
        List<ClientHttpRequestInterceptor> chain = chain(meshless, springCloud);
        assertThat(settle("payments", chain, springCloud)).as("Spring Cloud's convention, kept")
                .isEqualTo("http://payments");
        assertThat(chain).containsExactly(meshless);
        assertThat(clients.routes("payments")).isTrue();
    }

    @Test
    void springCloudsConventionHoldsAlsoWhereItsGroupConfigurerWasNotCreated() {
        List<ClientHttpRequestInterceptor> chain = chain(meshless);
        assertThat(settle("payments", chain, springCloud)).isEqualTo("http://payments");
        assertThat(chain).containsExactly(meshless);
        assertThat(clients.routes("payments")).isTrue();
    }

    @Test
    void withoutSpringCloudAGroupWithoutBaseUrlCallsItsServiceWhenMeshlessRoutesIt() {
        clients.client("inventory"); // as the starter does for every service in its configuration
        assertThat(settle("inventory", chain(meshless), null)).isEqualTo("http://inventory");
        assertThat(settle("default", chain(meshless), null)).as("not a service Meshless knows").isNull();
        assertThat(clients.routes("default")).isFalse();
    }

    @Test
    void aGroupWithBaseUrlKeepsItAndMeshless() {
        List<ClientHttpRequestInterceptor> chain = chain(meshless, springCloud);
        assertThat(settle("stock", chain, springCloud, "http://inventory")).isNull();
        assertThat(chain).containsExactly(meshless);
    }

    @Test
    void aGroupThatAsksForSpringCloudWithLbIsSpringClouds() {
        List<ClientHttpRequestInterceptor> chain = chain(meshless, springCloud);
        assertThat(settle("stock", chain, springCloud, "lb://inventory")).isEqualTo("http://inventory");
        assertThat(chain).containsExactly(springCloud);

        List<ClientHttpRequestInterceptor> notConfigured = chain(meshless);
        assertThat(settle("stock", notConfigured, springCloud, "lb://inventory")).isEqualTo("http://inventory");
        assertThat(notConfigured).as("also where Spring Cloud's configurer was not created")
                .containsExactly(springCloud);
    }

    @Test
    void withoutSpringCloudMeshlessBalancesAGroupThatAskedForIt() {
        List<ClientHttpRequestInterceptor> chain = chain(meshless);
        assertThat(settle("stock", chain, null, "lb://payments/v2")).isEqualTo("http://payments/v2");
        assertThat(chain).containsExactly(meshless);
        assertThat(clients.routes("payments")).isTrue();
    }

    @Test
    void aGroupWithoutMeshlessIsLeftAsItIs() {
        List<ClientHttpRequestInterceptor> chain = chain(springCloud);
        assertThat(settle("payments", chain, springCloud)).isNull();
        assertThat(chain).containsExactly(springCloud);
    }

    /**
     * @param group a group
     * @param chain its client's interceptors
     * @param springCloudBalancer Spring Cloud's interceptor, or {@code null} without it
     * @param baseUrl its {@code base-url}, if any
     * @return the base URL the group's client gets, or {@code null}
     */
    private String settle(String group, List<ClientHttpRequestInterceptor> chain,
                          ClientHttpRequestInterceptor springCloudBalancer, String... baseUrl) {
        String[] url = new String[1];
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HttpServiceClientPropertiesAutoConfiguration.class))
                .withPropertyValues(Arrays.stream(baseUrl)
                        .map(u -> "spring.http.serviceclient." + group + ".base-url=" + u).toArray(String[]::new))
                .run(context -> url[0] = new HttpServiceGroups(clients,
                        context.getBean(HttpServiceClientProperties.class))
                        .settle(group(group), chain, MeshlessClientHttpRequestInterceptor.class, springCloudBalancer));
        return url[0];
    }

    private static List<ClientHttpRequestInterceptor> chain(ClientHttpRequestInterceptor... elements) {
        return new ArrayList<>(List.of(elements));
    }

    private static HttpServiceGroup group(String name) {
        return new HttpServiceGroup() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Set<Class<?>> httpServiceTypes() {
                return Set.of();
            }

            @Override
            public ClientType clientType() {
                return ClientType.REST_CLIENT;
            }
        };
    }
}
