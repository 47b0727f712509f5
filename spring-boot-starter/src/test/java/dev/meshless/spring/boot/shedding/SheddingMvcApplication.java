package dev.meshless.spring.boot.shedding;

import java.util.concurrent.Callable;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * A Spring MVC application whose slow endpoints wait for the test's {@link Gate}: blocking, with a
 * {@link DeferredResult} and with a {@link Callable}, beside fast ones.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({SheddingTestBeans.class, SheddingMvcApplication.Endpoints.class})
public class SheddingMvcApplication {

    @RestController
    static class Endpoints {
        private final Gate gate;

        Endpoints(Gate gate) {
            this.gate = gate;
        }

        @GetMapping("/slow")
        String slow() {
            gate.pass();
            return "slow";
        }

        @GetMapping("/events")
        String events() {
            gate.streamArrived();
            gate.pass();
            return "events";
        }

        @GetMapping("/reports/slow")
        String slowReport() {
            gate.pass();
            return "report";
        }

        @GetMapping({"/items", "/reports/daily", "/checkout"})
        String fast() {
            return "fast";
        }

        @GetMapping("/deferred")
        DeferredResult<String> deferred() {
            DeferredResult<String> result = new DeferredResult<>(60_000L);
            gate.opened().thenRun(() -> result.setResult("deferred"));
            return result;
        }

        @GetMapping("/deferred/expiring")
        DeferredResult<String> expiring() {
            return new DeferredResult<>(1L);
        }

        @GetMapping("/callable")
        Callable<String> callable() {
            return () -> {
                gate.pass();
                return "callable";
            };
        }

        @GetMapping("/boom")
        String boom() {
            throw new IllegalStateException("boom");
        }
    }
}
