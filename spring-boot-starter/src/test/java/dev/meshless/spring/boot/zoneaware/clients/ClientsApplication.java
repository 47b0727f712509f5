package dev.meshless.spring.boot.zoneaware.clients;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;

/** An application whose package holds {@code @ZoneAware} interfaces, as {@code @SpringBootApplication} declares it. */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class ClientsApplication {
}
