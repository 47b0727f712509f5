package dev.meshless.spring.boot.zoneaware.clients;

import dev.meshless.spring.boot.ZoneAware;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.PostExchange;

/** A blocking HTTP service interface of the inventory service. */
@ZoneAware("inventory")
public interface InventoryClient {

    /**
     * @param sku the item
     * @return its stock, as text
     */
    @GetExchange("/stock/{sku}")
    String stock(@PathVariable String sku);

    /**
     * @param sku the item
     * @return the item, read from JSON by Spring Boot's converters
     */
    @GetExchange("/items/{sku}")
    Item item(@PathVariable String sku);

    /**
     * @param sku the item
     * @return the reservation; retried only when the request never left
     */
    @PostExchange("/reservations")
    String reserve(@RequestBody String sku);

    /**
     * @param sku the item
     * @return the reservation; retried like a GET
     */
    @ZoneAware(idempotent = true)
    @PostExchange("/reservations")
    String reserveIdempotently(@RequestBody String sku);

    /**
     * An item.
     *
     * @param sku its id
     * @param count how many are in stock
     */
    record Item(String sku, int count) {
    }
}
