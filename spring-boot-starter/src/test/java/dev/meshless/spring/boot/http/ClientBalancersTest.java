package dev.meshless.spring.boot.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.cloud.testing.TestClients;
import dev.meshless.testing.FakeTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.cloud.client.loadbalancer.BlockingLoadBalancerInterceptor;
import org.springframework.cloud.client.loadbalancer.DeferringLoadBalancerInterceptor;
import org.springframework.http.client.ClientHttpRequestInterceptor;

/** The one-balancer rules on a chain of interceptors (filters follow the same code). */
class ClientBalancersTest {

    private final MeshlessClientHttpRequestInterceptor meshless = new MeshlessClientHttpRequestInterceptor(
            TestClients.clients(TestClients.inventory(), new FakeTime()));
    private final ClientHttpRequestInterceptor springCloud = new DeferringLoadBalancerInterceptor(
            new StaticListableBeanFactory().getBeanProvider(BlockingLoadBalancerInterceptor.class));
    private final ClientHttpRequestInterceptor own = (request, body, execution) -> execution.execute(request, body);

    @Test
    void springCloudsInterceptorsAndFiltersAreKnownByTheirPackage() {
        assertThat(ClientBalancers.isSpringCloud(springCloud)).isTrue();
        assertThat(ClientBalancers.isSpringCloud(meshless)).isFalse();
        assertThat(ClientBalancers.isSpringCloud(own)).isFalse();
    }

    @Test
    void settlingLeavesAClientWithSpringCloudsBalancerToSpringCloud() {
        List<ClientHttpRequestInterceptor> chain = new ArrayList<>(List.of(own, meshless, springCloud));
        assertThat(ClientBalancers.settle(chain, MeshlessClientHttpRequestInterceptor.class, () -> meshless)).isTrue();
        assertThat(chain).containsExactly(own, springCloud);
        assertThat(ClientBalancers.settle(chain, MeshlessClientHttpRequestInterceptor.class, () -> meshless))
                .as("nothing more to do").isFalse();
    }

    @Test
    void settlingAddsMeshlessLastOnlyWhenAskedAndNotThereYet() {
        List<ClientHttpRequestInterceptor> chain = new ArrayList<>(List.of(own));
        assertThat(ClientBalancers.settle(chain, MeshlessClientHttpRequestInterceptor.class, null)).isFalse();
        assertThat(chain).containsExactly(own);
        assertThat(ClientBalancers.settle(chain, MeshlessClientHttpRequestInterceptor.class, () -> meshless)).isTrue();
        assertThat(ClientBalancers.settle(chain, MeshlessClientHttpRequestInterceptor.class, () -> meshless)).isFalse();
        assertThat(chain).containsExactly(own, meshless);
    }

    @Test
    void takingOverRemovesSpringCloudsAndPutsMeshlessLast() {
        List<ClientHttpRequestInterceptor> chain = new ArrayList<>(List.of(meshless, springCloud, own));
        assertThat(ClientBalancers.takeOver(chain, meshless)).isTrue();
        assertThat(chain).containsExactly(own, meshless);
        assertThat(ClientBalancers.takeOver(chain, meshless)).isFalse();
        assertThat(chain).containsExactly(own, meshless);
    }
}
