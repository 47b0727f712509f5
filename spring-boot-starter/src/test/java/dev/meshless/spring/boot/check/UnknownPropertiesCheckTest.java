package dev.meshless.spring.boot.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.MeshlessAutoConfiguration;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

@ExtendWith(OutputCaptureExtension.class)
class UnknownPropertiesCheckTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MeshlessPropertiesCheckAutoConfiguration.class,
                    MeshlessAutoConfiguration.class))
            .withPropertyValues("meshless.locality.region=r1", "meshless.locality.zone=r1-a");

    @Test
    void aMisspeltKeyStopsStartUpNamingItAndItsValue() {
        runner.withPropertyValues("meshless.defaults.retry.max-atempts=5").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidMeshlessConfigurationException.class)
                    .hasMessageContaining("meshless.defaults.retry.max-atempts")
                    .hasMessageContaining("5")
                    .hasMessageContaining("is not a Meshless property");
        });
    }

    @Test
    void aMisspeltKeyInAServicesSectionIsFoundToo() {
        runner.withPropertyValues("meshless.services.inventory.retry.max-attempts=2",
                "meshless.services.inventory.timeouts.per-tyr=300ms").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("meshless.services.inventory.timeouts.per-tyr");
        });
    }

    @Test
    void everyUnknownKeyIsListed() {
        runner.withPropertyValues("meshless.defaults.retry.max-atempts=5", "meshless.registy.endpoints.a[0].host=x")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("meshless.defaults.retry.max-atempts")
                        .hasMessageContaining("also unknown: meshless.registy.endpoints.a[0].host"));
    }

    @Test
    void theKeysOfEveryMeshlessPrefixAreKnown() {
        runner.withPropertyValues(
                "meshless.services.inventory.retry.retryable-statuses=503",
                "meshless.registry.endpoints.inventory[0].host=10.0.0.1",
                "meshless.registry.endpoints.inventory[0].port=8080",
                "meshless.registry.endpoints.inventory[0].region=r1",
                "meshless.registry.endpoints.inventory[0].zone=r1-a",
                "meshless.rate-limit.limits.api.limit-for-period=100",
                "meshless.zone-aware.http-clients.enabled=true",
                "meshless.loadbalancer.mode=picker",
                "meshless.consul.wait=2m",
                "meshless.consul.clusters.us.address=http://127.0.0.1:9500",
                "meshless.unknown-properties=fail").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(MeshlessClients.class);
                });
    }

    @Test
    void aMisspeltKeyUnderAnotherMeshlessPrefixIsFound() {
        runner.withPropertyValues("meshless.rate-limit.limits.api.limit-for-priod=100").run(context ->
                assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("meshless.rate-limit.limits.api.limit-for-priod"));
        runner.withPropertyValues("meshless.consul.agnet.address=http://127.0.0.1:8500").run(context ->
                assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("meshless.consul.agnet.address"));
    }

    @Test
    void misspeltKeysInsideTheRateLimitSpecificationsAreFound() {
        runner.withPropertyValues("meshless.rate-limit.limits.api.scope=per-key",
                "meshless.rate-limit.limits.api.overrides.vip.limit-for-period=100",
                "meshless.rate-limit.limits.api.overrides.vip.brust=10", "meshless.rate-limit.defaults.max-key=100",
                "meshless.rate-limit.limits.api.key.sorce=header", "meshless.rate-limit.instance.ids=i-1")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("meshless.rate-limit.defaults.max-key")
                        .hasMessageContaining("meshless.rate-limit.instance.ids")
                        .hasMessageContaining("meshless.rate-limit.limits.api.key.sorce")
                        .hasMessageContaining("meshless.rate-limit.limits.api.overrides.vip.brust"));
    }

    @Test
    void theLocalitysEnvironmentVariablesAreNotMistakenForProperties() {
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of("MESHLESS_REGION", "r1", "MESHLESS_ZONE", "r1-a"))))
                .run(context -> assertThat(context).hasNotFailed());
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of("MESHLESS_DEFAULTS_RETRY_MAXATTEMPTS", "5", "MESHLESS_DEFAULTS_RETRY_MAXATEMPTS", "5"))))
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("meshless.defaults.retry.maxatempts")
                        .hasMessageNotContaining("maxattempts"));
    }

    @Test
    void warnModeLogsAndStarts(CapturedOutput output) {
        runner.withPropertyValues("meshless.unknown-properties=warn", "meshless.defaults.retry.max-atempts=5")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output).contains("'meshless.defaults.retry.max-atempts' = '5'")
                            .contains("is not a Meshless property and is ignored");
                });
    }

    @Test
    void ignoreModeSaysNothing(CapturedOutput output) {
        runner.withPropertyValues("meshless.unknown-properties=ignore", "meshless.defaults.retry.max-atempts=5")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output).doesNotContain("max-atempts");
                });
    }

    @Test
    void consulSettingsWithoutTheConsulModuleAreCalledOut(CapturedOutput output) {
        runner.withClassLoader(new FilteredClassLoader("dev.meshless.consul."))
                .withPropertyValues("meshless.consul.wait=2m").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output).contains("meshless.consul.* is set but meshless-discovery-consul is not on"
                            + " the class path");
                });
    }
}
