package dev.meshless.spring.boot.http;

import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;

/**
 * One balancer for each RestClient HTTP service group, Meshless's unless the group asked for Spring
 * Cloud's (see {@link HttpServiceGroups}). Runs after every other group configurer. Thread-safe.
 */
public final class MeshlessRestClientGroupConfigurer implements RestClientHttpServiceGroupConfigurer {

    private final HttpServiceGroups groups;
    private final Supplier<? extends ClientHttpRequestInterceptor> springCloud;

    /**
     * @param groups the rules
     * @param springCloud gives Spring Cloud LoadBalancer's interceptor for groups, or
     *     {@code null} without spring-cloud-loadbalancer
     */
    MeshlessRestClientGroupConfigurer(HttpServiceGroups groups,
                                      Supplier<? extends ClientHttpRequestInterceptor> springCloud) {
        this.groups = Objects.requireNonNull(groups, "groups");
        this.springCloud = Objects.requireNonNull(springCloud, "springCloud");
    }

    @Override
    public void configureGroups(Groups<RestClient.Builder> all) {
        ClientHttpRequestInterceptor balancer = springCloud.get();
        all.forEachClient((group, builder) -> groups.configure(group, builder,
                RestClient.Builder::requestInterceptors, RestClient.Builder::baseUrl,
                MeshlessClientHttpRequestInterceptor.class, balancer));
    }

    @Override
    public int getOrder() {
        return HttpServiceGroups.ORDER;
    }
}
