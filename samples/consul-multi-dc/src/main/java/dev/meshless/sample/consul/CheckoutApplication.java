package dev.meshless.sample.consul;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * {@code checkout}, a Spring MVC service in {@code eu-west-1a} that finds {@code inventory} in two
 * Consul datacenters. With {@code meshless-discovery-consul} next to the starter, Meshless watches
 * every datacenter the local agent knows, labels each instance with its region and zone, registers
 * this application, and keeps routing from its last good view when Consul is unreachable — all from
 * {@code application.yml}.
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
