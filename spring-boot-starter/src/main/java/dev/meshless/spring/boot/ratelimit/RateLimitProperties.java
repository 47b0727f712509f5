package dev.meshless.spring.boot.ratelimit;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.ratelimit.InboundRateLimits;
import dev.meshless.ratelimit.RateLimitInstanceSpec;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.spring.boot.config.PropertyNames;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Inbound rate limits, under {@code meshless.rate-limit}: the switches of the starter's filters and
 * aspect, and the limits themselves, bound directly to core's specifications ({@link HttpRateLimitSpec}
 * for the limits and their defaults, {@link RateLimitInstanceSpec} for this instance). Core maps and
 * checks them once ({@link InboundRateLimits}) and names a bad value by its path in this section;
 * {@link #invalid} turns the path into the property.
 *
 * <p>Bound by Spring Boot; not thread-safe, read once at startup.
 */
@ConfigurationProperties(prefix = RateLimitProperties.PREFIX)
public class RateLimitProperties {

    /** The prefix of these properties. */
    public static final String PREFIX = "meshless.rate-limit";

    /** What this instance's identity falls back on when it is not set here, by its path. */
    private static final Map<String, String> FALLBACKS = Map.of(
            "instance.service", " (defaults to meshless.service, then spring.application.name; neither is set)",
            "instance.id", " (defaults to meshless.instance-id, which is not set either)");

    /** Whether Meshless inbound rate limiting is on: limiters, HTTP filters and the @RateLimited aspect. */
    private boolean enabled = true;

    /**
     * Whether every inbound limit only counts and logs (at DEBUG) the requests it would reject,
     * rejecting none: for rolling out new limits. When false, each limit's own 'shadow' decides.
     */
    private boolean shadow = false;

    /**
     * Order of the servlet filter and of the WebFlux filter among the application's filters. The
     * default runs after Spring Security's filter chain (-100), so that the authenticated principal
     * is known for principal keys.
     */
    private int filterOrder = 0;

    /**
     * Order of the @RateLimited aspect among the application's advice. The default puts it outside
     * Resilience4j's aspects and transactions, so that a call takes one permit however often it is
     * retried.
     */
    private int aspectOrder = 0;

    /** The 'type' member of 429 problem+json bodies (RFC 9457); 'about:blank' says no more than the status. */
    private URI problemType = URI.create("about:blank");

    /**
     * This instance: the service named in rejections, and the identity global limits look for in the
     * registry. Bound to core's RateLimitInstanceSpec.
     */
    private RateLimitInstanceSpec instance = new RateLimitInstanceSpec();

    /**
     * Settings every limit uses unless it sets its own: any setting of a limit (period, timeout and
     * max-keys are the usual ones). Bound to the same specification as each limit.
     */
    private HttpRateLimitSpec defaults = new HttpRateLimitSpec();

    /**
     * The limits, by name. The name appears in metrics, logs, rejections and @RateLimited. Each takes
     * the keys of 'meshless.rate-limit.defaults'.
     */
    private Map<String, HttpRateLimitSpec> limits = new LinkedHashMap<>();

    /** @return whether rate limiting is on */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether rate limiting is on */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return whether every limit is in shadow mode */
    public boolean isShadow() {
        return shadow;
    }

    /** @param shadow whether every limit is in shadow mode */
    public void setShadow(boolean shadow) {
        this.shadow = shadow;
    }

    /** @return the order of the HTTP filters */
    public int getFilterOrder() {
        return filterOrder;
    }

    /** @param filterOrder the order of the HTTP filters */
    public void setFilterOrder(int filterOrder) {
        this.filterOrder = filterOrder;
    }

    /** @return the order of the @RateLimited aspect */
    public int getAspectOrder() {
        return aspectOrder;
    }

    /** @param aspectOrder the order of the @RateLimited aspect */
    public void setAspectOrder(int aspectOrder) {
        this.aspectOrder = aspectOrder;
    }

    /** @return the 'type' of 429 problem bodies */
    public URI getProblemType() {
        return problemType;
    }

    /** @param problemType the 'type' of 429 problem bodies */
    public void setProblemType(URI problemType) {
        this.problemType = problemType;
    }

    /** @return this instance's identity */
    public RateLimitInstanceSpec getInstance() {
        return instance;
    }

    /** @param instance this instance's identity */
    public void setInstance(RateLimitInstanceSpec instance) {
        this.instance = instance;
    }

    /** @return the defaults of every limit */
    public HttpRateLimitSpec getDefaults() {
        return defaults;
    }

    /** @param defaults the defaults of every limit */
    public void setDefaults(HttpRateLimitSpec defaults) {
        this.defaults = defaults;
    }

    /** @return the limits by name */
    public Map<String, HttpRateLimitSpec> getLimits() {
        return limits;
    }

    /** @param limits the limits by name */
    public void setLimits(Map<String, HttpRateLimitSpec> limits) {
        this.limits = limits;
    }

    /**
     * Names a failure in this section by its property. Where this instance's identity falls back on
     * Meshless's or the application's settings, the rule says so.
     *
     * @param e a failure whose path is in this section, as {@link InboundRateLimits} names it
     * @return the failure as the starter reports it at start-up
     */
    public static InvalidMeshlessConfigurationException invalid(InvalidConfigurationException e) {
        String fallback = FALLBACKS.getOrDefault(e.path(), "");
        return new InvalidMeshlessConfigurationException(PropertyNames.of(PREFIX, e.path()), e.value(),
                e.rule() + fallback, e);
    }

}
