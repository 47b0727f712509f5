package dev.meshless.spring.boot.http;

import java.util.Objects;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;

/**
 * One balancer for each RestClient HTTP service group, Meshless's unless the group asked for Spring
 * Cloud's (see {@link HttpServiceGroups}). Runs after every other group configurer. Thread-safe.
 */
public final class MeshlessRestClientGroupConfigurer implements RestClientHttpServiceGroupConfigurer {

    private final HttpServiceGroups groups;

    MeshlessRestClientGroupConfigurer(HttpServiceGroups groups) {
        this.groups = Objects.requireNonNull(groups, "groups");
    }

    @Override
    public void configureGroups(Groups<RestClient.Builder> all) {
        all.forEachClient((group, builder) -> groups.configure(group, builder, RestClient.Builder::requestInterceptors,
                RestClient.Builder::baseUrl, MeshlessClientHttpRequestInterceptor.class));
    }

    @Override
    public int getOrder() {
        return HttpServiceGroups.ORDER;
    }
}
