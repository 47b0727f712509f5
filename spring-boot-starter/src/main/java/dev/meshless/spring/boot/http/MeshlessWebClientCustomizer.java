package dev.meshless.spring.boot.http;

import java.util.List;
import java.util.Objects;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Adds the {@link MeshlessExchangeFilterFunction} to every {@code WebClient.Builder} Spring Boot
 * gives the application (and to the clients of reactive {@code @ImportHttpServices} groups), last,
 * so that the application's own filters run once per call. A builder that already has it, or that
 * carries Spring Cloud LoadBalancer's filter, is left as it is. Thread-safe.
 */
public final class MeshlessWebClientCustomizer implements WebClientCustomizer {

    private final MeshlessExchangeFilterFunction filter;

    /** @param filter the filter to add */
    public MeshlessWebClientCustomizer(MeshlessExchangeFilterFunction filter) {
        this.filter = Objects.requireNonNull(filter, "filter");
    }

    @Override
    public void customize(WebClient.Builder builder) {
        builder.filters(this::addTo);
    }

    /** @param filters a client's filters, changed in place */
    void addTo(List<ExchangeFilterFunction> filters) {
        ClientBalancers.settle(filters, MeshlessExchangeFilterFunction.class, () -> filter);
    }
}
