package dev.meshless.call;

import dev.meshless.balancer.LocalityLoadBalancer;
import dev.meshless.balancer.Pick;
import dev.meshless.breaker.BreakerRecorder;
import dev.meshless.breaker.ZoneCircuitBreakers;
import dev.meshless.outcome.Outcome;
import dev.meshless.outcome.OutcomeClassifier;
import dev.meshless.outlier.OutlierDetector;
import dev.meshless.time.TimeSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the outcomes of one service's attempts and calls go: the one reporting path of the call
 * path. {@link AttemptToken} reports each ended attempt here (zone breaker, outlier detection,
 * metrics); the drivers and {@link Execution} settle each call here (service breaker, retry
 * counters). Nothing here throws into a call: a metrics bug is logged and the call goes on.
 *
 * <p>Thread-safe: called from every calling thread at once; each input is thread-safe, and
 * {@code closed} is written once by {@link #close()}.
 */
final class Feedback implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Feedback.class);

    private final String service;
    private final OutcomeClassifier classifier;
    private final CallMetrics metrics;
    private final OutlierDetector outliers;
    /** Learns the latency of other regions, for their proximity order. */
    private final LocalityLoadBalancer balancer;
    /** {@code null} when the policy turns zone breakers off. */
    private final ZoneCircuitBreakers zoneBreakers;
    /** {@code null} when the policy turns the service breaker off. */
    private final BreakerRecorder serviceRecorder;
    /** Hands the service breaker's counted successes to Resilience4j every second (see BreakerRecorder). */
    private final TimeSource.Cancellable flushing;
    final TimeSource time;
    private volatile boolean closed;

    Feedback(String service, OutcomeClassifier classifier, CallMetrics metrics, LocalityLoadBalancer balancer,
             OutlierDetector outliers, ZoneCircuitBreakers zoneBreakers, CircuitBreaker serviceBreaker,
             TimeSource time) {
        this.service = service;
        this.balancer = balancer;
        this.classifier = classifier;
        this.metrics = metrics;
        this.outliers = outliers;
        this.zoneBreakers = zoneBreakers;
        this.serviceRecorder = serviceBreaker == null ? null : BreakerRecorder.of(serviceBreaker);
        this.flushing = serviceRecorder == null ? null : BreakerRecorder.flushEvery(time, serviceRecorder::flush);
        this.time = time;
    }

    /** Classifies as the client does; a classifier that throws yields a caller error. */
    Outcome classify(Object value, Throwable error) {
        try {
            return classifier.classify(value, error);
        } catch (RuntimeException classifierBug) {
            return Outcome.callerError("classifier failed: " + classifierBug);
        }
    }

    /**
     * One attempt ended with an outcome: gives the endpoint's in-flight count back and reports the
     * outcome to the zone breaker (ending its permit, if the attempt holds one), outlier detection
     * and metrics. Takes the token's parts rather than the token, which then never escapes the
     * frame that ends it. Classifying is the caller's step ({@link #classify}): kept out of here,
     * this stays small enough for the JIT to inline into the synchronous call path.
     */
    void ended(Pick pick, ZoneCircuitBreakers.ZoneBreaker zone, boolean zonePermit, Outcome outcome, long nanos) {
        pick.callFinished();
        if (pick.tier() >= 2 && outcome.kind() == Outcome.Kind.SUCCESS) {
            balancer.recordLatency(pick.endpoint().locality().region(), nanos);
        }
        if (zone != null) {
            zoneBreakers.record(zone, outcome, nanos, zonePermit);
        }
        outliers.record(pick.endpoint(), outcome);
        try {
            metrics.attempt(service, pick, outcome, nanos);
        } catch (RuntimeException e) {
            // A metrics bug must not leave breaker permits or the call itself unaccounted for.
            log.warn("CallMetrics.attempt failed for service '{}'; the call goes on", service, e);
        }
    }

    /** One attempt ended without an outcome: gives back its in-flight count and zone permit, reports nothing. */
    void released(Pick pick, ZoneCircuitBreakers.ZoneBreaker zone, boolean zonePermit) {
        pick.callFinished();
        if (zonePermit) {
            zoneBreakers.release(zone);
        }
    }

    /** Counts a retry (the call's first when {@code first}), or one the budget refused. */
    void retry(boolean allowed, boolean first) {
        try {
            if (allowed) {
                metrics.retry(service);
                if (first) {
                    metrics.callRetried(service);
                }
            } else {
                metrics.retryBudgetExhausted(service);
            }
        } catch (RuntimeException e) {
            log.warn("CallMetrics failed to count a retry for service '{}'; the call goes on", service, e);
        }
    }

    /** A call ended with an answer, or with a failure that was the caller's: the service worked. */
    void callSucceeded(long nanos) {
        if (serviceRecorder == null) {
            return;
        }
        if (closed) {
            serviceRecorder.onSuccessNow(nanos); // calls finishing after close: no flush will follow
        } else {
            serviceRecorder.onSuccess(nanos);
        }
    }

    /** A call failed. */
    void callFailed(long nanos, Throwable failure) {
        if (serviceRecorder != null) {
            serviceRecorder.onError(nanos, failure);
        }
    }

    /** A call ended without a verdict on the service (an {@code Error}, an interrupt): its permission goes back. */
    void callAbandoned() {
        if (serviceRecorder != null) {
            serviceRecorder.releasePermission();
        }
    }

    /** Stops the flushing timer and hands over what was counted; later successes are recorded as they come. */
    @Override
    public void close() {
        // Closed first, so that calls still finishing record their successes as they come; then
        // hand over what was counted before.
        closed = true;
        if (flushing != null) {
            flushing.cancel();
            serviceRecorder.flush();
        }
        if (zoneBreakers != null) {
            zoneBreakers.close();
        }
    }
}
