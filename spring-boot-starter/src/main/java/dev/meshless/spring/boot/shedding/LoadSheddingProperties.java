package dev.meshless.spring.boot.shedding;

import dev.meshless.spring.boot.shedding.LoadShedder.Algorithm;
import dev.meshless.spring.boot.web.RouteProperties;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Inbound load shedding, under {@code meshless.load-shedding}: an adaptive limit on the requests this
 * service serves at once, and the priority of each route when it is reached. Checked once at
 * start-up by {@link LoadSheddingAutoConfiguration}. The defaults are written as literals, which the
 * configuration processor can read, and are the builder's ({@link LoadShedder.Builder#DEFAULT_MIN_LIMIT}
 * and its neighbours; a test keeps them equal).
 *
 * <p>Bound by Spring Boot; not thread-safe, read once at startup.
 */
@ConfigurationProperties(prefix = LoadSheddingProperties.PREFIX)
public class LoadSheddingProperties {

    /** The prefix of these properties. */
    public static final String PREFIX = "meshless.load-shedding";

    /**
     * Whether the servlet or WebFlux filter limits the requests this service serves at once, answering
     * 503 beyond the limit. Off unless set: shedding is a decision for each service.
     */
    private boolean enabled = false;

    /**
     * How the limit adapts to the latency of the requests served: gradient2 (Netflix's Gradient2,
     * tolerant of latency that varies between requests), vegas (TCP Vegas, from the lowest latency seen)
     * or envoy-gradient (Envoy's adaptive concurrency gradient controller, against a min RTT it measures
     * every 30 s at min-limit, shedding beyond min-limit's priority shares meanwhile).
     */
    private Algorithm algorithm = Algorithm.GRADIENT2;

    /** The limit at start-up, between min-limit and max-limit. */
    private int initialLimit = 20;

    /** The lowest the limit goes, however slow requests become. */
    private int minLimit = 10;

    /** The highest the limit goes, however fast requests are; at most the server's threads is sensible for servlets. */
    private int maxLimit = 200;

    /**
     * Whether requests beyond the limit are only counted (meshless.server.shedding.rejected with
     * shadow=true) and logged at DEBUG, and answered as usual: for learning the limit before shedding.
     */
    private boolean shadow = false;

    /** The Retry-After of 503 answers, in whole seconds (rounded up, at least 1s). */
    private Duration retryAfter = Duration.ofSeconds(1);

    /** The 'type' member of 503 problem+json bodies (RFC 9457); 'about:blank' says no more than the status. */
    private URI problemType = URI.create("about:blank");

    /**
     * Order of the filter among the application's filters. The default runs before Spring Security's
     * filter chain (-100), so that a shed request costs no authentication.
     */
    private int filterOrder = -110;

    /**
     * The priority of requests by route, first match wins; requests no route matches are normal.
     * Health and actuator endpoints are never shed, whatever is listed here.
     */
    private List<PriorityRoute> priorities = new ArrayList<>();

    /**
     * Routes whose requests are neither counted nor shed: long-lived ones (server-sent events, long
     * polling, streaming downloads) that would hold a place for their whole life and, once as many as
     * the limit's shares are open, have every other request shed. Health and actuator endpoints are
     * never shed without being listed.
     */
    private List<RouteProperties> neverShed = new ArrayList<>();

    /** @return whether load shedding is on */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether load shedding is on */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the algorithm */
    public Algorithm getAlgorithm() {
        return algorithm;
    }

    /** @param algorithm the algorithm */
    public void setAlgorithm(Algorithm algorithm) {
        this.algorithm = algorithm;
    }

    /** @return the limit at start-up */
    public int getInitialLimit() {
        return initialLimit;
    }

    /** @param initialLimit the limit at start-up */
    public void setInitialLimit(int initialLimit) {
        this.initialLimit = initialLimit;
    }

    /** @return the lowest limit */
    public int getMinLimit() {
        return minLimit;
    }

    /** @param minLimit the lowest limit */
    public void setMinLimit(int minLimit) {
        this.minLimit = minLimit;
    }

    /** @return the highest limit */
    public int getMaxLimit() {
        return maxLimit;
    }

    /** @param maxLimit the highest limit */
    public void setMaxLimit(int maxLimit) {
        this.maxLimit = maxLimit;
    }

    /** @return whether requests are only counted */
    public boolean isShadow() {
        return shadow;
    }

    /** @param shadow whether requests are only counted */
    public void setShadow(boolean shadow) {
        this.shadow = shadow;
    }

    /** @return the Retry-After of 503 answers */
    public Duration getRetryAfter() {
        return retryAfter;
    }

    /** @param retryAfter the Retry-After of 503 answers */
    public void setRetryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    /** @return the 'type' of 503 problem bodies */
    public URI getProblemType() {
        return problemType;
    }

    /** @param problemType the 'type' of 503 problem bodies */
    public void setProblemType(URI problemType) {
        this.problemType = problemType;
    }

    /** @return the order of the filter */
    public int getFilterOrder() {
        return filterOrder;
    }

    /** @param filterOrder the order of the filter */
    public void setFilterOrder(int filterOrder) {
        this.filterOrder = filterOrder;
    }

    /** @return the priorities by route */
    public List<PriorityRoute> getPriorities() {
        return priorities;
    }

    /** @param priorities the priorities by route */
    public void setPriorities(List<PriorityRoute> priorities) {
        this.priorities = priorities;
    }

    /** @return the routes that are never counted nor shed */
    public List<RouteProperties> getNeverShed() {
        return neverShed;
    }

    /** @param neverShed the routes that are never counted nor shed */
    public void setNeverShed(List<RouteProperties> neverShed) {
        this.neverShed = neverShed;
    }

    /** Requests of one priority: a path pattern and HTTP methods. */
    public static class PriorityRoute extends RouteProperties {

        /** critical, high, normal or low: low is shed first, critical last. */
        private Priority priority = Priority.NORMAL;

        /** Creates a route of normal priority. */
        public PriorityRoute() {
        }

        /** @return the priority */
        public Priority getPriority() {
            return priority;
        }

        /** @param priority the priority */
        public void setPriority(Priority priority) {
            this.priority = priority;
        }
    }
}
