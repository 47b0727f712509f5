package dev.meshless.spring.boot.zoneaware;

import dev.meshless.spring.boot.http.MeshlessClientHttpRequestInterceptor;
import java.util.Objects;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;

/**
 * Routes the RestClient HTTP service groups that hold {@code @ZoneAware} interfaces through
 * Meshless (see {@link ZoneAwareGroups}). Runs after every other group configurer. Thread-safe.
 */
public final class ZoneAwareRestClientGroupConfigurer implements RestClientHttpServiceGroupConfigurer {

    private final ZoneAwareGroups groups;
    private final MeshlessClientHttpRequestInterceptor interceptor;

    ZoneAwareRestClientGroupConfigurer(ZoneAwareGroups groups, MeshlessClientHttpRequestInterceptor interceptor) {
        this.groups = Objects.requireNonNull(groups, "groups");
        this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
    }

    @Override
    public void configureGroups(Groups<RestClient.Builder> all) {
        all.forEachGroup((group, client, factory) -> groups.configure(group, client, factory,
                RestClient.Builder::requestInterceptors, RestClient.Builder::baseUrl, interceptor));
    }

    @Override
    public int getOrder() {
        return ZoneAwareGroups.ORDER;
    }
}
