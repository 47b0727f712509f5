package dev.meshless.sample.consul;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /checkout/{sku}}: asks inventory and says which instance answered. */
@RestController
public class CheckoutController {

    private final InventoryClient inventory;

    /** @param inventory the {@code @ZoneAware} client the starter registered */
    public CheckoutController(InventoryClient inventory) {
        this.inventory = inventory;
    }

    /**
     * @param sku the article
     * @return inventory's answer
     */
    @GetMapping("/checkout/{sku}")
    public String checkout(@PathVariable String sku) {
        return inventory.stock(sku);
    }
}
