package dev.meshless.spring.boot.zoneaware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.ZoneAware;
import dev.meshless.spring.boot.http.HttpClientContexts;
import dev.meshless.spring.boot.http.ZoneBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.resilience.annotation.Retryable;

/** A retry annotation around {@code @ZoneAware} multiplies attempts: start-up says so, once per method. */
@ExtendWith(OutputCaptureExtension.class)
class RetryAnnotationWarningTest {

    private final ZoneBackends ledger = ZoneBackends.start("ledger");

    @AfterEach
    void stop() {
        ledger.close();
    }

    @Test
    void springsRetryableOnAZoneAwareMethodIsCalledOutNamingTheMethod(CapturedOutput output) {
        HttpClientContexts.runner(ledger).withBean(RetriedLedger.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).containsOnlyOnce("RetriedLedger.balance is @ZoneAware and @Retryable")
                    .contains("meshless.services.ledger.retry.max-attempts=1")
                    .doesNotContain("RetriedLedger.plain");
        });
    }

    /** A bean whose Meshless call is also retried by Spring. */
    static class RetriedLedger {

        @Retryable
        @ZoneAware("ledger")
        public String balance() {
            return "100";
        }

        @ZoneAware("ledger")
        public String plain() {
            return "100";
        }
    }
}
