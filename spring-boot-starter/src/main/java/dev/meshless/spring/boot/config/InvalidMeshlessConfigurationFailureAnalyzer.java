package dev.meshless.spring.boot.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link InvalidMeshlessConfigurationException} that stopped startup as Spring Boot's
 * "APPLICATION FAILED TO START" description and action, naming the property, the value and the
 * rule. Registered in {@code META-INF/spring.factories}.
 */
public class InvalidMeshlessConfigurationFailureAnalyzer
        extends AbstractFailureAnalyzer<InvalidMeshlessConfigurationException> {

    /** Creates the analyzer (Spring Boot instantiates it from {@code spring.factories}). */
    public InvalidMeshlessConfigurationFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidMeshlessConfigurationException cause) {
        String description = "Invalid Meshless configuration:\n\n"
                + "    Property: " + cause.property() + "\n"
                + "    Value: " + cause.value() + "\n"
                + "    Reason: " + cause.rule() + "\n";
        String action = "Change " + cause.property() + " in your application: it " + cause.rule() + ".";
        return new FailureAnalysis(description, action, cause);
    }
}
