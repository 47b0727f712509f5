package dev.meshless.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.registry.EndpointRegistry;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.testing.FakeTime;
import dev.meshless.time.TimeSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the test auto-configuration replaces, what it leaves to the application, and when it is off. */
class MeshlessTestAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MeshlessTestAutoConfiguration.class, MeshlessAutoConfiguration.class))
            .withPropertyValues("meshless.locality.region=r1", "meshless.locality.zone=r1-a");

    @Test
    void theTestRegistryAndTheFakeClockReplaceTheApplicationsRegistryAndTime() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(EndpointRegistry.class).hasSingleBean(TimeSource.class);
            assertThat(context.getBean(EndpointRegistry.class)).isInstanceOf(MeshlessTestRegistry.class);
            assertThat(context.getBean(TimeSource.class)).isInstanceOf(FakeTime.class);
            assertThat(context).hasSingleBean(MeshlessClients.class);
        });
    }

    @Test
    void aTimeSourceOfTheApplicationsStaysAndItsOwnRegistryGivesWay() {
        runner.withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context.getBean(TimeSource.class)).isSameAs(TimeSource.system());
            assertThat(context.getBean(EndpointRegistry.class)).as("the primary one")
                    .isInstanceOf(MeshlessTestRegistry.class);
            assertThat(context).hasNotFailed().hasSingleBean(MeshlessClients.class);
        });
    }

    @Test
    void meshlessEnabledFalseAddsNothing() {
        runner.withPropertyValues("meshless.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(MeshlessTestRegistry.class).doesNotHaveBean(FakeTime.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        @Bean
        TimeSource systemTime() {
            return TimeSource.system();
        }

        @Bean
        EndpointRegistry ownRegistry() {
            return StaticRegistry.builder().build();
        }
    }
}
