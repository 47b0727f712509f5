package dev.meshless.spring.boot.zoneaware;

import dev.meshless.spring.boot.http.ClientBalancers;
import dev.meshless.spring.boot.http.MeshlessExchangeFilterFunction;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientAdapter;
import org.springframework.web.service.invoker.HttpExchangeAdapter;

/**
 * Reactive interface clients over a clone of the application's {@code WebClient.Builder} (or a new
 * one), with the Meshless filter and without Spring Cloud LoadBalancer's. Thread-safe.
 */
final class WebClientZoneAwareClients implements ReactiveZoneAwareClients {

    private final MeshlessExchangeFilterFunction filter;
    private final ObjectProvider<WebClient.Builder> builders;

    WebClientZoneAwareClients(MeshlessExchangeFilterFunction filter, ObjectProvider<WebClient.Builder> builders) {
        this.filter = Objects.requireNonNull(filter, "filter");
        this.builders = builders;
    }

    @Override
    public HttpExchangeAdapter adapter(String service) {
        WebClient.Builder builder = builders.getIfUnique();
        builder = builder == null ? WebClient.builder() : builder.clone();
        builder.baseUrl("http://" + service).filters(filters -> ClientBalancers.takeOver(filters, filter));
        return WebClientAdapter.create(builder.build());
    }
}
