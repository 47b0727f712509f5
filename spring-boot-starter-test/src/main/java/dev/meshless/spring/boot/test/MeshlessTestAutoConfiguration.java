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

    /** @return a clock that moves only when the test advances it; absent when a {@code TimeSource} bean exists */
    @Bean
    @ConditionalOnMissingBean(TimeSource.class)
    FakeTime meshlessFakeTime() {
        return new FakeTime();
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
