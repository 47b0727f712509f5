package dev.meshless.spring.boot.zoneaware;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How Meshless reaches the application's HTTP clients and {@code @ZoneAware} code, under
 * {@code meshless.zone-aware}. The policies of the calls themselves are under
 * {@code meshless.defaults} and {@code meshless.services}.
 */
@ConfigurationProperties(ZoneAwareProperties.PREFIX)
public class ZoneAwareProperties {

    /** The prefix of every property. */
    public static final String PREFIX = "meshless.zone-aware";

    /** Adding Meshless to the HTTP client builders Spring Boot gives the application. */
    private final HttpClients httpClients = new HttpClients();

    /** Beans for {@code @ZoneAware} HTTP service interfaces. */
    private final InterfaceClients interfaceClients = new InterfaceClients();

    /** The aspect that runs {@code @ZoneAware} bean methods through the call path. */
    private final Aspect aspect = new Aspect();

    /** @return adding Meshless to the HTTP client builders */
    public HttpClients getHttpClients() {
        return httpClients;
    }

    /** @return beans for {@code @ZoneAware} HTTP service interfaces */
    public InterfaceClients getInterfaceClients() {
        return interfaceClients;
    }

    /** @return the {@code @ZoneAware} aspect */
    public Aspect getAspect() {
        return aspect;
    }

    /** Adding Meshless to the HTTP client builders Spring Boot gives the application. */
    public static class HttpClients {

        /**
         * Whether the Meshless interceptor is added to every {@code RestClient.Builder} and
         * {@code RestTemplateBuilder} bean, and the Meshless filter to every
         * {@code WebClient.Builder} bean, so that URLs whose host is a Meshless service
         * ({@code http://inventory/...}) go through the call path; other hosts pass through. Also
         * whether {@code @LoadBalanced} clients and OpenFeign get Meshless's where Spring Cloud
         * LoadBalancer does not balance them. When false, add
         * {@code MeshlessClientHttpRequestInterceptor} or {@code MeshlessExchangeFilterFunction}
         * (both beans) to the clients that should have it.
         */
        private boolean enabled = true;

        /** @return whether the builders get Meshless */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the builders get Meshless */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Beans for {@code @ZoneAware} HTTP service interfaces. */
    public static class InterfaceClients {

        /**
         * Whether each {@code @ZoneAware} HTTP service interface found in the application's
         * auto-configuration packages and in those of {@code @EnableZoneAwareClients} is registered
         * with Spring's HTTP service registry, in the group named after its service. Groups the
         * application declares with {@code @ImportHttpServices} are routed by their interfaces'
         * {@code @ZoneAware} either way.
         */
        private boolean enabled = true;

        /** @return whether interface clients are registered */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether interface clients are registered */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** The aspect that runs {@code @ZoneAware} bean methods through the call path. */
    public static class Aspect {

        /** Whether {@code @ZoneAware} bean methods are advised (AspectJ must be on the class path). */
        private boolean enabled = true;

        /**
         * Order of the aspect among the application's advice; lower runs outside. The default,
         * {@code Ordered.LOWEST_PRECEDENCE}, runs inside Resilience4j's {@code @Retry},
         * {@code @CircuitBreaker}, {@code @RateLimiter}, {@code @TimeLimiter} and {@code @Bulkhead}
         * and inside {@code @RateLimited}, so that they see one call however many attempts Meshless
         * makes.
         */
        private int order = 2147483647; // Ordered.LOWEST_PRECEDENCE, a literal so that the metadata shows it

        /** @return whether the aspect is on */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the aspect is on */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the aspect's order */
        public int getOrder() {
            return order;
        }

        /** @param order the aspect's order */
        public void setOrder(int order) {
            this.order = order;
        }
    }
}
