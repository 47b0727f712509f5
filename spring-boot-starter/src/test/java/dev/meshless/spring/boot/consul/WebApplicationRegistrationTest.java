package dev.meshless.spring.boot.consul;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.consul.testing.ConsulSimulator;
import dev.meshless.consul.testing.SimDatacenter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real web application registers the port its server listens on ({@code server.port=0}), not the
 * management server's, with the address Spring Cloud Commons computed, and leaves on shutdown.
 */
class WebApplicationRegistrationTest {

    private ConsulSimulator consul;

    @BeforeEach
    void start() {
        consul = ConsulSimulator.start("dc1");
    }

    @AfterEach
    void stop() {
        consul.close();
    }

    @Test
    void theServersRandomPortIsRegisteredAndDeregisteredOnShutdown() {
        List<String> properties = new ArrayList<>(ConsulContexts.CALLER);
        properties.addAll(List.of(ConsulContexts.consul(consul.address())));
        properties.addAll(List.of("meshless.consul.enabled=true", "server.port=0", "management.server.port=0",
                "spring.main.banner-mode=off"));
        // Arguments, so that they win over the test class path's application.properties.
        String[] arguments = properties.stream().map(p -> "--" + p).toArray(String[]::new);
        SimDatacenter dc1 = consul.dc("dc1");
        String id;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WebApplication.class)
                .web(WebApplicationType.SERVLET).run(arguments)) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            String address = context.getEnvironment().getProperty("spring.cloud.client.ip-address");
            assertThat(address).as("computed by Spring Cloud Commons").isNotBlank();
            id = "checkout-" + address + "-" + port;

            SimDatacenter.Service registered = dc1.service("agent-dc1", id);
            assertThat(registered).as("registered as %s before start-up finished", id).isNotNull();
            assertThat(registered.port()).isEqualTo(port).isPositive();
            assertThat(registered.address()).isEqualTo(address);
            assertThat(context.getBean(ConsulSelfRegistration.class).registered()).isTrue();
        }
        assertThat(dc1.service("agent-dc1", id)).as("deregistered on shutdown").isNull();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class WebApplication {
    }
}
