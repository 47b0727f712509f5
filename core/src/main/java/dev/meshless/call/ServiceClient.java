package dev.meshless.call;

import dev.meshless.balancer.LoadBalancingPolicy;
import dev.meshless.balancer.LocalityLoadBalancer;
import dev.meshless.balancer.NoEndpointAvailableException;
import dev.meshless.balancer.Pick;
import dev.meshless.breaker.BreakerRecorder;
import dev.meshless.breaker.ZoneCircuitBreakers;
import dev.meshless.outcome.Outcome;
import dev.meshless.outcome.OutcomeClassifier;
import dev.meshless.outlier.OutlierDetector;
import dev.meshless.registry.EndpointRegistry;
import dev.meshless.time.TimeSource;
import dev.meshless.topology.Locality;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of the resilient call path: runs the caller's function against endpoints of one
 * service chosen by the locality-aware balancer, and makes the call survive endpoint, zone and
 * region failures.
 *
 * <pre>{@code
 * ServiceClient inventory = ServiceClient.builder("inventory")
 *         .registry(registry).caller(Locality.of("eu-west-1", "eu-west-1a")).build();
 * Stock stock = inventory.call(a -> http.get(a.endpoint(), "/stock/42", a.timeout()),
 *         CallOptions.method("GET"));
 * }</pre>
 *
 * <p>Every call runs the same pipeline, synchronously ({@link #call}) or asynchronously
 * ({@link #callAsync}), in this order:
 * <ol>
 *   <li>the <b>deadline</b> starts (the call's, or the policy's);</li>
 *   <li>the <b>call gate</b> (outbound rate limit hook) admits or rejects the call;</li>
 *   <li>the <b>service circuit breaker</b> fails fast when the service fails everywhere;</li>
 *   <li>the request is counted in the <b>retry budget</b>;</li>
 *   <li>the <b>retry loop</b>, at most {@code maxAttempts} times: pick an endpoint (excluding those
 *       tried and, after {@code attemptsPerTier} failures, their tier), ask its zone breaker for a
 *       permit, skip it if at its concurrency cap, invoke the function with the attempt's timeout,
 *       classify the outcome and report it to the zone breaker, outlier detection and metrics;
 *       retry only what is safe and retryable, within the budget, after a jittered backoff that
 *       never crosses the deadline.</li>
 * </ol>
 * Every attempt takes a token whose outcome must be reported; {@link #attemptsInFlight()} counts
 * the tokens not yet reported (zero when idle).
 *
 * <p>Failures reach the caller as {@link ServiceCallException} (with the reason and every attempt)
 * or as the rejection of the call gate; an unchecked exception the classifier calls a caller error
 * is rethrown as it is. Thread-safe.
 */
public final class ServiceClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceClient.class);

    private final String service;
    private final LocalityLoadBalancer balancer;
    /** Replaced by {@link #updatePolicy}; read once or twice per call. */
    private volatile CallPolicy policy;
    private final OutcomeClassifier classifier;
    private final TimeSource time;
    private final CallGate gate;
    private final CallMetrics metrics;
    private final OutlierDetector outliers;
    private final ZoneCircuitBreakers zoneBreakers;
    private final CircuitBreaker serviceBreaker;
    private final BreakerRecorder serviceRecorder;
    private volatile RetryBudget budget;
    /** Hands the service breaker's counted successes to Resilience4j every second (see BreakerRecorder). */
    private final TimeSource.Cancellable flushing;
    private volatile boolean closed;
    private final DoubleSupplier random;
    /** The first attempt's timeout under the policy's deadline, computed once per policy. */
    private volatile Duration firstTimeout;

    private ServiceClient(Builder b) {
        this.service = b.service;
        this.policy = b.callPolicy;
        this.classifier = b.classifier;
        this.time = b.time;
        this.gate = b.gate;
        this.metrics = b.metrics;
        this.random = b.random;
        LocalityLoadBalancer.Builder lb = LocalityLoadBalancer.builder(service).registry(b.registry)
                .caller(b.caller).callerService(b.callerService).policy(b.balancingPolicy);
        b.listeners.forEach(lb::listener);
        this.balancer = lb.build();
        this.outliers = OutlierDetector.start(balancer, policy.outlierDetection(), time, b.listeners);
        CircuitBreakerRegistry registry = b.breakers != null ? b.breakers : CircuitBreakerRegistry.ofDefaults();
        this.zoneBreakers = policy.zoneBreaker() == null ? null
                : new ZoneCircuitBreakers(balancer, registry, policy.zoneBreaker(), time, b.listeners);
        this.serviceBreaker = policy.serviceBreaker() == null ? null
                : registry.find(service).orElseGet(() -> registry.circuitBreaker(service,
                        CircuitBreakerConfig.from(policy.serviceBreaker()).clock(time.clock()).build()));
        this.serviceRecorder = serviceBreaker == null ? null : BreakerRecorder.of(serviceBreaker);
        this.flushing = serviceRecorder == null ? null : BreakerRecorder.flushEvery(time, serviceRecorder::flush);
        this.budget = new RetryBudget(policy.retryBudgetPercent(), policy.retryBudgetMinRetriesPerSecond(),
                policy.retryBudgetTtl(), time);
        this.firstTimeout = Execution.firstTimeout(policy.deadline(), policy.perTryTimeout());
    }

    /**
     * @param service the service to call
     * @return a builder; {@link Builder#registry} is required
     */
    public static Builder builder(String service) {
        return new Builder(service);
    }

    /**
     * Calls the service with the default options (not idempotent: retried only when the request
     * certainly never left).
     *
     * @param function the work of one attempt
     * @param <T> the answer's type
     * @return the answer
     * @throws ServiceCallException when the call could not be served
     */
    public <T> T call(AttemptFunction<T> function) {
        return call(function, CallOptions.defaults());
    }

    /**
     * Calls the service, retrying on other endpoints and localities as the options and the policy
     * allow. Blocks the calling thread during attempts and backoff.
     *
     * @param function the work of one attempt
     * @param options method, idempotence, deadline
     * @param <T> the answer's type
     * @return the answer
     * @throws ServiceCallException when the call could not be served
     */
    @SuppressWarnings("unchecked")
    public <T> T call(AttemptFunction<T> function, CallOptions options) {
        long start = admit(options);
        // Fast path: a first attempt on a plain pick, reported inline, allocating nothing of its own.
        // Anything else (a refused zone permit, an endpoint at its cap, a failure) goes to Execution.
        Pick pick;
        try {
            pick = balancer.pick();
        } catch (NoEndpointAvailableException e) {
            throw new Execution(this, options, start).noEndpoint(e);
        }
        ZoneCircuitBreakers.ZoneBreaker zone = null;
        if (zoneBreakers != null) {
            zone = zoneBreakers.acquire(pick.endpoint().locality());
        }
        if ((zoneBreakers != null && zone == null) || pick.callsInFlight() >= policy.maxConcurrentCallsPerEndpoint()) {
            if (zone != null) {
                zoneBreakers.release(zone);
            }
            return retryLoop(new Execution(this, options, start), function, Execution.RETRY_NOW);
        }
        Duration timeout = options.deadline() == null ? firstTimeout : Execution.firstTimeout(options.deadline(),
                policy.perTryTimeout());
        pick.callStarted();
        Object value = null;
        Throwable error = null;
        try {
            value = function.apply(new Attempt(pick, 1, timeout));
        } catch (Throwable t) {
            error = t;
        }
        long end = time.nanoTime();
        Outcome outcome = classify(value, error);
        pick.callFinished();
        report(pick, zone, outcome, end - start);
        if (error instanceof Error) {
            releaseServicePermission(); // the call ends without a verdict on the service
            throw (Error) error; // reported above; never swallowed
        }
        if (outcome.kind() == Outcome.Kind.SUCCESS || (outcome.kind() == Outcome.Kind.CALLER_ERROR && error == null)) {
            recordServiceSuccess(end - start);
            return (T) value;
        }
        Execution execution = new Execution(this, options, start);
        return retryLoop(execution, function,
                execution.adoptFirstAttempt(pick, outcome, value, error, end - start, end));
    }

    /** The synchronous driver from a decision on: sleep the backoff, pick, attempt, decide, until done. */
    @SuppressWarnings("unchecked")
    private <T> T retryLoop(Execution execution, AttemptFunction<T> function, long decision) {
        long backoff = decision;
        while (true) {
            if (backoff == Execution.DONE) {
                if (execution.failure() != null) {
                    throw execution.failure();
                }
                return (T) execution.result();
            }
            sleep(execution, backoff);
            Pick pick;
            try {
                pick = execution.nextPick();
            } catch (NoEndpointAvailableException e) {
                throw execution.noEndpoint(e);
            }
            Duration timeout = execution.attemptTimeout();
            if (timeout == null) {
                throw execution.deadlineExceeded();
            }
            Execution.Token token = execution.begin(pick);
            Object value = null;
            Throwable error = null;
            try {
                value = function.apply(new Attempt(pick, execution.attempts(), timeout));
            } catch (Throwable t) {
                error = t;
            }
            Outcome outcome = execution.finish(token, value, error);
            if (error instanceof Error) {
                releaseServicePermission(); // the call ends without a verdict on the service
                throw (Error) error; // reported above; never swallowed
            }
            backoff = execution.decide(outcome, pick);
        }
    }

    /**
     * Calls the service without blocking, with the default options.
     *
     * @param function starts the work of one attempt
     * @param <T> the answer's type
     * @return the answer to come, or a {@link ServiceCallException}
     */
    public <T> CompletableFuture<T> callAsync(AsyncAttemptFunction<T> function) {
        return callAsync(function, CallOptions.defaults());
    }

    /**
     * Calls the service without blocking: the same pipeline as {@link #call}, with backoff on the
     * time source's timer and each attempt's timeout enforced by completing it with a
     * {@link TimeoutException} (the late answer is ignored and its stage cancelled).
     *
     * @param function starts the work of one attempt
     * @param options method, idempotence, deadline
     * @param <T> the answer's type
     * @return the answer to come, or a {@link ServiceCallException}
     */
    public <T> CompletableFuture<T> callAsync(AsyncAttemptFunction<T> function, CallOptions options) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        Execution execution;
        try {
            execution = new Execution(this, options, admit(options));
        } catch (RuntimeException rejected) {
            answer.completeExceptionally(rejected);
            return answer;
        }
        attemptAsync(execution, function, answer);
        return answer;
    }

    /** Gate, service breaker, budget: the steps before any attempt. @return the call's start time */
    private long admit(CallOptions options) {
        Objects.requireNonNull(options, "options");
        long start = time.nanoTime();
        gate.admit(service);
        if (serviceBreaker != null && !serviceBreaker.tryAcquirePermission()) {
            throw new ServiceCallException(service, ServiceCallException.Reason.CIRCUIT_OPEN,
                    "its circuit breaker '" + serviceBreaker.getName() + "' is " + serviceBreaker.getState()
                            + " (failure rate " + serviceBreaker.getMetrics().getFailureRate() + "%)",
                    List.of(), null, null);
        }
        budget.onRequest(start);
        return start;
    }

    private void sleep(Execution execution, long backoffNanos) {
        if (backoffNanos <= 0) {
            return;
        }
        try {
            time.sleep(Duration.ofNanos(backoffNanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw execution.fail(ServiceCallException.Reason.INTERRUPTED, "interrupted while waiting "
                    + TimeUnit.NANOSECONDS.toMillis(backoffNanos) + " ms to retry");
        }
    }

    private <T> void attemptAsync(Execution execution, AsyncAttemptFunction<T> function, CompletableFuture<T> answer) {
        Pick pick;
        try {
            pick = execution.nextPick();
        } catch (NoEndpointAvailableException e) {
            answer.completeExceptionally(execution.noEndpoint(e));
            return;
        }
        Duration timeout = execution.attemptTimeout();
        if (timeout == null) {
            answer.completeExceptionally(execution.deadlineExceeded());
            return;
        }
        Execution.Token token = execution.begin(pick);
        CompletionStage<T> stage;
        try {
            stage = Objects.requireNonNull(function.apply(new Attempt(pick, execution.attempts(), timeout)),
                    "the attempt function returned null");
        } catch (RuntimeException | Error e) {
            stage = CompletableFuture.failedFuture(e);
        }
        CompletionStage<T> running = stage;
        TimeSource.Cancellable timer = time.schedule(() -> {
            attemptDone(execution, function, answer, token, null, new TimeoutException("attempt "
                    + execution.attempts() + " to " + pick.endpoint().id() + " timed out after "
                    + timeout.toMillis() + " ms"));
            running.toCompletableFuture().cancel(true);
        }, timeout);
        stage.whenComplete((value, error) -> {
            timer.cancel();
            attemptDone(execution, function, answer, token, value, error);
        });
    }

    @SuppressWarnings("unchecked")
    private <T> void attemptDone(Execution execution, AsyncAttemptFunction<T> function, CompletableFuture<T> answer,
                                 Execution.Token token, Object value, Throwable error) {
        Outcome outcome = execution.finish(token, value, error);
        if (outcome == null) {
            return; // already reported by the timeout
        }
        long backoff;
        try {
            backoff = execution.decide(outcome, token.pick);
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
            return;
        }
        if (backoff == Execution.DONE) {
            if (execution.failure() != null) {
                answer.completeExceptionally(execution.failure());
            } else {
                answer.complete((T) execution.result());
            }
        } else {
            time.schedule(() -> attemptAsync(execution, function, answer), Duration.ofNanos(backoff));
        }
    }

    /**
     * Reports an attempt made outside this client — for example by a Spring Cloud LoadBalancer
     * client that picked the endpoint through {@link #balancer()} — so that outlier detection, the
     * zone breaker and metrics learn from it too. The zone breaker records it without a permit.
     *
     * @param pick the pick the attempt used
     * @param result what the attempt returned, or {@code null}
     * @param failure what it threw, or {@code null}
     * @param duration how long it took
     * @return the outcome, as the client's classifier sees it
     */
    public Outcome record(Pick pick, Object result, Throwable failure, Duration duration) {
        Outcome outcome = classify(result, failure);
        if (zoneBreakers != null) {
            zoneBreakers.record(pick.endpoint().locality(), outcome, duration.toNanos());
        }
        outliers.record(pick.endpoint(), outcome);
        metrics.attempt(service, pick, outcome, duration.toNanos());
        return outcome;
    }

    /** @return the service this client calls */
    public String service() {
        return service;
    }

    /** @return the balancer (its plan, its picker) */
    public LocalityLoadBalancer balancer() {
        return balancer;
    }

    /** @return the outlier detector */
    public OutlierDetector outlierDetector() {
        return outliers;
    }

    /** @return the zone breakers, or {@code null} when the policy turns them off */
    public ZoneCircuitBreakers zoneBreakers() {
        return zoneBreakers;
    }

    /** @return the service breaker, or {@code null} when the policy turns it off */
    public CircuitBreaker serviceBreaker() {
        return serviceBreaker;
    }

    /** @return the call policy */
    public CallPolicy policy() {
        return policy;
    }

    /**
     * Replaces the call policy, for example after a configuration reload. Attempts, deadline and
     * per-try timeout, retry rules, backoff, retry budget (a new, empty window when its settings
     * change) and the concurrency cap apply to calls that start from now on. Outlier detection and
     * circuit breakers keep the settings they were built with until the client is rebuilt.
     *
     * @param next the new policy
     */
    public void updatePolicy(CallPolicy next) {
        Objects.requireNonNull(next, "policy");
        CallPolicy previous = policy;
        if (next.retryBudgetPercent() != previous.retryBudgetPercent()
                || next.retryBudgetMinRetriesPerSecond() != previous.retryBudgetMinRetriesPerSecond()
                || !next.retryBudgetTtl().equals(previous.retryBudgetTtl())) {
            budget = new RetryBudget(next.retryBudgetPercent(), next.retryBudgetMinRetriesPerSecond(),
                    next.retryBudgetTtl(), time);
        }
        firstTimeout = Execution.firstTimeout(next.deadline(), next.perTryTimeout());
        policy = next;
    }

    /** @return attempts started whose outcome is not yet reported (calls in flight to the current endpoints) */
    public int attemptsInFlight() {
        return balancer.picker().callsInFlight();
    }

    /** @return retries the budget still allows now */
    public long retryBudgetRemaining() {
        return budget.remaining();
    }

    /** Stops timers and registry subscriptions. Calls in progress complete. */
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
        outliers.close();
        balancer.close();
    }

    // Package-private accessors for Execution.

    OutcomeClassifier classifier() {
        return classifier;
    }

    TimeSource time() {
        return time;
    }

    CallMetrics metrics() {
        return metrics;
    }

    RetryBudget retryBudget() {
        return budget;
    }

    DoubleSupplier random() {
        return random;
    }

    /**
     * Classifies the result of an attempt as this client does, without recording it: for
     * integrations that report outcomes themselves. A classifier that throws yields a caller error.
     *
     * @param value what the attempt returned, or {@code null}
     * @param error what it threw, or {@code null}
     * @return the outcome
     */
    public Outcome classify(Object value, Throwable error) {
        try {
            return classifier.classify(value, error);
        } catch (RuntimeException classifierBug) {
            return Outcome.callerError("classifier failed: " + classifierBug);
        }
    }

    /** Feeds one attempt's outcome to the zone breaker (releasing its permit), outlier detection and metrics. */
    void report(Pick pick, ZoneCircuitBreakers.ZoneBreaker zone, Outcome outcome, long nanos) {
        if (zone != null) {
            zoneBreakers.record(zone, outcome, nanos);
        }
        outliers.record(pick.endpoint(), outcome);
        try {
            metrics.attempt(service, pick, outcome, nanos);
        } catch (RuntimeException e) {
            // A metrics bug must not leave breaker permits or the call itself unaccounted for.
            log.warn("CallMetrics.attempt failed for service '{}'; the call goes on", service, e);
        }
    }

    void recordServiceSuccess(long nanos) {
        if (serviceRecorder == null) {
            return;
        }
        if (closed) {
            serviceRecorder.onSuccessNow(nanos); // calls finishing after close: no flush will follow
        } else {
            serviceRecorder.onSuccess(nanos);
        }
    }

    void recordServiceFailure(long nanos, Throwable failure) {
        if (serviceRecorder != null) {
            serviceRecorder.onError(nanos, failure);
        }
    }

    void releaseServicePermission() {
        if (serviceRecorder != null) {
            serviceRecorder.releasePermission();
        }
    }

    /** Builder for {@link ServiceClient}; not thread-safe. */
    public static final class Builder {
        private final String service;
        private EndpointRegistry registry;
        private Locality caller;
        private String callerService;
        private LoadBalancingPolicy balancingPolicy = LoadBalancingPolicy.defaults();
        private CallPolicy callPolicy = CallPolicy.defaults();
        private OutcomeClassifier classifier = OutcomeClassifier.defaults();
        private TimeSource time = TimeSource.system();
        private CallGate gate = CallGate.OPEN;
        private CallMetrics metrics = CallMetrics.NOOP;
        private CircuitBreakerRegistry breakers;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private final List<CallListener> listeners = new ArrayList<>();

        private Builder(String service) {
            if (service == null || service.isBlank()) {
                throw new IllegalArgumentException("service must be a non-blank name, but was "
                        + (service == null ? "null" : "'" + service + "'"));
            }
            this.service = service;
        }

        /**
         * @param registry where the service's endpoints come from; required
         * @return this builder
         */
        public Builder registry(EndpointRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * @param caller where this instance runs; {@code null} disables locality preference
         * @return this builder
         */
        public Builder caller(Locality caller) {
            this.caller = caller;
            return this;
        }

        /**
         * @param callerService this instance's own service name, for capacity-aware zone routing
         * @return this builder
         */
        public Builder callerService(String callerService) {
            this.callerService = callerService;
            return this;
        }

        /**
         * @param policy how traffic is split over localities and endpoints
         * @return this builder
         */
        public Builder balancingPolicy(LoadBalancingPolicy policy) {
            this.balancingPolicy = Objects.requireNonNull(policy, "balancingPolicy");
            return this;
        }

        /**
         * @param policy attempts, budget, timeouts, outlier detection, breakers
         * @return this builder
         */
        public Builder callPolicy(CallPolicy policy) {
            this.callPolicy = Objects.requireNonNull(policy, "callPolicy");
            return this;
        }

        /**
         * @param classifier turns results and exceptions into outcomes; default
         *     {@link OutcomeClassifier#defaults()}
         * @return this builder
         */
        public Builder classifier(OutcomeClassifier classifier) {
            this.classifier = Objects.requireNonNull(classifier, "classifier");
            return this;
        }

        /**
         * @param time time, timers and sleeps; default {@link TimeSource#system()}
         * @return this builder
         */
        public Builder timeSource(TimeSource time) {
            this.time = Objects.requireNonNull(time, "timeSource");
            return this;
        }

        /**
         * @param gate admits or rejects each call first (outbound rate limits); default open
         * @return this builder
         */
        public Builder gate(CallGate gate) {
            this.gate = Objects.requireNonNull(gate, "gate");
            return this;
        }

        /**
         * @param metrics receives measurements; default none
         * @return this builder
         */
        public Builder metrics(CallMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * @param registry the Resilience4j registry for the zone and service breakers, to share an
         *     application's own; default a private one
         * @return this builder
         */
        public Builder circuitBreakerRegistry(CircuitBreakerRegistry registry) {
            this.breakers = Objects.requireNonNull(registry, "circuitBreakerRegistry");
            return this;
        }

        /**
         * @param listener hears every event; may be called several times
         * @return this builder
         */
        public Builder listener(CallListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @param random uniform numbers in [0, 1) for the backoff jitter; default thread-local random
         * @return this builder
         */
        public Builder jitter(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "jitter");
            return this;
        }

        /**
         * @return the client, subscribed to the registry and with its timers running
         * @throws IllegalStateException when no registry was given
         */
        public ServiceClient build() {
            if (registry == null) {
                throw new IllegalStateException("registry must be set for service '" + service + "'");
            }
            return new ServiceClient(this);
        }
    }
}
