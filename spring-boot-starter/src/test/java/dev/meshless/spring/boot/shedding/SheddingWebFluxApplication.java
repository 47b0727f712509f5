package dev.meshless.spring.boot.shedding;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** A WebFlux application whose slow endpoints complete when the test's {@link Gate} opens. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({SheddingTestBeans.class, SheddingWebFluxApplication.Endpoints.class})
public class SheddingWebFluxApplication {

    @RestController
    static class Endpoints {
        private final Gate gate;

        Endpoints(Gate gate) {
            this.gate = gate;
        }

        @GetMapping("/slow")
        Mono<String> slow() {
            return Mono.fromFuture(gate.opened(), true).thenReturn("slow");
        }

        @GetMapping("/events")
        Mono<String> events() {
            gate.streamArrived();
            return Mono.fromFuture(gate.opened(), true).thenReturn("events");
        }

        @GetMapping("/reports/slow")
        Mono<String> slowReport() {
            return Mono.fromFuture(gate.opened(), true).thenReturn("report");
        }

        @GetMapping({"/items", "/reports/daily", "/checkout"})
        Mono<String> fast() {
            return Mono.just("fast");
        }

        @GetMapping("/boom")
        Mono<String> boom() {
            return Mono.error(new IllegalStateException("boom"));
        }
    }
}
