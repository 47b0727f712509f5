package dev.meshless.spring.boot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.cloud.testing.LoadBalancedTestApp;
import dev.meshless.spring.boot.http.HttpClientContexts;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.http.HttpResources;
import reactor.netty.resources.LoopResources;

/**
 * The test applications that close with a zero quiet period own their Reactor Netty resources and
 * leave the JVM's global ones alone (why: {@link OwnReactorResources}).
 */
class OwnReactorResourcesTest {

    @Test
    void aContextRunnerApplicationDisposesItsOwnLoopsAndNotTheGlobalOnes() {
        HttpResources global = HttpResources.get();
        LoopResources[] own = new LoopResources[1];
        HttpClientContexts.runner().run(context -> {
            ReactorResourceFactory factory = context.getBean(ReactorResourceFactory.class);
            assertThat(factory.isUseGlobalResources()).isFalse();
            own[0] = factory.getLoopResources();
            assertThat(own[0]).isNotSameAs(global);
        });

        assertThat(own[0].isDisposed()).as("its own loops, disposed on close").isTrue();
        assertThat(HttpResources.get()).as("the global resources outlive it").isSameAs(global);
    }

    @Test
    void theLoadBalancedTestAppDisposesItsOwnLoopsAndNotTheGlobalOnes() {
        HttpResources global = HttpResources.get();
        LoopResources own;
        try (ConfigurableApplicationContext context = LoadBalancedTestApp.run(LoadBalancedTestApp.CALLER)) {
            ReactorResourceFactory factory = context.getBean(ReactorResourceFactory.class);
            assertThat(factory.isUseGlobalResources()).isFalse();
            own = factory.getLoopResources();
        }

        assertThat(own.isDisposed()).isTrue();
        assertThat(HttpResources.get()).isSameAs(global);
    }
}
