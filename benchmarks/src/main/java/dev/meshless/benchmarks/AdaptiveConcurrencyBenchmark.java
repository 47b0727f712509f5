package dev.meshless.benchmarks;

import dev.meshless.adaptive.AdaptiveConcurrencyLimiter;
import dev.meshless.adaptive.AdaptiveConcurrencyPolicy;
import dev.meshless.call.CallPolicy;
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
 * What adaptive concurrency adds to a call: {@code ServiceClient.call} of {@link CallPathBenchmark}'s
 * no-op on its fleet with the default policy, with adaptive concurrency {@code off} (the default) and
 * {@code on} (Gradient2, default limits): a slot taken and given back, and one latency sample fed
 * to Netflix's {@code Gradient2Limit} per call. One calling thread, so the slot is never contended
 * and the limit never refuses. The setup fails the trial unless calls are served in the caller's
 * zone at the first attempt and, when on, every slot is given back.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@State(Scope.Benchmark)
public class AdaptiveConcurrencyBenchmark {

    /** Adaptive concurrency {@code off} or {@code on}. */
    @Param({"off", "on"})
    public String adaptive = "off";
    private MeshlessCall call;

    /** Builds the client and checks its routing and, when on, that the checks gave every slot back. */
    @Setup(Level.Trial)
    public void setUp() {
        boolean on = switch (adaptive) {
            case "off" -> false;
            case "on" -> true;
            default -> throw new IllegalArgumentException("adaptive must be off or on, but was '" + adaptive + "'");
        };
        call = new MeshlessCall(MeshlessCall.PLAIN, (builder, meters) -> builder.callPolicy(CallPolicy.builder()
                .adaptiveConcurrency(AdaptiveConcurrencyPolicy.builder().enabled(on).build()).build()));
        AdaptiveConcurrencyLimiter limiter = call.client().concurrencyLimiter();
        if (on != (limiter != null) || (limiter != null && limiter.inFlight() != 0)) {
            throw new IllegalStateException("adaptive concurrency should be " + adaptive + " with no call in flight,"
                    + " but the limiter is " + limiter);
        }
    }

    /** Closes the client. */
    @TearDown(Level.Trial)
    public void tearDown() {
        call.close();
    }

    /** @return the port of the endpoint that served the call */
    @Benchmark
    public Integer call() {
        return call.get();
    }
}
