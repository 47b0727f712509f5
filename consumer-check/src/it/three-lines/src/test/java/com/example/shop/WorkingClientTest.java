package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The README's client against a real inventory: an HTTP server on a loopback port the system picks.
 * The property is the README's, with that port in place of 8081.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class WorkingClientTest {

    static final HttpServer INVENTORY = start();

    @Autowired
    InventoryClient inventory;

    @DynamicPropertySource
    static void inventoryRunsOnTheTestServer(DynamicPropertyRegistry properties) {
        String endpoint = "meshless.registry.endpoints.inventory[0].";
        properties.add(endpoint + "host", () -> "127.0.0.1");
        properties.add(endpoint + "port", () -> INVENTORY.getAddress().getPort());
        properties.add(endpoint + "region", () -> "eu-west-1");
        properties.add(endpoint + "zone", () -> "eu-west-1a");
    }

    @AfterAll
    static void stop() {
        INVENTORY.stop(0);
    }

    @Test
    void theClientCallsInventoryThroughMeshless() {
        assertThat(inventory.stock("apple")).isEqualTo("7 x apple");
    }

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            // GET /stock/{sku} answers "7 x {sku}", as plain text.
            server.createContext("/stock/", exchange -> {
                String sku = exchange.getRequestURI().getPath().substring("/stock/".length());
                byte[] answer = ("7 x " + sku).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the inventory server on loopback", e);
        }
    }
}
