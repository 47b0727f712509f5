package dev.meshless.spring.boot.http;

import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.testing.OwnReactorResources;
import dev.meshless.spring.boot.zoneaware.ZoneAwareAutoConfiguration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Context runners with Meshless and Spring Boot's HTTP client auto-configurations, as an
 * application with {@code spring-boot-starter-restclient}, {@code -webclient} and {@code -aspectj}
 * has them.
 */
public final class HttpClientContexts {

    /** Meshless's own auto-configurations involved. */
    public static final AutoConfigurations MESHLESS = AutoConfigurations.of(MeshlessAutoConfiguration.class,
            MeshlessClassifierAutoConfiguration.class, MeshlessHttpClientAutoConfiguration.class,
            ZoneAwareAutoConfiguration.class);

    /** Spring Boot's, for RestClient, RestTemplate, WebClient, JSON and AOP. */
    public static final AutoConfigurations BOOT = AutoConfigurations.of(JacksonAutoConfiguration.class,
            HttpMessageConvertersAutoConfiguration.class, CodecsAutoConfiguration.class,
            HttpClientAutoConfiguration.class, ImperativeHttpClientAutoConfiguration.class,
            ReactiveHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class,
            RestTemplateAutoConfiguration.class, WebClientAutoConfiguration.class, AopAutoConfiguration.class);

    private HttpClientContexts() {
    }

    /**
     * @return a non-web application with Meshless and the HTTP clients, and Reactor Netty resources of
     *     its own ({@link OwnReactorResources})
     */
    public static ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withInitializer(OwnReactorResources::register).withConfiguration(MESHLESS)
                .withConfiguration(BOOT);
    }

    /**
     * @param builder a builder
     * @return its interceptors, in order
     */
    public static List<ClientHttpRequestInterceptor> interceptors(RestClient.Builder builder) {
        List<ClientHttpRequestInterceptor> all = new ArrayList<>();
        builder.requestInterceptors(all::addAll);
        return all;
    }

    /**
     * @param builder a builder
     * @return its filters, in order
     */
    public static List<ExchangeFilterFunction> filters(WebClient.Builder builder) {
        List<ExchangeFilterFunction> all = new ArrayList<>();
        builder.filters(all::addAll);
        return all;
    }

    /**
     * @param backends the service's servers
     * @return {@link #runner()} with the servers as the service's endpoints, the caller in r1-a and
     *     a short read timeout so that a test cannot hang
     */
    public static ApplicationContextRunner runner(ZoneBackends backends) {
        return runner().withPropertyValues(backends.properties())
                .withPropertyValues("spring.http.clients.read-timeout=5s", "spring.http.clients.connect-timeout=2s");
    }
}
