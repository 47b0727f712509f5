package dev.meshless.sample.checkout;

import dev.meshless.call.ServiceCallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.HttpServerErrorException;

/**
 * {@code POST /checkout}: checks the stock with inventory and accepts or refuses the order. The
 * rate limits on this endpoint are configured under {@code meshless.rate-limit} in
 * {@code application.yml}; a refused request gets a 429 before it reaches this class.
 */
@RestController
public class CheckoutController {

    private static final Logger log = LoggerFactory.getLogger(CheckoutController.class);

    private final InventoryClient inventory;

    /** @param inventory the {@code @ZoneAware} client the starter registered */
    public CheckoutController(InventoryClient inventory) {
        this.inventory = inventory;
    }

    /**
     * @param order what to buy
     * @return whether it is accepted, and which inventory zone answered
     */
    @PostMapping("/checkout")
    public Receipt checkout(@RequestBody Order order) {
        InventoryClient.Stock stock = inventory.stock(order.sku());
        return new Receipt(order.sku(), order.quantity(), stock.available() >= order.quantity(), stock.zone());
    }

    /**
     * No inventory endpoint could answer, in any zone or region: Meshless has already retried as
     * far as the policy allows. Say so with a 503 rather than a 500.
     *
     * @param e the failure: a {@link ServiceCallException} naming every attempt, or the last 5xx answer
     * @return a problem+json body
     */
    @ExceptionHandler({ServiceCallException.class, HttpServerErrorException.class})
    public ProblemDetail inventoryUnavailable(RuntimeException e) {
        log.warn("checkout failed: {}", e.getMessage());   // the attempts, their endpoints and outcomes
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "inventory is unavailable; try again later");
    }

    /**
     * @param sku the article
     * @param quantity how many
     */
    public record Order(String sku, int quantity) { }

    /**
     * @param sku the article
     * @param quantity how many
     * @param accepted whether inventory has that many
     * @param inventoryZone the zone of the inventory instance that answered
     */
    public record Receipt(String sku, int quantity, boolean accepted, String inventoryZone) { }
}
