package com.example.shop;

import dev.meshless.spring.boot.ZoneAware;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;

/** The README's client: an HTTP interface that Meshless implements and balances. */
@ZoneAware("inventory")
public interface InventoryClient {

    @GetExchange("/stock/{sku}")
    String stock(@PathVariable String sku);
}
