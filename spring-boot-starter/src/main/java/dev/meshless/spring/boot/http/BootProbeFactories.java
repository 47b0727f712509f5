package dev.meshless.spring.boot.http;

import java.time.Duration;
import java.util.function.Function;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.http.client.ClientHttpRequestFactory;

/**
 * Request factories for health probes built the way Spring Boot builds {@code RestClient.Builder}'s
 * (its {@link ClientHttpRequestFactoryBuilder} and {@link HttpClientSettings}: HTTP library, TLS
 * bundle, redirects), with the probe's timeout as connect and read timeout. Only loaded when
 * {@code spring-boot-http-client} is present.
 */
final class BootProbeFactories {

    private BootProbeFactories() {
    }

    /**
     * @param beans where Boot's builder and settings are found
     * @return factories by probe timeout, or {@code null} when the application has no builder
     */
    static Function<Duration, ClientHttpRequestFactory> of(ListableBeanFactory beans) {
        ClientHttpRequestFactoryBuilder<?> builder = beans.getBeanProvider(ClientHttpRequestFactoryBuilder.class)
                .getIfUnique();
        if (builder == null) {
            return null;
        }
        HttpClientSettings settings = beans.getBeanProvider(HttpClientSettings.class)
                .getIfUnique(HttpClientSettings::defaults);
        return timeout -> builder.build(settings.withTimeouts(timeout, timeout));
    }
}
