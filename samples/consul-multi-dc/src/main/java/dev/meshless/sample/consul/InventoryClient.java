package dev.meshless.sample.consul;

import dev.meshless.spring.boot.ZoneAware;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;

/**
 * {@code inventory}, wherever Consul says it runs: this instance's zone first, then the other zones
 * of {@code eu-west-1}, then {@code eu-central-1} in the other datacenter.
 */
@ZoneAware("inventory")
public interface InventoryClient {

    /**
     * @param sku the article
     * @return the answer of the instance that served the call, e.g. {@code inventory-eu-west-1a-0: 7 of sku-42}
     */
    @GetExchange("/stock/{sku}")
    String stock(@PathVariable String sku);
}
