package dev.meshless.spring.boot.ratelimit.servlet;

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
 * Inbound limits in servlet applications: the {@link RateLimitServletFilter} (registered by Spring
 * Boot as any {@code Filter} bean, with its order) and, with Spring MVC, the
 * {@link ServletRateLimitExceptionHandler}.
 */
@AutoConfiguration(after = RateLimitAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = {"jakarta.servlet.Filter", "org.springframework.web.filter.OncePerRequestFilter"})
@ConditionalOnProperty(prefix = MeshlessProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = RateLimitProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnBean(RateLimiters.class)
public class RateLimitServletAutoConfiguration {

    /** Created by Spring. */
    public RateLimitServletAutoConfiguration() {
    }

    /**
     * @param routes the limits with routes
     * @param properties the configuration (problem type, filter order)
     * @return the filter
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(RateLimitRoutes.class)
    public RateLimitServletFilter meshlessRateLimitFilter(RateLimitRoutes routes, RateLimitProperties properties) {
        return new RateLimitServletFilter(routes, properties.getProblemType(), properties.getFilterOrder());
    }

    /**
     * @param properties the configuration (problem type)
     * @return the exception handler for {@code @RateLimited} rejections
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
    public ServletRateLimitExceptionHandler meshlessRateLimitExceptionHandler(RateLimitProperties properties) {
        return new ServletRateLimitExceptionHandler(properties.getProblemType());
    }
}
