package dev.meshless.spring.boot;

import dev.meshless.call.CallListener;
import dev.meshless.call.CallMetrics;
import dev.meshless.micrometer.MicrometerCallMetrics;
import dev.meshless.micrometer.MicrometerRateLimitMetrics;
import dev.meshless.ratelimit.RateLimitMetrics;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.ClassUtils;

/**
 * Meshless's meters on the application's Micrometer {@link MeterRegistry}, when there is one: call
 * metrics (also a listener, for ejection gauges), outbound-limit metrics, and Resilience4j's breaker
 * meters for a private breaker registry. Created only when Micrometer is on the class path.
 */
public class MeshlessMeters {

    private static final boolean RESILIENCE4J_MICROMETER = ClassUtils.isPresent(
            "io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics", MeshlessMeters.class.getClassLoader());

    private final MicrometerCallMetrics calls;
    private final MicrometerRateLimitMetrics limits;
    private final MeterRegistry registry;

    /** @param registry the application's meter registry, if any */
    public MeshlessMeters(ObjectProvider<MeterRegistry> registry) {
        this.registry = registry.getIfAvailable();
        this.calls = this.registry == null ? null : new MicrometerCallMetrics(this.registry);
        this.limits = this.registry == null ? null : new MicrometerRateLimitMetrics(this.registry);
    }

    /** @return call metrics, or a no-op without a meter registry */
    public CallMetrics callMetrics() {
        return calls != null ? calls : CallMetrics.NOOP;
    }

    /** @return the listener that maintains the ejection and balancer gauges, or {@code null} */
    public CallListener listener() {
        return calls;
    }

    /** @return outbound-limit metrics, or a no-op */
    public RateLimitMetrics rateLimitMetrics() {
        return limits != null ? limits : RateLimitMetrics.NOOP;
    }

    /**
     * Binds Resilience4j's meters for a breaker registry Meshless created itself (an application's
     * own registry is bound by Resilience4j's Spring Boot module).
     *
     * @param breakers the private breaker registry
     */
    public void bindPrivateBreakers(CircuitBreakerRegistry breakers) {
        if (registry != null && RESILIENCE4J_MICROMETER) {
            MicrometerCallMetrics.bindCircuitBreakers(breakers, registry);
        }
    }
}
