package dev.meshless.spring.boot.ratelimit.aspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.ratelimit.RateLimitedException;
import dev.meshless.spring.boot.ratelimit.RateLimited;
import dev.meshless.spring.boot.testing.RateLimitContexts;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code @RateLimited} on any bean method: keys from SpEL, rejections as exceptions, mistakes caught at startup. */
class RateLimitedAspectTest {

    private final ApplicationContextRunner runner = RateLimitContexts.plain()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
            .withPropertyValues("spring.application.name=greetings",
                    "meshless.rate-limit.defaults.period=1h",
                    "meshless.rate-limit.limits.per-user.scope=per-key",
                    "meshless.rate-limit.limits.per-user.limit-for-period=1",
                    "meshless.rate-limit.limits.whole.limit-for-period=1");

    @Test
    void theKeyExpressionReadsParametersByName() {
        runner.withBean(Greeter.class).run(context -> {
            Greeter greeter = context.getBean(Greeter.class);
            assertThat(greeter.greet("ann")).isEqualTo("hello ann");
            assertThat(greeter.greet("ben")).isEqualTo("hello ben");

            assertThatThrownBy(() -> greeter.greet("ann")).isInstanceOfSatisfying(RateLimitedException.class, e -> {
                assertThat(e.limitName()).isEqualTo("per-user");
                assertThat(e.key()).isEqualTo("ann");
                assertThat(e.service()).isEqualTo("greetings");
                assertThat(e.retryAfter().toSeconds()).isBetween(3500L, 3600L);
            });
        });
    }

    @Test
    void theKeyExpressionReadsParametersByPositionAndMayComputeTheKey() {
        runner.withBean(Greeter.class).run(context -> {
            Greeter greeter = context.getBean(Greeter.class);
            assertThat(greeter.shout("cat")).isEqualTo("HELLO CAT");
            assertThatThrownBy(() -> greeter.greet("CAT")).as("same key, computed by #p0.toUpperCase()")
                    .isInstanceOf(RateLimitedException.class);
        });
    }

    @Test
    void aNullKeyCountsAsAnonymous() {
        runner.withBean(Greeter.class).run(context -> {
            Greeter greeter = context.getBean(Greeter.class);
            assertThat(greeter.greet(null)).isEqualTo("hello null");
            assertThatThrownBy(() -> greeter.greet(null)).isInstanceOfSatisfying(RateLimitedException.class,
                    e -> assertThat(e.key()).isEqualTo("anonymous"));
        });
    }

    @Test
    void aLimitWithoutKeysLimitsEveryCallTogether() {
        runner.withBean(Greeter.class).run(context -> {
            Greeter greeter = context.getBean(Greeter.class);
            assertThat(greeter.ping()).isEqualTo("pong");
            assertThatThrownBy(greeter::ping).isInstanceOfSatisfying(RateLimitedException.class, e -> {
                assertThat(e.limitName()).isEqualTo("whole");
                assertThat(e.key()).isNull();
            });
        });
    }

    @Test
    void anUnknownLimitNameStopsStartupNamingTheMethod() {
        runner.withBean(UnknownLimit.class).run(context -> RateLimitContexts.assertInvalid(context,
                "@RateLimited(name) on " + UnknownLimit.class.getName() + ".call(String)", "nope",
                "must name a limit configured under meshless.rate-limit.limits (configured: per-user, whole)"));
    }

    @Test
    void aPerKeyLimitWithoutAKeyStopsStartup() {
        runner.withBean(MissingKey.class).run(context -> RateLimitContexts.assertInvalid(context,
                "@RateLimited(key) on " + MissingKey.class.getName() + ".call(String)", "''",
                "is required: limit 'per-user' is per-key"));
    }

    @Test
    void aKeyForALimitWithoutKeysStopsStartup() {
        runner.withBean(SuperfluousKey.class).run(context -> RateLimitContexts.assertInvalid(context,
                "@RateLimited(key) on " + SuperfluousKey.class.getName() + ".call(String)", "#user",
                "must be empty: limit 'whole' has no keys"));
    }

    @Test
    void aKeyThatIsNoExpressionStopsStartup() {
        runner.withBean(BrokenKey.class).run(context -> RateLimitContexts.assertInvalid(context,
                "@RateLimited(key) on " + BrokenKey.class.getName() + ".call(String)", "#user +",
                "must be a valid SpEL expression"));
    }

    /** A bean with limited methods. */
    static class Greeter {
        @RateLimited(name = "per-user", key = "#user")
        public String greet(String user) {
            return "hello " + user;
        }

        @RateLimited(name = "per-user", key = "#p0.toUpperCase()")
        public String shout(String user) {
            return "HELLO " + user.toUpperCase();
        }

        @RateLimited(name = "whole")
        public String ping() {
            return "pong";
        }
    }

    static class UnknownLimit {
        @RateLimited(name = "nope")
        public void call(String user) {
        }
    }

    static class MissingKey {
        @RateLimited(name = "per-user")
        public void call(String user) {
        }
    }

    static class SuperfluousKey {
        @RateLimited(name = "whole", key = "#user")
        public void call(String user) {
        }
    }

    static class BrokenKey {
        @RateLimited(name = "per-user", key = "#user +")
        public void call(String user) {
        }
    }
}
