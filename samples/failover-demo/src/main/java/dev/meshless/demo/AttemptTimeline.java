package dev.meshless.demo;

import dev.meshless.balancer.Pick;
import dev.meshless.call.CallObserver;
import dev.meshless.call.CallOptions;
import java.util.List;

/**
 * Files every attempt of the caller under the 100 ms slot in which it <em>started</em>, by the zone
 * it went to: the traffic as the balancer sent it, retries and probes included. It is a
 * {@link CallObserver}, the hook Meshless gives applications to follow each call and attempt as it
 * happens, so that a slot holds exactly the attempts picked in it. (Sampling the attempt meter
 * every 100 ms instead files an attempt when it ends, and under whichever sample's window it fell
 * in: a refused attempt could land in the slot after the one it was made in, and move the measured
 * shift by a whole slot.) Each service's attempts go to {@link Recorder#serviceAttempts()}; the first
 * service's also head the report ({@link Recorder#attempts()}). Attempts made before {@link #start} —
 * the warm-up — are not filed.
 */
public final class AttemptTimeline implements CallObserver {

    private static final Scope NO_SCOPE = () -> { };

    private final List<String> services;
    private volatile Recorder recorder;
    private volatile long originNanos;

    /** @param services the called services whose attempts are filed, the one heading the report first */
    public AttemptTimeline(List<String> services) {
        this.services = List.copyOf(services);
    }

    /**
     * Files attempts from now on.
     *
     * @param originNanos the drill's start, as {@link System#nanoTime()}
     * @param recorder where the slots go
     */
    public void start(long originNanos, Recorder recorder) {
        this.originNanos = originNanos;
        this.recorder = recorder;
    }

    /** Stops filing attempts. */
    public void stop() {
        recorder = null;
    }

    @Override
    public ObservedCall callStarted(String calledService, CallOptions options) {
        Recorder to = recorder;
        if (to == null || !services.contains(calledService)) {
            return null;
        }
        long origin = originNanos;
        boolean heads = services.get(0).equals(calledService);
        return new ObservedCall() {
            @Override
            public Scope openScope() {
                return NO_SCOPE;
            }

            @Override
            public ObservedAttempt attemptStarted(Pick pick, int number) {
                to.attemptStarted(origin, calledService, heads, pick.endpoint().locality().zone());
                return null;
            }

            @Override
            public void ended(Throwable failure) {
                // only attempts are filed
            }
        };
    }
}
