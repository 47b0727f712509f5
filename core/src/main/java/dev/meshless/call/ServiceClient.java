package dev.meshless.call;

import dev.meshless.adaptive.AdaptiveConcurrencyLimiter;
import dev.meshless.adaptive.AdaptiveConcurrencyPolicy;
import dev.meshless.balancer.LoadBalancingPolicy;
import dev.meshless.balancer.LocalityLoadBalancer;
import dev.meshless.balancer.NoEndpointAvailableException;
import dev.meshless.balancer.Pick;
import dev.meshless.breaker.ZoneCircuitBreakers;
import dev.meshless.health.ActiveHealthChecker;
import dev.meshless.health.HealthCheckPolicy;
import dev.meshless.health.HealthProbe;
import dev.meshless.health.HealthProbes;
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
 * <p>Every call runs one pipeline, synchronously ({@link #call}) or asynchronously
 * ({@link #callAsync}), in this order:
 * <ol>
 *   <li>the call reads the service's <b>settings snapshot</b> ({@link CallPolicy} as of now) once
 *       and keeps it to its end; its <b>deadline</b> starts (the call's, or the policy's);</li>
 *   <li>the <b>call gate</b> (outbound rate limit hook) admits or rejects the call;</li>
 *   <li>the <b>adaptive concurrency limit</b>, when the policy turns it on, gives the call a slot
 *       or refuses it ({@link dev.meshless.adaptive.ConcurrencyLimitExceededException}); with a
 *       {@code maxWait} above zero a call may wait that long for one, in line with the other
 *       waiters (oldest first): a synchronous call parks its thread, an asynchronous call parks
 *       nothing and starts on the thread that frees its slot. A call that waited starts — its
 *       deadline, its first attempt's latency — when it has its slot. The call keeps its slot,
 *       for every attempt and backoff, until it ends (answered, failed, or its future
 *       cancelled); each attempt that reached the service teaches the limit its latency;</li>
 *   <li>the <b>service circuit breaker</b> fails fast when the service fails everywhere; the call
 *       holds its permission and settles it exactly once, when it ends;</li>
 *   <li>the request is counted in the <b>retry budget</b>;</li>
 *   <li>the <b>attempt loop</b>, at most {@code maxAttempts} times, the first attempt being its
 *       first iteration: pick an endpoint (excluding those tried and, after
 *       {@code attemptsPerTier} failures, their tier), skip it if at its concurrency cap, ask its
 *       zone breaker for a permit once (a refusal leaves the zone out of the call), take an
 *       {@link AttemptToken}, invoke the function with the attempt's timeout, end the token
 *       (classify the outcome, report it to the zone breaker, outlier detection and metrics), and
 *       retry only what is safe and retryable, within the budget, after a jittered backoff that
 *       never crosses the deadline.</li>
 * </ol>
 * Every token is ended exactly once; {@link #attemptsInFlight()} counts those not yet ended (zero
 * when idle). Integrations that pick outside this pipeline report through the same tokens
 * ({@link #begin(Pick)}). With an {@linkplain Builder#observer observer}, the call and each of its
 * attempts are observed from start to end ({@link CallObserver}); without one, the pipeline takes
 * no observation step at all.
 *
 * <p>Failures reach the caller as {@link ServiceCallException} (with the reason and every attempt),
 * as the rejection of the call gate, or as the adaptive concurrency limit's
 * {@link dev.meshless.adaptive.ConcurrencyLimitExceededException}; an unchecked exception the
 * classifier calls a caller error is rethrown as it is.
 *
 * <p><b>Threading.</b> Thread-safe; as with the balancer, the data side never locks:
 * <ul>
 *   <li>{@link #call} runs on the calling thread from admission to answer, attempts and backoff
 *       included; any number of threads may call at once.</li>
 *   <li>{@link #callAsync} runs the first attempt's function on the calling thread (or, when the
 *       call waited for a concurrency slot, on the thread that freed it) and later ones on the time
 *       source's timer thread; a call refused after waiting is refused on the timer thread; the
 *       answer completes on the thread that completed the last attempt's stage, or on the timer
 *       thread when an attempt times out. Functions must not block.</li>
 *   <li>{@link #begin} may be called, and its token ended, from any thread.</li>
 *   <li>{@link #updatePolicy} may be called from any thread; reloads run one at a time and each
 *       publishes a whole new snapshot. {@link #close} may be called from any thread; calls in
 *       progress complete.</li>
 * </ul>
 * Shared state: {@code settings} is written only by {@link #updatePolicy} and read once per call;
 * the balancer, outlier detector, breakers and the package's {@code Feedback} (where outcomes go)
 * say their own rules; everything else is final.
 */
public final class ServiceClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceClient.class);

    private final String service;
    private final LocalityLoadBalancer balancer;
    /** Replaced whole by {@link #updatePolicy}; read once per call, when it is admitted. */
    private volatile CallSettings settings;
    private final TimeSource time;
    private final CallGate gate;
    private final OutlierDetector outliers;
    private final ActiveHealthChecker healthChecks;
    private final ZoneCircuitBreakers zoneBreakers;
    private final CircuitBreaker serviceBreaker;
    /** The adaptive concurrency limit of calls, or {@code null} when the policy leaves it off. */
    private final AdaptiveConcurrencyLimiter limiter;
    /** Where every attempt's and call's outcome goes; for AttemptToken and Execution too. */
    final Feedback feedback;
    /** Follows calls and attempts for tracing; {@link CallObserver#NOOP} skips every step. */
    private final CallObserver observer;
    private final DoubleSupplier random;

    private ServiceClient(Builder b) {
        this.service = b.service;
        CallPolicy policy = b.callPolicy;
        this.time = b.time;
        this.gate = b.gate;
        this.random = b.random;
        this.observer = b.observer;
        HealthCheckPolicy checks = policy.healthCheck();
        HealthProbe probe = b.healthProbe != null ? b.healthProbe
                : (endpoint, timeout) -> HealthProbes.of(checks, HealthProbes.sharedClient()).check(endpoint, timeout);
        this.healthChecks = new ActiveHealthChecker(service, checks, probe, time, b.listeners,
                () -> ThreadLocalRandom.current().nextDouble());
        LocalityLoadBalancer.Builder lb = LocalityLoadBalancer.builder(service).registry(healthChecks.view(b.registry))
                .slowStart(policy.slowStart(), time)
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
        this.feedback = new Feedback(service, b.classifier, b.metrics, balancer, outliers, zoneBreakers, serviceBreaker,
                time);
        healthChecks.start(balancer, outliers, zoneBreakers);
        this.settings = CallSettings.of(policy, null, time);
        AdaptiveConcurrencyPolicy adaptive = policy.adaptiveConcurrency();
        this.limiter = adaptive.enabled() ? AdaptiveConcurrencyLimiter.of(service, adaptive) : null;
        for (CallListener listener : b.listeners) {
            try {
                if (serviceBreaker != null) {
                    listener.onServiceBreakerCreated(service, serviceBreaker);
                }
                if (limiter != null) {
                    listener.onConcurrencyLimiterCreated(service, limiter);
                }
            } catch (RuntimeException e) {
                log.warn("{}: listener {} failed on the service breaker or concurrency limiter", service, listener, e);
            }
        }
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
     * @throws dev.meshless.adaptive.ConcurrencyLimitExceededException when adaptive concurrency is
     *     on and the service's limit was reached (and no slot came free within {@code maxWait})
     */
    public <T> T call(AttemptFunction<T> function, CallOptions options) {
        Objects.requireNonNull(options, "options");
        // Unobserved calls take the loop directly: no observation step is even reached.
        return observer == CallObserver.NOOP ? run(function, options, null) : observed(function, options);
    }

    /** {@link #call} for a client with an observer: the call's observation spans the whole loop. */
    private <T> T observed(AttemptFunction<T> function, CallOptions options) {
        CallObserver.ObservedCall observation = observer.callStarted(service, options);
        if (observation == null) {
            return run(function, options, null);
        }
        T value;
        CallObserver.Scope scope = observation.openScope();
        try (scope) {
            value = run(function, options, observation);
        } catch (RuntimeException | Error failure) {
            observation.ended(failure);
            throw failure;
        }
        observation.ended(null);
        return value;
    }

    /**
     * The synchronous pipeline, from admission to answer.
     *
     * @param observation the call's observation, or {@code null} when it is not observed
     */
    private <T> T run(AttemptFunction<T> function, CallOptions options, CallObserver.ObservedCall observation) {
        CallSettings callSettings = settings; // the one read of the settings this call makes
        long start = admit(callSettings);
        if (limiter == null) {
            return attempts(function, options, observation, callSettings, start);
        }
        try {
            return attempts(function, options, observation, callSettings, start);
        } finally {
            limiter.release(); // however the call ends: answer, failure, Error
        }
    }

    /** The synchronous attempt loop of an admitted call. */
    @SuppressWarnings("unchecked")
    private <T> T attempts(AttemptFunction<T> function, CallOptions options, CallObserver.ObservedCall observation,
                           CallSettings callSettings, long start) {
        // Every attempt, the first included, runs this loop. The call's Execution is made by the
        // first refusal or failure, so that a call answered at once allocates nothing of its own;
        // the token and the Attempt never leave this frame, so the JIT can drop them too.
        Execution state = null;
        while (true) {
            Duration timeout = state == null ? callSettings.firstTimeout(options.deadline()) : state.nextTimeout();
            Pick pick = state == null ? firstPick(callSettings, options, start) : state.nextPick();
            ZoneCircuitBreakers.ZoneBreaker zone = zoneOf(pick);
            int refusal = refusal(callSettings, pick, zone);
            if (refusal != Execution.ADMITTED) {
                state = state != null ? state : new Execution(this, callSettings, options, start, 0);
                state.refused(pick, refusal);
                continue;
            }
            int number = state == null ? 1 : state.began();
            long attemptStart = number == 1 ? start : time.nanoTime();
            AttemptToken token = new AttemptToken(feedback, pick, zone, zone != null, attemptStart);
            CallObserver.ObservedAttempt observed = observation == null ? null
                    : observation.attemptStarted(pick, number);
            int slotsInUse = limiter == null ? 0 : limiter.inFlight();
            Object value = null;
            Throwable error = null;
            try {
                value = observed == null ? function.apply(new Attempt(pick, number, timeout))
                        : applyObserved(observed, function, new Attempt(pick, number, timeout));
            } catch (Throwable t) {
                error = t;
            }
            long end = time.nanoTime();
            // This thread owns the token: it ends it and reports with its parts, never passing the
            // token on, so that the JIT can keep it off the heap.
            token.endOwned();
            Outcome outcome = feedback.classify(value, error);
            feedback.ended(token.pick(), token.zone(), token.zonePermit(), outcome, end - token.startNanos());
            if (limiter != null) {
                limiter.onAttempt(outcome, error != null, token.startNanos(), end - token.startNanos(), slotsInUse);
            }
            if (observed != null) {
                observed.ended(outcome, error);
            }
            if (error instanceof Error) {
                feedback.callAbandoned(); // the call ends without a verdict on the service
                throw (Error) error; // reported above; never swallowed
            }
            if (Execution.answered(outcome, error)) {
                feedback.callSucceeded(end - start);
                return (T) value;
            }
            state = state != null ? state : new Execution(this, callSettings, options, start, 1);
            long backoff = state.afterFailure(pick, outcome, value, error, end - attemptStart, end);
            if (backoff == Execution.DONE) {
                throw state.failure();
            }
            sleep(state, backoff);
        }
    }

    /** Runs an observed attempt's function inside the attempt's scope. */
    private static <T> T applyObserved(CallObserver.ObservedAttempt observed, AttemptFunction<T> function,
                                       Attempt attempt) throws Exception {
        CallObserver.Scope scope = observed.openScope();
        try (scope) {
            return function.apply(attempt);
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
     * {@link TimeoutException} (the late answer is ignored and its stage cancelled). Beyond the
     * adaptive concurrency limit, with a {@code maxWait} above zero, the call waits in line for a
     * slot without holding a thread; cancelling the answer meanwhile takes it out of the line.
     *
     * @param function starts the work of one attempt
     * @param options method, idempotence, deadline
     * @param <T> the answer's type
     * @return the answer to come, or a {@link ServiceCallException}, or a
     *     {@link dev.meshless.adaptive.ConcurrencyLimitExceededException} when adaptive concurrency is
     *     on and no slot was free (or came free within {@code maxWait})
     */
    public <T> CompletableFuture<T> callAsync(AsyncAttemptFunction<T> function, CallOptions options) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        CallObserver.ObservedCall observation = null;
        try {
            Objects.requireNonNull(options, "options");
            observation = observer == CallObserver.NOOP ? null : observer.callStarted(service, options);
            CallSettings callSettings = settings; // the one read of the settings this call makes
            long start = time.nanoTime();
            gate.admit(service);
            CompletableFuture<Duration> slot = limiter == null ? null
                    : limiter.acquireAsync(limiter.policy().maxWait(), time);
            if (slot != null) {
                awaitSlot(slot, function, options, callSettings, answer, observation);
            } else {
                startAsync(function, options, callSettings, start, answer, observation);
            }
        } catch (RuntimeException rejected) {
            endRefused(answer, observation, rejected);
        }
        return answer;
    }

    /**
     * Starts an asynchronous call once the limiter hands it a slot, or refuses it when none comes in
     * time. The continuation runs on the thread that handed the slot over — one whose call ended, or
     * that taught the limit a higher value — inside the limiter's drain loop, which serves the next
     * waiter only after this returns: a call that fails at once and gives its slot back does not
     * recurse into the next one (see {@code AdaptiveConcurrencyLimiter.drain}). Nothing here blocks.
     */
    private <T> void awaitSlot(CompletableFuture<Duration> slot, AsyncAttemptFunction<T> function,
                               CallOptions options, CallSettings callSettings, CompletableFuture<T> answer,
                               CallObserver.ObservedCall observation) {
        // A caller who gives up while the call waits takes it out of the line (a no-op once it has its slot).
        answer.whenComplete((value, failure) -> slot.cancel(false));
        slot.whenComplete((waited, refused) -> {
            if (refused != null) {
                endRefused(answer, observation, refused); // timed out, or the caller cancelled
            } else if (answer.isDone()) {
                limiter.release(); // cancelled just as its slot came: the slot goes to the next in line
            } else {
                try {
                    // As for a blocking call, it starts when it has its slot: the wait counts neither
                    // against its deadline nor in its first attempt's latency.
                    startAsync(function, options, callSettings, time.nanoTime(), answer, observation);
                } catch (RuntimeException e) {
                    endRefused(answer, observation, e);
                }
            }
        });
    }

    /** The steps of an asynchronous call that has its slot (if the limit is on): breaker, budget, first attempt. */
    private <T> void startAsync(AsyncAttemptFunction<T> function, CallOptions options, CallSettings callSettings,
                                long start, CompletableFuture<T> answer, CallObserver.ObservedCall observation) {
        Execution call = new Execution(this, callSettings, options, admitted(callSettings, start), 0);
        if (limiter != null) {
            // The slot goes back when the answer completes, however: answered, failed, or
            // cancelled by the caller (a cancelled attempt's late answer still teaches the limit).
            answer.whenComplete((value, failure) -> limiter.release());
        }
        new AsyncDriver<>(this, call, function, answer, observation).attempt();
    }

    /** Ends an asynchronous call that never started: its observation first, then the caller's answer. */
    private static void endRefused(CompletableFuture<?> answer, CallObserver.ObservedCall observation,
                                   Throwable refused) {
        if (observation != null) {
            observation.ended(refused);
        }
        answer.completeExceptionally(refused);
    }

    /**
     * Gate, adaptive concurrency limit, service breaker, budget: the steps before any attempt of a
     * synchronous call, which may wait for a concurrency slot. A call that waited for its slot starts
     * when it has it.
     *
     * @return the call's start time
     */
    private long admit(CallSettings callSettings) {
        long start = time.nanoTime();
        gate.admit(service);
        if (limiter != null && limiter.acquire(limiter.policy().maxWait())) {
            // The call starts when it has its slot: the wait (at most maxWait) counts neither
            // against its deadline nor in its first attempt's latency, which the limit learns.
            start = time.nanoTime();
        }
        return admitted(callSettings, start);
    }

    /**
     * The steps after the concurrency slot, sync and async: the service breaker, then the budget. A
     * call the breaker refuses gives its slot back.
     *
     * @return {@code start}
     */
    private long admitted(CallSettings callSettings, long start) {
        if (serviceBreaker != null && !serviceBreaker.tryAcquirePermission()) {
            if (limiter != null) {
                limiter.release();
            }
            throw new ServiceCallException(service, ServiceCallException.Reason.CIRCUIT_OPEN,
                    "its circuit breaker '" + serviceBreaker.getName() + "' is " + serviceBreaker.getState()
                            + " (failure rate " + serviceBreaker.getMetrics().getFailureRate() + "%)",
                    List.of(), null, null);
        }
        callSettings.budget.onRequest(start);
        return start;
    }

    /**
     * The first attempt's pick: nothing is excluded yet; a probe may take it unless the call could
     * not be repeated after it (a single attempt, or a call that may not be retried).
     */
    private Pick firstPick(CallSettings callSettings, CallOptions options, long start) {
        try {
            return callSettings.mayProbe(options) ? balancer.pick() : balancer.pickKnownGood();
        } catch (NoEndpointAvailableException e) {
            throw new Execution(this, callSettings, options, start, 0).noEndpoint(e);
        }
    }

    /** @return the pick's zone breaker (no permit asked yet), or {@code null} when zone breakers are off */
    ZoneCircuitBreakers.ZoneBreaker zoneOf(Pick pick) {
        return zoneBreakers == null ? null : zoneBreakers.zoneBreaker(pick.endpoint().locality());
    }

    /**
     * The checks a pick passes before an attempt starts on it: its endpoint's concurrency cap, then
     * its zone breaker's permit, asked once (a permit, once given, belongs to the attempt's token).
     *
     * @return {@link Execution#ADMITTED} when the attempt may start, else why not
     *     ({@link Execution#AT_CAP}, {@link Execution#ZONE_BREAKER}, {@link Execution#ZONE_HALF_OPEN})
     */
    int refusal(CallSettings callSettings, Pick pick, ZoneCircuitBreakers.ZoneBreaker zone) {
        if (pick.callsInFlight() >= callSettings.maxConcurrentCallsPerEndpoint) {
            return Execution.AT_CAP;
        }
        if (zone != null && !zoneBreakers.tryAcquire(zone)) {
            return zone.breaker().getState() == CircuitBreaker.State.HALF_OPEN ? Execution.ZONE_HALF_OPEN
                    : Execution.ZONE_BREAKER;
        }
        return Execution.ADMITTED;
    }

    private void sleep(Execution call, long backoffNanos) {
        if (backoffNanos <= 0) {
            return;
        }
        try {
            time.sleep(Duration.ofNanos(backoffNanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw call.fail(ServiceCallException.Reason.INTERRUPTED, "interrupted while waiting "
                    + TimeUnit.NANOSECONDS.toMillis(backoffNanos) + " ms to retry");
        }
    }

    /**
     * Begins an attempt on a pick made outside this client — by a Spring Cloud LoadBalancer client
     * that picked through {@link #balancer()}, for example — so that its outcome reaches outlier
     * detection, the zone breaker and metrics through the same lifecycle as the client's own
     * attempts. The endpoint counts as in flight until the token is ended. The token holds no zone
     * permit (see {@link AttemptToken}); the service breaker and the retry budget, which judge
     * whole calls, are not involved.
     *
     * @param pick a pick of this client's balancer
     * @return the attempt's token; end it with {@link AttemptToken#complete} or
     *     {@link AttemptToken#release}, once
     * @throws IllegalArgumentException when the pick is of another service
     */
    public AttemptToken begin(Pick pick) {
        return begin(pick, time.nanoTime());
    }


    /**
     * As {@link #begin(Pick)}, for an attempt that started earlier and is being reported only now:
     * its outcome is reported with that much more time.
     *
     * @param pick a pick of this client's balancer
     * @param elapsed how long ago the attempt started, zero or more
     * @return the attempt's token
     * @throws IllegalArgumentException when the pick is of another service
     */
    public AttemptToken begin(Pick pick, Duration elapsed) {
        return begin(pick, time.nanoTime() - Math.max(0, elapsed.toNanos()));
    }

    private AttemptToken begin(Pick pick, long startNanos) {
        Objects.requireNonNull(pick, "pick");
        if (!pick.endpoint().service().equals(service)) {
            throw new IllegalArgumentException("pick must be of service '" + service + "', but was of '"
                    + pick.endpoint().service() + "'");
        }
        return new AttemptToken(feedback, pick, zoneOf(pick), false, startNanos);
    }

    /**
     * Picks for a retry that knows only the attempt just made — an integration's retry, such as
     * Spring Cloud's — by the rules of this client's own retries: never that endpoint while another
     * remains, and not its tier either when that attempt was an endpoint failure and
     * {@code attemptsPerTier} is 1, unless no other tier can serve.
     *
     * @param previous the pick of the attempt just made
     * @param outcome how it ended, or {@code null} when unknown
     * @return the pick
     * @throws NoEndpointAvailableException when nothing else can be picked
     */
    public Pick pickAfter(Pick previous, Outcome outcome) {
        Objects.requireNonNull(previous, "previous");
        Execution retry = new Execution(this, settings, CallOptions.defaults(), time.nanoTime(), 1);
        retry.exclude(previous, outcome);
        return retry.pick();
    }

    /** @return the service this client calls */
    public String service() {
        return service;
    }

    /** @return the balancer (its plan, its picker) */
    public LocalityLoadBalancer balancer() {
        return balancer;
    }

    /** @return the outlier detector, for its ejection state; report outcomes through {@link #begin} */
    public OutlierDetector outlierDetector() {
        return outliers;
    }

    /** @return the active health checks, for what they probe ({@link ActiveHealthChecker#status()}) */
    public ActiveHealthChecker healthChecks() {
        return healthChecks;
    }

    /**
     * @return the zone breakers, for their states, or {@code null} when the policy turns them off;
     *     report outcomes through {@link #begin}
     */
    public ZoneCircuitBreakers zoneBreakers() {
        return zoneBreakers;
    }

    /** @return the service breaker, or {@code null} when the policy turns it off */
    public CircuitBreaker serviceBreaker() {
        return serviceBreaker;
    }

    /** @return the call policy calls admitted from now on follow */
    public CallPolicy policy() {
        return settings.policy;
    }

    /**
     * Replaces the call policy, for example after a configuration reload, by publishing one new
     * settings snapshot: attempts, deadline and per-try timeout, retry rules, backoff, retry budget
     * (a new, empty window when its settings change) and the concurrency cap apply together to
     * calls admitted from now on; a call in progress keeps the snapshot it was admitted with.
     * Outlier detection, circuit breakers and the adaptive concurrency limiter keep the settings
     * they were built with until the client is rebuilt.
     *
     * @param next the new policy
     */
    public void updatePolicy(CallPolicy next) {
        Objects.requireNonNull(next, "policy");
        synchronized (this) { // one reload at a time, so that none builds on a snapshot another replaced
            settings = CallSettings.of(next, settings, time);
        }
    }

    /** @return attempts started whose token is not yet ended (calls in flight to the current endpoints) */
    public int attemptsInFlight() {
        return balancer.picker().callsInFlight();
    }

    /**
     * @return the adaptive concurrency limiter, for its limit, calls in flight and refusals, or
     *     {@code null} when the policy leaves adaptive concurrency off
     */
    public AdaptiveConcurrencyLimiter concurrencyLimiter() {
        return limiter;
    }

    /** @return retries the budget still allows now */
    public long retryBudgetRemaining() {
        return settings.budget.remaining();
    }

    /** Stops timers and registry subscriptions. Calls in progress complete. */
    @Override
    public void close() {
        feedback.close();
        healthChecks.close();
        outliers.close();
        balancer.close();
    }

    // The steps every attempt passes, for both drivers and Execution.

    long nowNanos() {
        return time.nanoTime();
    }

    TimeSource time() {
        return time;
    }

    DoubleSupplier random() {
        return random;
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
        private CallObserver observer = CallObserver.NOOP;
        private CircuitBreakerRegistry breakers;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private HealthProbe healthProbe;
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
         * @param observer follows each call and attempt, for tracing (for example
         *     {@code dev.meshless.micrometer.observation.ObservationCallObserver}); default
         *     {@link CallObserver#NOOP}, which the call path skips
         * @return this builder
         */
        public Builder observer(CallObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
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
         * @param probe how active health checks check one endpoint, instead of the built-in probe the
         *     policy's {@code healthCheck.type} names (a gRPC health check, a database ping...)
         * @return this builder
         */
        public Builder healthProbe(HealthProbe probe) {
            this.healthProbe = Objects.requireNonNull(probe, "healthProbe");
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
