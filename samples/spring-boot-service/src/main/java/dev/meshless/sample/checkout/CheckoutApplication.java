package dev.meshless.sample.checkout;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The {@code checkout} service: a Spring MVC application that calls {@code inventory} through
 * Meshless. Everything Meshless does here comes from the starter on the class path,
 * {@link InventoryClient}'s {@code @ZoneAware} and {@code application.yml}.
 */
@SpringBootApplication
public class CheckoutApplication {

    /**
     * Starts the service.
     *
     * @param args Spring Boot's command line, e.g. {@code --server.port=8081}
     */
    public static void main(String[] args) {
        SpringApplication.run(CheckoutApplication.class, args);
    }
}
