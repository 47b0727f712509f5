package dev.meshless.testing;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;

/**
 * Module-boundary rules shared by every module's architecture test. A package named
 * {@code internal} belongs to its parent: only classes in the parent package (and below) may use it,
 * so no module reaches into another's internals and no package of a module into another's.
 */
public final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /**
     * @param root the module's root package, e.g. {@code dev.meshless.consul}
     * @return the rule that the module's classes use no {@code internal} package but their own
     */
    public static ArchRule internalsStayWithTheirOwner(String root) {
        return ArchRuleDefinition.classes().that().resideInAPackage(root + "..")
                .should(new ArchCondition<JavaClass>("use an internal package only from the package that owns it") {
                    @Override
                    public void check(JavaClass item, ConditionEvents events) {
                        for (Dependency d : item.getDirectDependenciesFromSelf()) {
                            String target = d.getTargetClass().getPackageName();
                            int at = target.indexOf(".internal");
                            if (target.startsWith("dev.meshless.") && at >= 0 && (target.length() == at + 9
                                    || target.charAt(at + 9) == '.')) {
                                String owner = target.substring(0, at);
                                String source = item.getPackageName();
                                if (!(source.equals(owner) || source.startsWith(owner + "."))) {
                                    events.add(SimpleConditionEvent.violated(d, d.getDescription()
                                            + ": " + target + " belongs to " + owner));
                                }
                            }
                        }
                    }
                });
    }
}
