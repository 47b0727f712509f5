package dev.meshless.consul.internal;

import dev.meshless.config.Check;
import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Paths;
import dev.meshless.config.Values;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The checks of the Consul configuration builders that core's {@link Check} does not hold: names, and
 * one setting bounding another. Failures are {@link InvalidConfigurationException}s with the setting's
 * path in the specifications ({@code dev.meshless.consul.ConsulSpec} and the ones it nests).
 */
public final class Checks {

    private Checks() {
    }

    /**
     * @param path the setting's path
     * @param value the value
     * @return the value, which must be a non-blank name without surrounding spaces
     */
    public static String name(String path, String value) {
        if (value == null || value.isBlank() || !value.equals(value.strip())) {
            throw new InvalidConfigurationException(path, value, "must be a non-blank name without surrounding spaces");
        }
        return value;
    }

    /**
     * @param path the setting's path
     * @param values names
     * @return an immutable copy, each checked with {@link #name} (at {@code path[index]}) and none repeated
     */
    public static List<String> names(String path, Collection<String> values) {
        List<String> copy = List.copyOf(Check.required(path, values));
        for (int i = 0; i < copy.size(); i++) {
            name(Paths.key(path, i), copy.get(i));
            if (copy.indexOf(copy.get(i)) != i) {
                throw new InvalidConfigurationException(path, copy, "must not repeat a name");
            }
        }
        return copy;
    }

    /**
     * Checks that a lower bound (an initial delay) is at most the upper one (its maximum). When it is
     * not, the failure names the setting to change — the one that was given rather than left at its
     * default — and the other in plain words: {@code must be at least the initial retry delay (5s)}.
     *
     * @param lower the lower setting's path and plain name
     * @param upper the upper setting's path and plain name
     * @param blameUpper whether the upper setting is the one to change
     */
    public static void ordered(Bound lower, Bound upper, boolean blameUpper) {
        if (lower.value().compareTo(upper.value()) > 0) {
            throw blameUpper
                    ? new InvalidConfigurationException(upper.path(), upper.value(), "must be at least " + lower.name()
                            + " (" + Values.format(lower.value()) + ")")
                    : new InvalidConfigurationException(lower.path(), lower.value(), "must be at most " + upper.name()
                            + " (" + Values.format(upper.value()) + ")");
        }
    }

    /**
     * One side of {@link #ordered}.
     *
     * @param path the setting's path
     * @param name the setting in plain words, for the other's rule: {@code the initial retry delay}
     * @param value its value
     */
    public record Bound(String path, String name, Duration value) {
    }
}
