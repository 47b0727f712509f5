package dev.meshless.spring.boot;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import dev.meshless.balancer.LocalityLoadBalancer;
import dev.meshless.breaker.ZoneCircuitBreakers;
import dev.meshless.outlier.OutlierDetector;
import dev.meshless.testing.ArchitectureRules;

/**
 * The starter's packages depend only downward:
 * <pre>
 * check                      knows every properties class: the unknown-key check
 * features                   actuate, cloud.*, consul, http, ratelimit.*, shedding, web, zoneaware
 * dev.meshless.spring.boot   the API and the core wiring: properties, clients, policies, auto-configuration
 * registry                   the sources of endpoints (static, and the contributor SPI)
 * config                     property names and the start-up failure for a bad value
 * </pre>
 * and no starter class uses core's or discovery-consul's internals.
 */
@AnalyzeClasses(packages = "dev.meshless.spring.boot", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String ROOT = "dev.meshless.spring.boot";

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Config").definedBy(ROOT + ".config..")
            .layer("Registry").definedBy(ROOT + ".registry..")
            .layer("Api").definedBy(ROOT)
            .layer("Features").definedBy(ROOT + ".actuate..", ROOT + ".cloud..", ROOT + ".consul..",
                    ROOT + ".http..", ROOT + ".ratelimit..", ROOT + ".shedding..", ROOT + ".web..",
                    ROOT + ".zoneaware..")
            .layer("Check").definedBy(ROOT + ".check..")
            .whereLayer("Check").mayNotBeAccessedByAnyLayer()
            .whereLayer("Features").mayOnlyBeAccessedByLayers("Check")
            .whereLayer("Api").mayOnlyBeAccessedByLayers("Features", "Check")
            .whereLayer("Registry").mayOnlyBeAccessedByLayers("Api", "Features", "Check")
            .whereLayer("Config").mayOnlyBeAccessedByLayers("Registry", "Api", "Features", "Check");

    /** Features build on each other in one direction only (zoneaware on http, the load balancer on discovery). */
    @ArchTest
    static final ArchRule packagesFormNoCycles = SlicesRuleDefinition.slices().matching(ROOT + ".(**)")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule internalsStayWithTheirOwner = ArchitectureRules.internalsStayWithTheirOwner(ROOT);

    /**
     * Integrations report outcomes through the client's attempt tokens ({@code ServiceClient.begin}),
     * the one lifecycle that owns what an attempt took; they do not feed the health inputs around it.
     */
    @ArchTest
    static final ArchRule outcomesGoThroughAttemptTokens = noClasses().that().resideInAPackage(ROOT + "..")
            .should().callMethodWhere(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(
                    JavaClass.Predicates.assignableTo(OutlierDetector.class)
                            .or(JavaClass.Predicates.assignableTo(ZoneCircuitBreakers.class))
                            .or(JavaClass.Predicates.assignableTo(LocalityLoadBalancer.class))))
                    .and(JavaCall.Predicates.target(HasName.Predicates.nameMatching(
                            "record|tryAcquire|setEjected|setZoneAvailable"))))
            .because("outcomes and health reach the pipeline only through AttemptToken");

    /** Everything the starter does with core goes through core's public API. */
    @ArchTest
    static final ArchRule noReachingAroundThePipeline = noClasses().that().resideInAPackage(ROOT + "..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.meshless.internal..",
                    "dev.meshless.balancer.internal..", "dev.meshless.consul.internal..");
}
