package dev.meshless.spring.boot.zoneaware;

import dev.meshless.spring.boot.http.MeshlessExchangeFilterFunction;
import java.util.Objects;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;

/**
 * Routes the WebClient HTTP service groups that hold {@code @ZoneAware} interfaces through
 * Meshless (see {@link ZoneAwareGroups}). Runs after every other group configurer. Thread-safe.
 */
public final class ZoneAwareWebClientGroupConfigurer implements WebClientHttpServiceGroupConfigurer {

    private final ZoneAwareGroups groups;
    private final MeshlessExchangeFilterFunction filter;

    ZoneAwareWebClientGroupConfigurer(ZoneAwareGroups groups, MeshlessExchangeFilterFunction filter) {
        this.groups = Objects.requireNonNull(groups, "groups");
        this.filter = Objects.requireNonNull(filter, "filter");
    }

    @Override
    public void configureGroups(Groups<WebClient.Builder> all) {
        all.forEachGroup((group, client, factory) -> groups.configure(group, client, factory,
                WebClient.Builder::filters, WebClient.Builder::baseUrl, filter));
    }

    @Override
    public int getOrder() {
        return ZoneAwareGroups.ORDER;
    }
}
