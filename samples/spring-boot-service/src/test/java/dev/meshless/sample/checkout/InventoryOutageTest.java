package dev.meshless.sample.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.sample.checkout.CheckoutController.Order;
import dev.meshless.spring.boot.test.AutoConfigureMeshlessTest;
import dev.meshless.spring.boot.test.FleetResponse;
import dev.meshless.spring.boot.test.ZoneFleet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestPropertySource;

/**
 * When eu-west-1a goes down, checkout still answers: the test a user of the starter writes with
 * {@code meshless-spring-boot-starter-test} (docs/testing.md shows it). The application runs as
 * {@code application.yml} configures it, in eu-west-1a, with four real inventory instances on
 * loopback in place of the endpoints listed there.
 */
// The JDK client's read timeout also bounds reading the body; a cold JVM on a loaded machine can take
// longer than application.yml's 500 ms to decode the first answer. This test is about refused
// connections, not timeouts: the inventory group (@ZoneAware("inventory")) gets more time.
@TestPropertySource(properties = {"spring.http.serviceclient.inventory.read-timeout=5s",
    "meshless.services.inventory.timeouts.per-try=5s", "meshless.services.inventory.timeouts.deadline=10s"})
@SpringBootTest
@AutoConfigureMeshlessTest
class InventoryOutageTest {

    @RegisterExtension
    static ZoneFleet inventory = ZoneFleet.builder("inventory")
            .zone("eu-west-1", "eu-west-1a", 2)
            .zone("eu-west-1", "eu-west-1b", 2)
            .responder((request, instance) -> FleetResponse.json(
                    "{\"sku\":\"42\",\"available\":7,\"zone\":\"" + instance.zone() + "\"}"))
            .build();

    @Autowired
    CheckoutController checkout;

    @Test
    void whenEuWest1aGoesDownCheckoutStillAnswers() {
        inventory.refuse("eu-west-1a");
        for (int i = 0; i < 10; i++) {
            assertThat(checkout.checkout(new Order("42", 1)).inventoryZone()).isEqualTo("eu-west-1b");
        }
        assertThat(inventory.requests("eu-west-1b")).isEqualTo(10);
    }
}
