package dev.meshless.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.config.InvalidConfigurationException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts a configuration failure by its parts, path, value and rule, rather than by its wording. */
public final class Invalid {

    private Invalid() {
    }

    /**
     * @param call what must fail
     * @param path the setting's path
     * @param value the value as given
     * @param rule the rule it breaks
     */
    public static void assertInvalid(ThrowingCallable call, String path, Object value, String rule) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidConfigurationException.class, e -> {
            assertThat(e.path()).as("path").isEqualTo(path);
            assertThat(e.value()).as("value").isEqualTo(value);
            assertThat(e.rule()).as("rule").isEqualTo(rule);
        });
    }
}
