package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.registry.EndpointRegistry;
import dev.meshless.registry.ServiceEndpoints;
import dev.meshless.registry.Subscription;
import dev.meshless.topology.Endpoint;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The README's property as written in application.yml: Meshless knows where inventory runs. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class ReadmePropertyTest {

    @Autowired
    EndpointRegistry registry;

    @Test
    void inventoryRunsWhereThePropertySays() throws Exception {
        CompletableFuture<ServiceEndpoints> delivered = new CompletableFuture<>();
        try (Subscription ignored = registry.subscribe("inventory", delivered::complete)) {
            ServiceEndpoints inventory = delivered.get(30, TimeUnit.SECONDS);
            assertThat(inventory.endpoints()).singleElement().satisfies(e -> {
                assertThat(e.address()).isEqualTo("127.0.0.1:8081");
                assertThat(e.locality().toString()).isEqualTo("eu-west-1/eu-west-1a");
            });
        }
    }
}
