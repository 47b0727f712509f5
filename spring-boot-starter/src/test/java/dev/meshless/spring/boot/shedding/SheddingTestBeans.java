package dev.meshless.spring.boot.shedding;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What both test applications have: a meter registry and the {@link Gate} of their slow endpoints. */
@Configuration(proxyBeanMethods = false)
class SheddingTestBeans {

    @Bean
    SimpleMeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    @Bean
    Gate gate() {
        return new Gate();
    }
}
