package dev.meshless.spring.boot.ratelimit.reactive;

import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.spring.boot.ratelimit.RateLimitAutoConfiguration;
import dev.meshless.spring.boot.ratelimit.RateLimitProperties;
import dev.meshless.spring.boot.ratelimit.RateLimitRoutes;
import dev.meshless.spring.boot.ratelimit.RateLimiters;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * Inbound limits in WebFlux applications: the {@link RateLimitWebFilter} and the
 * {@link ReactiveRateLimitExceptionHandler}.
 */
@AutoConfiguration(after = RateLimitAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(name = {"org.springframework.web.server.WebFilter", "reactor.core.publisher.Mono"})
@ConditionalOnProperty(prefix = MeshlessProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = RateLimitProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnBean(RateLimiters.class)
public class RateLimitReactiveAutoConfiguration {

    /** Created by Spring. */
    public RateLimitReactiveAutoConfiguration() {
    }

    /**
     * @param routes the limits with routes
     * @param properties the configuration (problem type, filter order)
     * @return the filter
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(RateLimitRoutes.class)
    public RateLimitWebFilter meshlessRateLimitWebFilter(RateLimitRoutes routes, RateLimitProperties properties) {
        return new RateLimitWebFilter(routes, properties.getProblemType(), properties.getFilterOrder());
    }

    /**
     * @param properties the configuration (problem type)
     * @return the exception handler for {@code @RateLimited} rejections
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnClass(name = "org.springframework.web.reactive.DispatcherHandler")
    public ReactiveRateLimitExceptionHandler meshlessReactiveRateLimitExceptionHandler(
            RateLimitProperties properties) {
        return new ReactiveRateLimitExceptionHandler(properties.getProblemType());
    }
}
