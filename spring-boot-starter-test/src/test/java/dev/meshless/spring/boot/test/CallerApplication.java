package dev.meshless.spring.boot.test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** A plain Spring Boot application with the Meshless starter: it calls {@code inventory} through {@code MeshlessClients}. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class CallerApplication {
}
