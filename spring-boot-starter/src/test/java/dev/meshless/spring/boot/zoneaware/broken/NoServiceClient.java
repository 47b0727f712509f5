package dev.meshless.spring.boot.zoneaware.broken;

import dev.meshless.spring.boot.ZoneAware;
import org.springframework.web.service.annotation.GetExchange;

/** A mistake: no service named. */
@ZoneAware
public interface NoServiceClient {

    /** @return anything */
    @GetExchange("/anything")
    String anything();
}
