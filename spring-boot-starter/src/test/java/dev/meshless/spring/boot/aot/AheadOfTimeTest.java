package dev.meshless.spring.boot.aot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.call.RetrySpec;
import dev.meshless.consul.ConsulAgentSpec;
import dev.meshless.consul.ConsulSpec;
import dev.meshless.policy.PolicySpec;
import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.spring.boot.ZoneAware;
import dev.meshless.spring.boot.actuate.MeshlessEndpoint;
import dev.meshless.spring.boot.http.HttpClientContexts;
import dev.meshless.spring.boot.ratelimit.RateLimitProperties;
import dev.meshless.spring.boot.ratelimit.RateLimited;
import dev.meshless.spring.boot.ratelimit.aspect.RateLimitedAspect;
import dev.meshless.spring.boot.zoneaware.ZoneAwareAspect;
import dev.meshless.spring.boot.zoneaware.ZoneAwareProperties;
import dev.meshless.spring.boot.zoneaware.clients.ClientsApplication;
import dev.meshless.spring.boot.zoneaware.clients.InventoryClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.Configurations;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.service.HttpServiceClientAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.webclient.autoconfigure.service.ReactiveHttpServiceClientAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.core.io.InputStreamSource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.javapoet.ClassName;

/**
 * The starter under Spring AOT: {@code META-INF/spring/aot.factories} lists registrars whose hints
 * cover what Meshless does by reflection, {@code @ZoneAware} and {@code @RateLimited} make annotated
 * beans reflective, and an application with {@code @ZoneAware} interfaces can be processed ahead of
 * time (a bean defined by an instance supplier, as the starter's former registrar made, stops
 * {@code process-aot}). The Spring Boot sample runs its tests on the code generated here.
 */
class AheadOfTimeTest {

    /** @return the hints of every registrar {@code aot.factories} lists, as Spring AOT gathers them */
    private static RuntimeHints shippedHints() {
        RuntimeHints hints = new RuntimeHints();
        List<RuntimeHintsRegistrar> registrars = SpringFactoriesLoader
                .forResourceLocation("META-INF/spring/aot.factories").load(RuntimeHintsRegistrar.class);
        assertThat(registrars).extracting(r -> r.getClass().getSimpleName()).contains("MeshlessRuntimeHints",
                "ZoneAwareRuntimeHints", "RateLimitAspectRuntimeHints", "MeshlessActuatorRuntimeHints",
                "ConsulRuntimeHints");
        registrars.forEach(r -> r.registerHints(hints, AheadOfTimeTest.class.getClassLoader()));
        return hints;
    }

    @Test
    void theAspectsAdviceMethodsAndAnnotationsAreReflective() {
        RuntimeHints hints = shippedHints();
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ZoneAwareAspect.class, "zoneAware"))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(RateLimitedAspect.class, "rateLimited"))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.proxies().forInterfaces(ZoneAware.class))
                .as("@ZoneAware has @AliasFor attributes: Spring synthesises it as a JDK proxy").accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ZoneAware.class, "service")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(RateLimited.class, "name")).accepts(hints);
    }

    @Test
    void theActuatorEndpointsOperationsAreReflective() throws NoSuchMethodException {
        RuntimeHints hints = shippedHints();
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(MeshlessEndpoint.class, "report"))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(MeshlessEndpoint.class.getMethod("service", String.class)))
                .accepts(hints);
    }

    @Test
    void everyPropertiesClassAndTheSpecificationsUnderItCanBeBound() {
        RuntimeHints hints = shippedHints();
        for (Class<?> bound : List.of(MeshlessProperties.class, PolicySpec.class, RetrySpec.class,
                ZoneAwareProperties.class, RateLimitProperties.class, ConsulSpec.class, ConsulAgentSpec.class)) {
            assertThat(RuntimeHintsPredicates.reflection().onType(bound)).as(bound.getName()).accepts(hints);
        }
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PolicySpec.class, "setRetry"))
                .as("a core specification reached through meshless.defaults").accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ConsulSpec.class, "setAgent"))
                .accepts(hints);
    }

    @Test
    void zoneAwareMakesAnnotatedBeanMethodsAndInterfacesReflective() throws NoSuchMethodException {
        RuntimeHints hints = new RuntimeHints();
        new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, Ledger.class, InventoryClient.class);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Ledger.class.getMethod("balance", String.class)))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Ledger.class.getMethod("deposit", String.class)))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(InventoryClient.class)).accepts(hints);
    }

    @Test
    void anApplicationWithZoneAwareInterfacesIsProcessedAheadOfTime() throws IOException {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.register(ClientsApplication.class);
        context.register(Configurations.getClasses(HttpClientContexts.MESHLESS, HttpClientContexts.BOOT,
                AutoConfigurations.of(HttpServiceClientPropertiesAutoConfiguration.class,
                        HttpServiceClientAutoConfiguration.class, ReactiveHttpServiceClientAutoConfiguration.class)));
        TestPropertyValues.of("meshless.locality.region=r1", "meshless.locality.zone=r1-a").applyTo(context);
        InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
        DefaultGenerationContext generation = new DefaultGenerationContext(
                new ClassNameGenerator(ClassName.get(ClientsApplication.class)), files);

        new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
        generation.writeGeneratedContent();

        String code = sources(files);
        assertThat(code).as("each proxy comes from Spring's HTTP service registry, in its service's group")
                .contains("getClient(\"inventory\", InventoryClient.class)")
                .contains("getClient(\"inventory-reactive\", ReactiveInventoryClient.class)")
                .contains("ZoneAwareRestClientGroupConfigurer").contains("ZoneAwareWebClientGroupConfigurer");
        assertThat(RuntimeHintsPredicates.proxies().forInterfaces(InventoryClient.class,
                org.springframework.aop.SpringProxy.class, org.springframework.aop.framework.Advised.class,
                org.springframework.core.DecoratingProxy.class)).accepts(generation.getRuntimeHints());
    }

    private static String sources(InMemoryGeneratedFiles files) throws IOException {
        StringBuilder all = new StringBuilder();
        for (Map.Entry<String, InputStreamSource> file : files.getGeneratedFiles(GeneratedFiles.Kind.SOURCE).entrySet()) {
            try (InputStream in = file.getValue().getInputStream()) {
                all.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return all.toString();
    }

    /** A bean talking to a service some other way than HTTP interfaces. */
    static class Ledger {

        /**
         * @param account an account
         * @return its balance
         */
        @ZoneAware(service = "ledger", idempotent = true)
        public long balance(String account) {
            return 0;
        }

        /**
         * @param account an account
         * @return the new balance
         */
        @RateLimited(name = "deposits")
        public long deposit(String account) {
            return 1;
        }
    }
}
