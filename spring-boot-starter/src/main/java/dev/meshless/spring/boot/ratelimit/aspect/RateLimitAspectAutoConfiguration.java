package dev.meshless.spring.boot.ratelimit.aspect;

import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.spring.boot.ratelimit.RateLimitAutoConfiguration;
import dev.meshless.spring.boot.ratelimit.RateLimitProperties;
import dev.meshless.spring.boot.ratelimit.RateLimited;
import dev.meshless.spring.boot.ratelimit.RateLimiters;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * {@link RateLimited} methods, when AspectJ is on the class path ({@code spring-boot-starter-aspectj}):
 * the {@link RateLimitedAspect} and the startup check of every annotated method. Spring Boot's AOP
 * auto-configuration (on unless {@code spring.aop.auto=false}) applies the aspect.
 */
@AutoConfiguration(after = RateLimitAutoConfiguration.class)
@ConditionalOnClass(name = "org.aspectj.lang.annotation.Aspect")
@ConditionalOnProperty(prefix = MeshlessProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = RateLimitProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnBean(RateLimiters.class)
public class RateLimitAspectAutoConfiguration {

    /** Created by Spring. */
    public RateLimitAspectAutoConfiguration() {
    }

    /**
     * @param limiters the application's limits
     * @param beanFactory resolves {@code @bean} references in key expressions
     * @param properties the configuration (aspect order)
     * @return the aspect
     */
    @Bean
    @ConditionalOnMissingBean
    public RateLimitedAspect meshlessRateLimitedAspect(RateLimiters limiters, BeanFactory beanFactory,
                                                       RateLimitProperties properties) {
        return new RateLimitedAspect(limiters, beanFactory, properties.getAspectOrder());
    }

    /**
     * @param limiters the application's limits, looked up lazily
     * @return the startup check of annotated methods
     */
    @Bean
    @ConditionalOnMissingBean
    public static RateLimitedMethodValidator meshlessRateLimitedMethodValidator(
            ObjectProvider<RateLimiters> limiters) {
        return new RateLimitedMethodValidator(limiters);
    }
}
