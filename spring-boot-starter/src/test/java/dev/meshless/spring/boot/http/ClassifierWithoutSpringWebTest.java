package dev.meshless.spring.boot.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.outcome.Outcome;
import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSession;
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
                    .classify(new Answer(503), null);
            assertThat(outcome.kind()).isEqualTo(Outcome.Kind.GATEWAY_FAILURE);
            assertThat(outcome.httpStatus()).isEqualTo(503);
        });
    }

    /** A JDK HTTP answer with a status and no headers. */
    private record Answer(int statusCode) implements HttpResponse<String> {
        @Override
        public HttpRequest request() {
            return HttpRequest.newBuilder(URI.create("http://inventory/")).build();
        }

        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return HttpHeaders.of(Map.of(), (name, value) -> true);
        }

        @Override
        public String body() {
            return "";
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return URI.create("http://inventory/");
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
