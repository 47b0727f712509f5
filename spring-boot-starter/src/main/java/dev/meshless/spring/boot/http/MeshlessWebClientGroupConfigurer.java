package dev.meshless.spring.boot.http;

import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;

/**
 * One balancer for each WebClient HTTP service group, Meshless's unless the group asked for Spring
 * Cloud's (see {@link HttpServiceGroups}). Runs after every other group configurer. Thread-safe.
 */
public final class MeshlessWebClientGroupConfigurer implements WebClientHttpServiceGroupConfigurer {

    private final HttpServiceGroups groups;
    private final Supplier<? extends ExchangeFilterFunction> springCloud;

    /**
     * @param groups the rules
     * @param springCloud gives Spring Cloud LoadBalancer's filter for groups, or
     *     {@code null} without spring-cloud-loadbalancer
     */
    MeshlessWebClientGroupConfigurer(HttpServiceGroups groups,
                                     Supplier<? extends ExchangeFilterFunction> springCloud) {
        this.groups = Objects.requireNonNull(groups, "groups");
        this.springCloud = Objects.requireNonNull(springCloud, "springCloud");
    }

    @Override
    public void configureGroups(Groups<WebClient.Builder> all) {
        ExchangeFilterFunction balancer = springCloud.get();
        all.forEachClient((group, builder) -> groups.configure(group, builder, WebClient.Builder::filters,
                WebClient.Builder::baseUrl, MeshlessExchangeFilterFunction.class, balancer));
    }

    @Override
    public int getOrder() {
        return HttpServiceGroups.ORDER;
    }
}
