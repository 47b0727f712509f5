package dev.meshless.spring.boot.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.outcome.Outcome;
import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** An application without Spring Web still has its HTTP answers classified by status. */
class ClassifierWithoutSpringWebTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withClassLoader(new FilteredClassLoader("org.springframework.http.client", "org.springframework.web"))
            .withConfiguration(AutoConfigurations.of(MeshlessAutoConfiguration.class,
                    MeshlessClassifierAutoConfiguration.class, MeshlessHttpClientAutoConfiguration.class))
            .withPropertyValues("meshless.locality.region=r1", "meshless.locality.zone=r1-a");

    @Test
    void theJdksHttpClientsAnswersAreClassifiedByStatus() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(MeshlessClientHttpRequestInterceptor.class);
            Outcome outcome = context.getBean(MeshlessClients.ClassifierFactory.class).classifier("inventory")
                    .classify(new SpringHttpOutcomeClassifierTest.JdkResponse(503, Map.of()), null);
            assertThat(outcome.kind()).isEqualTo(Outcome.Kind.GATEWAY_FAILURE);
            assertThat(outcome.httpStatus()).isEqualTo(503);
        });
    }
}
