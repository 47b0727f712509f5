package dev.meshless.spring.boot;

import dev.meshless.call.CallListener;
import dev.meshless.call.CallMetrics;
import dev.meshless.micrometer.MicrometerCallMetrics;
import dev.meshless.micrometer.MicrometerRateLimitMetrics;
import dev.meshless.ratelimit.RateLimitMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Meshless's meters on the application's Micrometer {@link MeterRegistry}, when there is one: call
 * metrics (also a listener, for the ejection, balancer and breaker gauges) and outbound-limit
 * metrics. Meshless's zone and service breakers are measured by gauges read when meters are
 * published, never by Resilience4j's event-based meters, which would time every call; breakers the
 * application keeps in its own Resilience4j registry are measured as the application configured
 * them. Created only when Micrometer is on the class path.
 */
public class MeshlessMeters {

    private final MicrometerCallMetrics calls;
    private final MicrometerRateLimitMetrics limits;

    /** @param registry the application's meter registry, if any */
    public MeshlessMeters(ObjectProvider<MeterRegistry> registry) {
        MeterRegistry meters = registry.getIfAvailable();
        this.calls = meters == null ? null : new MicrometerCallMetrics(meters);
        this.limits = meters == null ? null : new MicrometerRateLimitMetrics(meters);
    }

    /** @return call metrics, or a no-op without a meter registry */
    public CallMetrics callMetrics() {
        return calls != null ? calls : CallMetrics.NOOP;
    }

    /** @return the listener that maintains the ejection, balancer and breaker gauges, or {@code null} */
    public CallListener listener() {
        return calls;
    }

    /** @return outbound-limit metrics, or a no-op */
    public RateLimitMetrics rateLimitMetrics() {
        return limits != null ? limits : RateLimitMetrics.NOOP;
    }
}
