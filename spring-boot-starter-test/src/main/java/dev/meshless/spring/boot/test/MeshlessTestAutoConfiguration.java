package dev.meshless.spring.boot.test;

import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.testing.FakeTime;
import dev.meshless.time.TimeSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Meshless's test doubles, imported by {@link AutoConfigureMeshlessTest} only (it is not in the
 * application's auto-configuration list). Runs before {@link MeshlessAutoConfiguration}, whose
 * registry and time source back off for these.
 */
@AutoConfiguration(before = MeshlessAutoConfiguration.class)
@ConditionalOnProperty(prefix = MeshlessProperties.PREFIX, name = "enabled", matchIfMissing = true)
public class MeshlessTestAutoConfiguration {

    /**
     * @return a clock that runs with the system's time (asynchronous calls schedule their retries and
     *     timeouts on it, and nobody would advance it for them) and that the test advances to make an
     *     ejection or a breaker's wait end at once; absent when a {@code TimeSource} bean exists
     */
    @Bean
    @ConditionalOnMissingBean(TimeSource.class)
    FakeTime meshlessFakeTime() {
        return FakeTime.running();
    }

    /**
     * @return the registry every Meshless client of the application reads; primary, so that it also
     *     wins over a registry bean the application declares itself
     */
    @Bean
    @Primary
    @ConditionalOnMissingBean
    MeshlessTestRegistry meshlessTestRegistry() {
        return new MeshlessTestRegistry();
    }
}
