package dev.meshless.spring.boot.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.PolicyReloader;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;

/** Policies follow Spring Cloud's refresh; a bad reload keeps the running policies. */
@ExtendWith(OutputCaptureExtension.class)
class PolicyReloadTest {

    private final LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());

    // The reloader's INFO lines are asserted: whatever logging configuration the test class path
    // brings (core's test jar sets WARN), and whichever test ran before.
    @BeforeEach
    void logReloads() {
        logging.setLogLevel(PolicyReloader.class.getName(), LogLevel.INFO);
    }

    @AfterEach
    void resetLogging() {
        logging.setLogLevel(PolicyReloader.class.getName(), null);
    }

    // Spring Cloud's rebinder is here as in an application: it rebinds the properties bean in place on
    // every change, including with values the reload then rejects.
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesRebinderAutoConfiguration.class,
                    MeshlessAutoConfiguration.class))
            .withPropertyValues("meshless.locality.region=r1", "meshless.locality.zone=r1-a",
                    "meshless.registry.endpoints.inventory[0].host=h", "meshless.registry.endpoints.inventory[0].port=1",
                    "meshless.registry.endpoints.inventory[0].region=r1", "meshless.registry.endpoints.inventory[0].zone=a",
                    "meshless.services.inventory.retry.max-attempts=2");

    @Test
    void aRefreshAppliesNewPoliciesToRunningClients(CapturedOutput output) {
        runner.run(context -> {
            MeshlessClients clients = context.getBean(MeshlessClients.class);
            assertThat(clients.client("inventory").policy().maxAttempts()).isEqualTo(2);

            TestPropertyValues.of("meshless.services.inventory.retry.max-attempts=5",
                    "meshless.services.inventory.load-balancing.overprovisioning-factor=2",
                    "meshless.services.inventory.zone-breaker.failure-rate-threshold=30%").applyTo(context);
            context.publishEvent(new EnvironmentChangeEvent(context.getSourceApplicationContext(), Set.of(
                    "meshless.services.inventory.retry.max-attempts",
                    "meshless.services.inventory.load-balancing.overprovisioning-factor",
                    "meshless.services.inventory.zone-breaker.failure-rate-threshold")));

            assertThat(clients.client("inventory").policy().maxAttempts()).isEqualTo(5);
            assertThat(clients.client("inventory").balancer().policy().overprovisioningFactor()).isEqualTo(2.0);
            assertThat(output).contains("meshless.services.inventory.zone-breaker.failure-rate-threshold] take effect"
                    + " for clients built after a restart");
        });
    }

    @Test
    void aRejectedReloadKeepsTheRunningPolicyAndSaysWhy(CapturedOutput output) {
        runner.run(context -> {
            MeshlessClients clients = context.getBean(MeshlessClients.class);

            TestPropertyValues.of("meshless.services.inventory.retry.max-attempts=99").applyTo(context);
            context.publishEvent(new EnvironmentChangeEvent(context.getSourceApplicationContext(),
                    Set.of("meshless.services.inventory.retry.max-attempts")));

            assertThat(clients.client("inventory").policy().maxAttempts()).isEqualTo(2);
            assertThat(output).contains("Meshless: configuration reload rejected, the running policies stay:"
                    + " meshless.services.inventory.retry.max-attempts = 99: must be between 1 and 10");
        });
    }

    @Test
    void aRejectedReloadDoesNotReachClientsBuiltAfterIt() {
        runner.run(context -> {
            TestPropertyValues.of("meshless.defaults.retry.max-attempts=99").applyTo(context);
            context.publishEvent(new EnvironmentChangeEvent(context.getSourceApplicationContext(), Set.of("meshless.defaults.retry.max-attempts")));

            assertThat(context.getBean(MeshlessClients.class).client("ledger").policy().maxAttempts())
                    .as("the defaults in force before the rejected reload").isEqualTo(3);
        });
    }

    @Test
    void changesOutsideMeshlessAreIgnored() {
        runner.run(context -> {
            MeshlessClients clients = context.getBean(MeshlessClients.class);
            assertThat(clients.client("inventory").policy().maxAttempts()).isEqualTo(2);

            // A Meshless value changes in the environment, but the event names only another key.
            TestPropertyValues.of("meshless.services.inventory.retry.max-attempts=5").applyTo(context);
            context.publishEvent(new EnvironmentChangeEvent(context.getSourceApplicationContext(), Set.of("server.port")));

            assertThat(clients.client("inventory").policy().maxAttempts()).isEqualTo(2);
        });
    }
}
