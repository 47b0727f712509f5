package dev.meshless.spring.boot.zoneaware;

import org.springframework.web.service.invoker.HttpExchangeAdapter;

/**
 * Makes the exchange adapter of reactive {@code @ZoneAware} HTTP service interfaces; present only
 * when WebFlux is, so that {@link ZoneAwareClientFactory} needs no WebFlux types otherwise.
 */
public interface ReactiveZoneAwareClients {

    /**
     * @param service the service, host of the base URL {@code http://<service>}
     * @return an adapter over a {@code WebClient} carrying the Meshless filter
     */
    HttpExchangeAdapter adapter(String service);
}
