package dev.meshless.spring.boot.zoneaware.clients;

import dev.meshless.spring.boot.ZoneAware;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import reactor.core.publisher.Mono;

/** A reactive HTTP service interface of the inventory service. */
@ZoneAware(service = "inventory")
@HttpExchange("/stock")
public interface ReactiveInventoryClient {

    /**
     * @param sku the item
     * @return its stock, as text
     */
    @GetExchange("/{sku}")
    Mono<String> stock(@PathVariable String sku);
}
