package dev.meshless.spring.boot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationFailureAnalyzer;
import dev.meshless.spring.boot.ratelimit.RateLimitAutoConfiguration;
import dev.meshless.spring.boot.ratelimit.aspect.RateLimitAspectAutoConfiguration;
import dev.meshless.spring.boot.ratelimit.reactive.RateLimitReactiveAutoConfiguration;
import dev.meshless.spring.boot.ratelimit.servlet.RateLimitServletAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** Context runners with the starter's rate-limit auto-configurations, and failure analysis of their startup. */
public final class RateLimitContexts {

    /** Every rate-limit auto-configuration of the starter, as the imports file lists them. */
    public static final AutoConfigurations RATE_LIMITING = AutoConfigurations.of(RateLimitAutoConfiguration.class,
            RateLimitServletAutoConfiguration.class, RateLimitReactiveAutoConfiguration.class,
            RateLimitAspectAutoConfiguration.class);

    private RateLimitContexts() {
    }

    /** @return a non-web application with the rate-limit auto-configurations */
    public static ApplicationContextRunner plain() {
        return new ApplicationContextRunner().withConfiguration(RATE_LIMITING);
    }

    /** @return a servlet web application with the rate-limit auto-configurations */
    public static WebApplicationContextRunner servlet() {
        return new WebApplicationContextRunner().withConfiguration(RATE_LIMITING);
    }

    /** @return a reactive web application with the rate-limit auto-configurations */
    public static ReactiveWebApplicationContextRunner reactive() {
        return new ReactiveWebApplicationContextRunner().withConfiguration(RATE_LIMITING);
    }

    /**
     * @param context a context that failed to start
     * @return what Spring Boot prints for the failure, through the starter's analyzer
     */
    public static FailureAnalysis analysis(ApplicationContextAssertProvider<?> context) {
        Throwable failure = context.getStartupFailure();
        if (failure == null) {
            throw new AssertionError("the context started, but a configuration failure was expected");
        }
        FailureAnalysis analysis = new InvalidMeshlessConfigurationFailureAnalyzer().analyze(failure);
        if (analysis == null) {
            throw new AssertionError("not an " + InvalidMeshlessConfigurationException.class.getSimpleName(), failure);
        }
        return analysis;
    }

    /**
     * Asserts that the context failed to start with a failure that names the property, the value and
     * the rule as its parts, and with a report that shows them.
     *
     * @param context a context that failed to start
     * @param property the full property name (or annotation attribute) expected
     * @param value the value expected, as text
     * @param rule a part of the rule expected
     */
    public static void assertInvalid(ApplicationContextAssertProvider<?> context, String property, String value, String rule) {
        InvalidMeshlessConfigurationException invalid = cause(context.getStartupFailure(),
                InvalidMeshlessConfigurationException.class);
        assertThat(invalid.property()).as("property").isEqualTo(property);
        assertThat(invalid.value()).as("value").isEqualTo(value);
        assertThat(invalid.rule()).as("rule").contains(rule);
        FailureAnalysis analysis = analysis(context);
        assertThat(analysis.getDescription()).contains("Property: " + property + "\n")
                .contains("Value: " + value + "\n").contains("Reason: ").contains(rule);
        assertThat(analysis.getAction()).startsWith("Change " + property + " in your application: it ")
                .contains(rule);
    }

    /**
     * @param failure a failure
     * @param type the type looked for
     * @param <T> the type
     * @return the first throwable of that type in the failure's cause chain
     */
    public static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in the failure", failure);
    }
}
