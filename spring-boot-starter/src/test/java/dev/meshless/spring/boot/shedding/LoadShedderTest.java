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
        held.forEach(Permit::success);
        assertThat(shedder.inFlight()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
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
    @EnumSource(Algorithm.class)
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
