package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A minimal servlet application (Spring Web and the starter) gets only what it needs: its run-time
 * class path, as {@code mvn dependency:list} resolves it, is exactly expected-runtime-dependencies.txt
 * (groupId:artifactId, versions left out so that a Spring Boot patch does not fail it). No Consul
 * module, WebFlux, Reactor, Spring Cloud, actuator or Resilience4j Micrometer module.
 */
class RuntimeDependenciesTest {

    private static final Pattern ARTIFACT = Pattern.compile("^\\s+([\\w.-]+):([\\w.-]+):jar:.*$");

    @Test
    void theRuntimeClassPathIsTheExpectedList() throws IOException {
        List<String> resolved = Files.readAllLines(Path.of("target/runtime-dependencies.txt")).stream()
                .map(ARTIFACT::matcher).filter(Matcher::matches).map(m -> m.group(1) + ":" + m.group(2))
                .sorted().toList();
        List<String> expected = Files.readAllLines(Path.of("expected-runtime-dependencies.txt")).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).sorted().toList();
        assertThat(resolved).as("the application's run-time dependencies (target/runtime-dependencies.txt)")
                .containsExactlyElementsOf(expected);
        assertThat(resolved).noneMatch(a -> a.contains("consul") || a.contains("webflux")
                || a.startsWith("io.projectreactor:") || a.startsWith("org.springframework.cloud:")
                || a.contains("actuator") || a.equals("io.github.resilience4j:resilience4j-micrometer"));
    }
}
