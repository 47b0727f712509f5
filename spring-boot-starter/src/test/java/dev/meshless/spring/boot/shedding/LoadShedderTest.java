package dev.meshless.spring.boot.shedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.spring.boot.shedding.LoadShedder.Algorithm;
import dev.meshless.spring.boot.shedding.LoadShedder.Permit;
import dev.meshless.testing.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The limit, the thresholds per priority and the adaptation, on a fake clock. */
class LoadShedderTest {

    private final FakeTime time = new FakeTime();
    private final List<String> shed = new ArrayList<>();

    private LoadShedder fixed(int limit, boolean shadow) {
        return LoadShedder.builder().initialLimit(limit).minLimit(limit).maxLimit(limit).shadow(shadow).time(time)
                .onShed((priority, s) -> shed.add(priority.tag() + (s ? " (shadow)" : ""))).build();
    }

    @Test
    void eachPriorityMayFillItsShareOfTheLimit() {
        assertThat(Priority.LOW.threshold(10)).isEqualTo(5);
        assertThat(Priority.NORMAL.threshold(10)).isEqualTo(8);
        assertThat(Priority.HIGH.threshold(10)).isEqualTo(9);
        assertThat(Priority.CRITICAL.threshold(10)).isEqualTo(10);
        assertThat(Priority.LOW.threshold(1)).as("at least one").isEqualTo(1);
    }

    @Test
    void lowPriorityIsShedFirstAndCriticalLast() {
        LoadShedder shedder = fixed(10, false);
        List<Permit> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(shedder.acquire(Priority.LOW));
        }
        assertThat(held).doesNotContainNull();
        assertThat(shedder.acquire(Priority.LOW)).isNull();
        for (int i = 0; i < 3; i++) {
            held.add(shedder.acquire(Priority.NORMAL));
        }
        assertThat(held).doesNotContainNull();
        assertThat(shedder.acquire(Priority.NORMAL)).isNull();
        held.add(shedder.acquire(Priority.HIGH));
        assertThat(shedder.acquire(Priority.HIGH)).isNull();
        held.add(shedder.acquire(Priority.CRITICAL));
        assertThat(held).doesNotContainNull().hasSize(10);
        assertThat(shedder.acquire(Priority.CRITICAL)).isNull();
        assertThat(shedder.inFlight()).isEqualTo(10);
        assertThat(shed).containsExactly("low", "normal", "high", "critical");
        assertThat(Priority.values()).allSatisfy(p -> assertThat(shedder.shed(p)).as(p.tag()).isEqualTo(1));

        held.forEach(Permit::success);
        assertThat(shedder.inFlight()).isZero();
        assertThat(shedder.acquire(Priority.LOW)).isNotNull();
    }

    @Test
    void aPermitIsReleasedOnceHoweverOftenTheRequestEnds() {
        LoadShedder shedder = fixed(10, false);
        Permit permit = shedder.acquire(Priority.NORMAL);
        Permit other = shedder.acquire(Priority.NORMAL);

        permit.dropped();
        permit.success();
        permit.ignore();

        assertThat(shedder.inFlight()).isEqualTo(1);
        other.ignore();
        assertThat(shedder.inFlight()).isZero();
    }

    @Test
    void inShadowModeEveryRequestIsAdmittedAndWouldBeShedOnesAreCounted() {
        LoadShedder shedder = fixed(2, true);
        List<Permit> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(shedder.acquire(Priority.LOW));
        }

        assertThat(held).doesNotContainNull();
        assertThat(shedder.inFlight()).isEqualTo(4);
        assertThat(shed).containsExactly("low (shadow)", "low (shadow)", "low (shadow)");
        assertThat(shedder.shed(Priority.LOW)).as("would have been shed").isEqualTo(3);
        assertThat(shedder.shed(Priority.NORMAL)).isZero();
        held.forEach(Permit::success);
        assertThat(shedder.inFlight()).isZero();
    }

    // envoy-gradient measures its min RTT again every 30 s plus a random jitter, so its limit after
    // many windows depends on the draw: its own tests below keep clear of that schedule.
    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = "ENVOY_GRADIENT", mode = EnumSource.Mode.EXCLUDE)
    void theLimitGrowsWhileLatencyStaysLowAndShrinksWhenRequestsQueue(Algorithm algorithm) {
        LoadShedder shedder = LoadShedder.builder().algorithm(algorithm).initialLimit(20).minLimit(10)
                .maxLimit(100).time(time).build();

        for (int window = 0; window < 30; window++) {
            serve(shedder, Duration.ofMillis(10));
        }
        int grown = shedder.limit();
        assertThat(grown).as("limit after fast windows").isGreaterThan(20);

        for (int window = 0; window < 30; window++) {
            serve(shedder, Duration.ofMillis(200));
        }
        assertThat(shedder.limit()).as("limit after slow windows").isLessThan(grown).isGreaterThanOrEqualTo(10);
    }

    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = "ENVOY_GRADIENT", mode = EnumSource.Mode.EXCLUDE)
    void theLimitStaysWithinItsBounds(Algorithm algorithm) {
        LoadShedder shedder = LoadShedder.builder().algorithm(algorithm).initialLimit(12).minLimit(10)
                .maxLimit(16).time(time).build();

        for (int window = 0; window < 40; window++) {
            serve(shedder, Duration.ofMillis(5));
        }
        assertThat(shedder.limit()).isEqualTo(16);
        for (int window = 0; window < 200; window++) {
            serve(shedder, Duration.ofMillis(50L * (window + 1)));
        }
        assertThat(shedder.limit()).isEqualTo(10);
    }

    /**
     * One sampling window (a second) of batches of as many normal requests at once as are admitted,
     * each taking {@code latency}.
     */
    private void serve(LoadShedder shedder, Duration latency) {
        Duration window = Duration.ZERO;
        while (window.compareTo(Duration.ofSeconds(1)) <= 0) {
            int concurrent = Priority.NORMAL.threshold(shedder.limit());
            List<Permit> batch = new ArrayList<>();
            for (int i = 0; i < concurrent; i++) {
                Permit permit = shedder.acquire(Priority.NORMAL);
                assertThat(permit).as("request %d of %d at limit %d", i, concurrent, shedder.limit()).isNotNull();
                batch.add(permit);
            }
            time.advance(latency);
            batch.forEach(Permit::success);
            window = window.plus(latency);
        }
        time.advance(Duration.ofMillis(1));
    }

    private LoadShedder envoyGradient() {
        return LoadShedder.builder().algorithm(Algorithm.ENVOY_GRADIENT).initialLimit(20).minLimit(10).maxLimit(100)
                .time(time).onShed((priority, s) -> shed.add(priority.tag())).build();
    }

    /**
     * Batches of as many normal requests at once as are admitted, each taking {@code latency} and
     * ending as {@code end} says, the last admitted first: the first to end saw the whole batch in
     * flight when it started, as requests do under steady load.
     */
    private void batches(LoadShedder shedder, int count, Duration latency, Consumer<Permit> end) {
        for (int b = 0; b < count; b++) {
            List<Permit> batch = hold(shedder, Priority.NORMAL.threshold(shedder.limit()));
            time.advance(latency);
            for (int i = batch.size() - 1; i >= 0; i--) {
                end.accept(batch.get(i));
            }
        }
    }

    private static List<Permit> hold(LoadShedder shedder, int count) {
        List<Permit> held = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Permit permit = shedder.acquire(Priority.NORMAL);
            assertThat(permit).as("request %d of %d at limit %d", i, count, shedder.limit()).isNotNull();
            held.add(permit);
        }
        return held;
    }

    /** Two seconds of 10 ms requests after the first min RTT measurement: the limit reaches its maximum. */
    private LoadShedder envoyGradientAtItsMaximum() {
        LoadShedder shedder = envoyGradient();
        batches(shedder, 200, Duration.ofMillis(10), Permit::success);
        assertThat(shedder.limit()).isEqualTo(100);
        return shedder;
    }

    @Test
    void envoyGradientMeasuresItsMinRttAtTheInitialLimitThenGrowsWhileLatencyIsFlat() {
        LoadShedder shedder = envoyGradient();
        assertThat(shedder.algorithm()).isEqualTo(Algorithm.ENVOY_GRADIENT);

        batches(shedder, 3, Duration.ofMillis(10), Permit::success);
        assertThat(shedder.limit()).as("48 of the 50 requests of the first min RTT measurement").isEqualTo(20);
        List<Integer> limits = new ArrayList<>();
        for (int b = 0; b < 100; b++) {
            batches(shedder, 1, Duration.ofMillis(10), Permit::success);
            limits.add(shedder.limit());
        }

        assertThat(limits).as("limits after each batch").isSorted().allSatisfy(l -> assertThat(l).isBetween(20, 100));
        assertThat(shedder.limit()).isEqualTo(100);
    }

    @Test
    void envoyGradientShrinksWhenLatencyRisesWellOverTheMinRttAndLowPriorityIsShedFirst() {
        LoadShedder shedder = envoyGradientAtItsMaximum();

        // Ten times the min RTT. The first slow batch ends a window of fast requests; each 100 ms window
        // after it halves the limit (the gradient's floor) and adds its root for bursts.
        batches(shedder, 4, Duration.ofMillis(100), Permit::success);
        int shrunk = shedder.limit();
        assertThat(shrunk).isBetween(10, 25);

        List<Permit> held = hold(shedder, Priority.LOW.threshold(shrunk));
        assertThat(shedder.acquire(Priority.LOW)).isNull();
        Permit normal = shedder.acquire(Priority.NORMAL);
        assertThat(normal).isNotNull();
        assertThat(shed).containsExactly("low");
        normal.ignore();
        held.forEach(Permit::ignore);
    }

    @Test
    void duringThePeriodicMinRttMeasurementTheLimitIsTheMinimumAndRequestsBeyondItsSharesAreShed() {
        LoadShedder shedder = envoyGradientAtItsMaximum();

        // Past 30 s and its 15 % jitter, the next window's end starts a measurement whatever the draw.
        time.advance(Duration.ofSeconds(35));
        batches(shedder, 1, Duration.ofMillis(10), Permit::success);
        assertThat(shedder.limit()).isEqualTo(10);

        List<Permit> held = hold(shedder, Priority.NORMAL.threshold(10));
        assertThat(shedder.acquire(Priority.NORMAL)).as("a normal request beyond 8 of the min limit 10").isNull();
        Permit critical = shedder.acquire(Priority.CRITICAL);
        assertThat(critical).isNotNull();
        assertThat(shed).containsExactly("normal");
        critical.ignore();
        held.forEach(Permit::ignore); // no samples: the measurement still needs its 50

        batches(shedder, 6, Duration.ofMillis(10), Permit::success);
        assertThat(shedder.limit()).as("48 of 50 measured").isEqualTo(10);
        batches(shedder, 1, Duration.ofMillis(10), Permit::success);
        assertThat(shedder.limit()).as("measured: back to the limit from before").isEqualTo(100);
    }

    @Test
    void forEnvoyGradientATimedOutRequestIsOverloadAndAFailedOneTeachesNothing() {
        LoadShedder shedder = envoyGradientAtItsMaximum();

        batches(shedder, 5, Duration.ofSeconds(5), Permit::ignore); // 27 s in: before the next measurement
        assertThat(shedder.limit()).as("after failed requests, however slow").isEqualTo(100);

        // Timed out as fast as the requests answered above: a drop counts as at least twice the
        // buffered min RTT. (The first batch ends a window of answered requests; the next window is 100 ms.)
        batches(shedder, 11, Duration.ofMillis(10), Permit::dropped);
        assertThat(shedder.limit()).as("after a window of timeouts").isBetween(10, 60);
    }

    @Test
    void theMinimumMustNotExceedTheMaximum() {
        assertThatThrownBy(() -> LoadShedder.builder().minLimit(50).maxLimit(20).initialLimit(30).build())
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> {
                    assertThat(e.path()).isEqualTo("minLimit");
                    assertThat(e.value()).isEqualTo(50);
                    assertThat(e.rule()).isEqualTo("must be at most the max limit (20)");
                });
    }

    @Test
    void theInitialLimitMustBeWithinTheBounds() {
        assertThatThrownBy(() -> LoadShedder.builder().minLimit(10).maxLimit(20).initialLimit(30).build())
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> {
                    assertThat(e.path()).isEqualTo("initialLimit");
                    assertThat(e.rule()).isEqualTo("must be between the min limit (10) and the max limit (20)");
                });
        assertThatThrownBy(() -> LoadShedder.builder().minLimit(0).build())
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.path()).isEqualTo("minLimit"));
    }
}
