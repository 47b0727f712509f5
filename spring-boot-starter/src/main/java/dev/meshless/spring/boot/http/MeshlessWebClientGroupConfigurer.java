package dev.meshless.spring.boot.http;

import java.util.Objects;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;

/**
 * One balancer for each WebClient HTTP service group, Meshless's unless the group asked for Spring
 * Cloud's (see {@link HttpServiceGroups}). Runs after every other group configurer. Thread-safe.
 */
public final class MeshlessWebClientGroupConfigurer implements WebClientHttpServiceGroupConfigurer {

    private final HttpServiceGroups groups;

    MeshlessWebClientGroupConfigurer(HttpServiceGroups groups) {
        this.groups = Objects.requireNonNull(groups, "groups");
    }

    @Override
    public void configureGroups(Groups<WebClient.Builder> all) {
        all.forEachClient((group, builder) -> groups.configure(group, builder, WebClient.Builder::filters,
                WebClient.Builder::baseUrl, MeshlessExchangeFilterFunction.class));
    }

    @Override
    public int getOrder() {
        return HttpServiceGroups.ORDER;
    }
}
