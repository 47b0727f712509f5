package dev.meshless.spring.boot.core.disabled;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.ratelimit.servlet.RateLimitServletFilter;
import dev.meshless.spring.boot.testing.OwnReactorResources;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code meshless.enabled=false} turns every Meshless auto-configuration off — with the whole set of
 * auto-configurations the test class path brings (web server, actuator, Spring Cloud, Consul,
 * AspectJ), so that one left out would show as a bean.
 */
class MeshlessEnabledFalseTest {

    private static final String[] APPLICATION = {
        "server.address=127.0.0.1", "server.port=0", "spring.application.name=checkout",
        "meshless.locality.region=r1", "meshless.locality.zone=r1-a",
        "meshless.rate-limit.limits.api.limit-for-period=2", "meshless.rate-limit.limits.api.routes[0].path=/api/**",
        "management.endpoints.web.exposure.include=health,meshless"};

    @Test
    void switchedOnTheApplicationHasMeshlessBeansIncludingTheRateLimitFilter() {
        try (ConfigurableApplicationContext context = run(WebApplicationType.SERVLET)) {
            assertThat(context.getBeansOfType(MeshlessClients.class)).hasSize(1);
            assertThat(context.getBeansOfType(RateLimitServletFilter.class)).hasSize(1);
            assertThat(context.getBeansOfType(DisabledTestApplication.Inventory.class)).hasSize(1);
            assertThat(meshlessBeans(context)).hasSizeGreaterThan(20);
        }
    }

    @ParameterizedTest
    @EnumSource(value = WebApplicationType.class, names = {"SERVLET", "REACTIVE"})
    void meshlessEnabledFalseLeavesNoMeshlessBean(WebApplicationType type) {
        try (ConfigurableApplicationContext context = run(type, "meshless.enabled=false",
                "meshless.consul.enabled=true", // only meshless.enabled keeps Consul off
                "meshless.services.inventory.retry.max-attemps=3")) { // a misspelt key: the check is off too
            assertThat(meshlessBeans(context)).isEmpty();
        }
    }

    private static ConfigurableApplicationContext run(WebApplicationType type, String... properties) {
        return new SpringApplicationBuilder(DisabledTestApplication.class).web(type)
                .initializers(OwnReactorResources::register).properties(APPLICATION).properties(properties).run();
    }

    /** @return the beans of Meshless's types or with Meshless in their names, but the application's own */
    private static List<String> meshlessBeans(ConfigurableApplicationContext context) {
        String application = DisabledTestApplication.class.getPackageName();
        return java.util.Arrays.stream(context.getBeanDefinitionNames()).filter(name -> {
            Class<?> type = context.getType(name);
            String typeName = type == null ? "" : type.getName();
            if (typeName.startsWith(application) || name.startsWith(application)
                    || name.equals("disabledTestApplication") || name.equals("reports")) {
                return false;
            }
            return typeName.startsWith("dev.meshless.") || name.toLowerCase(Locale.ROOT).contains("meshless");
        }).toList();
    }
}
