package dev.meshless.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    private static final PhaseRecord FAULT = new PhaseRecord(new Scenario.Phase("caller zone refuses connections",
            Duration.ofSeconds(3), List.of()), 1_000, 4_000, List.of("r1-b", "r1-c"), 0, 0);

    /** One attempt every 5 ms of the phase (200 per second): to {@code r1-a} while {@code stray} says so, else to r1-b. */
    private static List<Recorder.TimedAttempt> everyFiveMillis(java.util.function.LongPredicate stray) {
        List<Recorder.TimedAttempt> attempts = new ArrayList<>();
        for (long at = 0; at < 3_000; at += 5) {
            attempts.add(new Recorder.TimedAttempt((1_000 + at) * 1_000 + 300, stray.test(at) ? "r1-a" : "r1-b"));
        }
        return attempts;
    }

    @Test
    void theShiftEndsWithTheLastStrayAttemptToTheMillisecondNotAtASlotsEnd() {
        // Strays until 130 ms after the fault; a 100 ms slot would have reported 200 ms.
        List<Recorder.TimedAttempt> attempts = everyFiveMillis(at -> at < 130);

        Long shift = PhaseDetails.shift(attempts, FAULT, FAULT.targetZones());

        // 1 % of the next second's 200 attempts may stray: the last two (120 and 125 ms) are allowed.
        assertThat(shift).isEqualTo(116L);
        assertThat(PhaseDetails.strays(attempts, FAULT, shift, FAULT.targetZones())).isEqualTo(2);
    }

    @Test
    void aQuietMomentBetweenStraysIsNotAShift() {
        // Clean from 50 to 150 ms — a whole clean 100 ms slot — then straying again until 250 ms.
        List<Recorder.TimedAttempt> attempts = everyFiveMillis(at -> at < 50 || (at >= 150 && at < 250));

        assertThat(PhaseDetails.shift(attempts, FAULT, FAULT.targetZones())).isEqualTo(236L);
    }

    @Test
    void aProbeLaterInThePhaseDoesNotUndoTheShiftButTrafficThatNeverMovesHasNone() {
        List<Recorder.TimedAttempt> probed = everyFiveMillis(at -> at < 100 || at == 2_000);
        List<Recorder.TimedAttempt> stuck = everyFiveMillis(at -> at % 10 == 0);

        assertThat(PhaseDetails.shift(probed, FAULT, FAULT.targetZones())).isEqualTo(86L);
        assertThat(PhaseDetails.shift(stuck, FAULT, FAULT.targetZones())).isNull();
        assertThat(PhaseDetails.shift(List.of(), FAULT, FAULT.targetZones())).isNull();
    }

    @Test
    void aShortPhaseOrALateMoveStillHasAShiftButThePhasesLastAttemptsAloneDoNot() {
        PhaseRecord shortPhase = new PhaseRecord(FAULT.phase(), 1_000, 1_800, FAULT.targetZones(), 0, 0);
        List<Recorder.TimedAttempt> movesAt300 = everyFiveMillis(at -> at < 300);
        List<Recorder.TimedAttempt> movesAt1900 = everyFiveMillis(at -> at < 1_900);
        List<Recorder.TimedAttempt> movesAt2900 = everyFiveMillis(at -> at < 2_900);

        // 1 % of the attempts left may stray: the last one (295 ms) of the ~100 in the phase's rest,
        // the last two (1 890 and 1 895 ms) of the 200 in the next second.
        assertThat(PhaseDetails.shift(movesAt300, shortPhase, FAULT.targetZones())).isEqualTo(291L);
        assertThat(PhaseDetails.shift(movesAt1900, FAULT, FAULT.targetZones())).isEqualTo(1_886L);
        assertThat(PhaseDetails.shift(movesAt2900, FAULT, FAULT.targetZones())).as("20 attempts on target, in the phase's last 100 ms").isNull();
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
