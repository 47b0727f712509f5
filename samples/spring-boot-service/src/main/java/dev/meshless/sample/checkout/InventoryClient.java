package dev.meshless.sample.checkout;

import dev.meshless.spring.boot.ZoneAware;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;

/**
 * The inventory service, as a Spring HTTP interface. {@code @ZoneAware("inventory")} makes the
 * starter implement it: each request goes to an endpoint of {@code inventory} chosen by Meshless
 * (this instance's zone first), with the retries, breakers and timeouts of
 * {@code meshless.services.inventory} in {@code application.yml}.
 */
@ZoneAware("inventory")
public interface InventoryClient {

    /**
     * A GET: retried on another endpoint, or in another zone, when an attempt fails.
     *
     * @param sku the article
     * @return its stock
     */
    @GetExchange("/stock/{sku}")
    Stock stock(@PathVariable String sku);

    /**
     * What inventory answers.
     *
     * @param sku the article
     * @param available how many are in stock
     * @param zone the zone of the instance that answered (the sample's stand-in inventory says so,
     *     to make failover visible)
     */
    record Stock(String sku, int available, String zone) { }
}
