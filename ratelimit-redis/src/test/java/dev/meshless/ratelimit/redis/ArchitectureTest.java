package dev.meshless.ratelimit.redis;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.meshless.testing.ArchitectureRules;

/** ratelimit-redis's boundaries: plain Java on core's public API and SPI. */
@AnalyzeClasses(packages = "dev.meshless.ratelimit.redis", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** Usable without Spring: the starter wires it, it never reaches up. */
    @ArchTest
    static final ArchRule noFramework = noClasses().that().resideInAPackage("dev.meshless.ratelimit.redis..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "reactor..",
                    "dev.meshless.spring..");

    /** Neither core's internals nor any other module's. */
    @ArchTest
    static final ArchRule internalsStayWithTheirOwner = ArchitectureRules.internalsStayWithTheirOwner(
            "dev.meshless.ratelimit.redis");
}
