package dev.meshless.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The surge and overload numbers of the report, on series built by hand. */
class PhaseDetailsTest {

    @Test
    void aJumpPeaksInTheFirstWholeSecondAndARampLater() {
        long[] jump = new long[50]; // 5 s of 100 ms slots, 20 calls each: 200 per second from the start
        Arrays.fill(jump, 20);
        long[] ramp = new long[50]; // from 2 to 20 calls per slot over 3.6 s, then flat
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = Math.min(20, 2 + i * 18 / 36);
        }

        PhaseDetails.Peak jumped = PhaseDetails.peak(jump);
        PhaseDetails.Peak ramped = PhaseDetails.peak(ramp);

        assertThat(jumped.peak()).isEqualTo(200);
        assertThat(jumped.rampEndSlot()).as("the first 1 s window already holds it").isEqualTo(10);
        assertThat(ramped.peak()).isEqualTo(200);
        assertThat(ramped.rampEndSlot()).as("90 % of the peak once the ramp nears its top").isBetween(30, 45);
    }

    @Test
    void aPhaseShorterThanASecondReportsItsRate() {
        assertThat(PhaseDetails.peak(new long[] {10, 10, 10, 10, 10}).peak()).isEqualTo(100);
        assertThat(PhaseDetails.peak(new long[0]).peak()).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ServiceCallException(CIRCUIT_OPEN): Call to service 'upstream' failed: circuit open        | rejection
            ServiceCallException(DEADLINE_EXCEEDED): Call to service 'upstream' failed: deadline      | timeout
            ServiceCallException(ATTEMPTS_EXHAUSTED): ... HttpTimeoutException: request timed out      | timeout
            ServiceCallException(ATTEMPTS_EXHAUSTED): ... ResourceAccessException: Connection refused  | error
            ConcurrencyLimitRejectedException: limit 12 reached                                          | rejection
            not sent: 256 requests already in flight (load.threads)                                      | not-sent
            """)
    void failuresAreFastRejectionsTimeoutsOrErrors(String error, String kind) {
        assertThat(PhaseDetails.kind(error)).isEqualTo(kind);
    }
}
