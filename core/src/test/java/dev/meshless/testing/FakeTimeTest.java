package dev.meshless.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The fake that stands still and the one that runs with the system's time. */
class FakeTimeTest {

    @Test
    void standingStillTimersRunInOrderWhenAdvancedEachSeeingTheTimeItWasDueAt() throws Exception {
        FakeTime time = new FakeTime();
        List<Long> seen = new CopyOnWriteArrayList<>();
        Runnable[] every = new Runnable[1];
        every[0] = () -> {
            seen.add(time.elapsed().toSeconds());
            time.schedule(every[0], Duration.ofSeconds(1));
        };
        time.schedule(every[0], Duration.ofSeconds(1));

        time.advance(Duration.ofMillis(4500));
        assertThat(seen).containsExactly(1L, 2L, 3L, 4L);
        assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(4500));

        time.sleep(Duration.ofMillis(500));
        assertThat(seen).as("a sleep advances").containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(500));
        assertThat(time.pendingTimers()).isEqualTo(1);
    }

    @Test
    void runningTimersFireOnTheirOwnWhenDue() throws Exception {
        FakeTime time = FakeTime.running();
        CountDownLatch fired = new CountDownLatch(1);
        time.schedule(fired::countDown, Duration.ofMillis(20));

        assertThat(fired.await(5, TimeUnit.SECONDS)).as("fired by the system's timer").isTrue();
        assertThat(time.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(20));
    }

    @Test
    void runningAdvanceJumpsAheadRunsWhatIsDueAndBringsTheRestForward() throws Exception {
        FakeTime time = FakeTime.running();
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch later = new CountDownLatch(1);
        time.schedule(() -> ran.add(Thread.currentThread().getName()), Duration.ofSeconds(30));
        time.schedule(later::countDown, Duration.ofSeconds(60));

        time.advance(Duration.ofSeconds(31));
        assertThat(ran).as("on the advancing thread, at once").containsExactly(Thread.currentThread().getName());
        assertThat(time.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(31));

        time.advance(Duration.ofMillis(28_950));
        assertThat(later.await(5, TimeUnit.SECONDS)).as("due 50 ms after the advance, not 60 s after scheduling")
                .isTrue();
    }
}
