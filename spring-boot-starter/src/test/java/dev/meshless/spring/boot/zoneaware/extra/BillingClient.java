package dev.meshless.spring.boot.zoneaware.extra;

import dev.meshless.spring.boot.ZoneAware;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;

/** An interface outside the application's packages, found through {@code @EnableZoneAwareClients}. */
@ZoneAware("billing")
public interface BillingClient {

    /**
     * @param id the invoice
     * @return the invoice, as text
     */
    @GetExchange("/invoices/{id}")
    String invoice(@PathVariable String id);
}
