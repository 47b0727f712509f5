package dev.meshless.spring.boot.shedding;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/** {@code algorithm: envoy-gradient} behind the WebFlux filter, on Netty. */
@SpringBootTest(classes = {SheddingWebFluxApplication.class, EnvoyGradientSheddingScenarios.Clock.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"server.address=127.0.0.1",
                "spring.main.web-application-type=reactive", EnvoyGradientSheddingScenarios.ALGORITHM,
                EnvoyGradientSheddingScenarios.INITIAL, EnvoyGradientSheddingScenarios.MAX})
@ActiveProfiles("shedding")
class ReactiveEnvoyGradientSheddingTest extends EnvoyGradientSheddingScenarios {
}
