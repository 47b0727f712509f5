package dev.meshless.spring.boot.core.disabled;

import dev.meshless.spring.boot.ZoneAware;
import dev.meshless.spring.boot.ratelimit.RateLimited;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.service.annotation.GetExchange;

/**
 * An application with every Meshless auto-configuration the test class path offers: a web server,
 * the actuator, an inbound limit, a {@code @RateLimited} and a {@code @ZoneAware} bean, Spring Cloud
 * and Consul.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class DisabledTestApplication {

    /** A {@code @ZoneAware} HTTP service interface, which Meshless gives a bean when on. */
    @ZoneAware("inventory")
    public interface Inventory {
        /** @return the stock */
        @GetExchange("/stock")
        String stock();
    }

    /** A bean with a {@code @RateLimited} method. */
    public static class Reports {
        /** @return a report */
        @RateLimited(name = "api")
        public String report() {
            return "report";
        }
    }

    @Bean
    Reports reports() {
        return new Reports();
    }
}
