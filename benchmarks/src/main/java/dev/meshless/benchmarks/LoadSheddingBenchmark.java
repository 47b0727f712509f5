package dev.meshless.benchmarks;

import dev.meshless.spring.boot.shedding.LoadShedder;
import dev.meshless.spring.boot.shedding.Priority;
import dev.meshless.time.TimeSource;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What inbound load shedding adds to each request, as its filters use it: a place taken for a normal
 * request ({@link LoadShedder#acquire}) and given back with a latency sample ({@code Permit.success}),
 * with each algorithm, on two threads at once (the machines here have two cores, and every request
 * end feeds the one limit, which takes a lock): Netflix's Gradient2 and Vegas behind their
 * {@code WindowedLimit}, and Envoy's gradient controller fed each sample. The limit is wide enough
 * that no request is shed; the teardown fails the trial if one was or a place was not given back.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(2)
@State(Scope.Benchmark)
public class LoadSheddingBenchmark {

    /** {@code gradient2}, {@code vegas} or {@code envoy-gradient}, as in {@code meshless.load-shedding.algorithm}. */
    @Param({"gradient2", "vegas", "envoy-gradient"})
    public String algorithm = "gradient2";
    private LoadShedder shedder;

    /** Builds the shedder: limits 1 000 to 10 000, so that two threads are never shed. */
    @Setup(Level.Trial)
    public void setUp() {
        LoadShedder.Algorithm chosen;
        try {
            chosen = LoadShedder.Algorithm.valueOf(algorithm.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("algorithm must be gradient2, vegas or envoy-gradient, but was '"
                    + algorithm + "'", e);
        }
        shedder = LoadShedder.builder().algorithm(chosen).initialLimit(1_000).minLimit(1_000).maxLimit(10_000)
                .time(TimeSource.system()).build();
    }

    /** Fails the trial when a request was shed or a place was not given back. */
    @TearDown(Level.Trial)
    public void tearDown() {
        long shed = 0;
        for (Priority p : Priority.values()) {
            shed += shedder.shed(p);
        }
        if (shed != 0 || shedder.inFlight() != 0) {
            throw new IllegalStateException(algorithm + ": " + shed + " request(s) shed and " + shedder.inFlight()
                    + " in flight after the trial; the benchmark measures admitted requests only");
        }
    }

    /** One request: admitted, then answered. */
    @Benchmark
    public void request() {
        LoadShedder.Permit permit = shedder.acquire(Priority.NORMAL);
        if (permit == null) {
            throw new IllegalStateException(algorithm + ": a request was shed at limit " + shedder.limit());
        }
        permit.success();
    }

    /** @return the shedder, for the setup test */
    LoadShedder shedder() {
        return shedder;
    }
}
