package dev.meshless.micrometer.observation;

import dev.meshless.balancer.Pick;
import dev.meshless.call.CallObserver;
import dev.meshless.call.CallOptions;
import dev.meshless.outcome.Outcome;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a Micrometer {@link Observation} of every call ({@value DefaultCallObservationConvention#NAME})
 * and every attempt ({@value DefaultAttemptObservationConvention#NAME}) of the clients it is given
 * to ({@code ServiceClient.Builder.observer}). Each attempt's parent is its call's observation,
 * set explicitly, so that attempts of {@code callAsync} started on a timer thread after a backoff
 * are children of their call too; a call's parent is whatever observation is current where it
 * starts (an HTTP server request, say). While an attempt's function runs, the attempt is the
 * current observation, so that the HTTP client's own observation inside it is its child:
 *
 * <pre>
 * http get /checkout                                       (the server's observation)
 * └─ call inventory          outcome=success tier=1 attempts=2
 *    ├─ attempt inventory    outcome=endpoint_failure tier=0 zone=eu-west-1a endpoint=…
 *    │  └─ http get          (the HTTP client's observation)
 *    └─ attempt inventory    outcome=success tier=1 zone=eu-west-1b endpoint=…
 *       └─ http get
 * </pre>
 *
 * With a tracing bridge each observation is a span; with Micrometer's meter handler (Spring Boot
 * with actuator) each name is also a timer tagged with the low-cardinality keys.
 *
 * <p>When the registry is {@link ObservationRegistry#isNoop() a no-op} a call costs one check and
 * is not observed. Observations switched off by the registry's predicates (Spring Boot's
 * {@code management.observations.enable.*}) are Micrometer's no-op observations. Nothing here
 * throws into a call: a failing convention or handler is logged. Thread-safe.
 */
public final class ObservationCallObserver implements CallObserver {

    private static final Logger log = LoggerFactory.getLogger(ObservationCallObserver.class);
    private static final Scope NO_SCOPE = () -> { };

    private final ObservationRegistry registry;
    private final CallObservationConvention callConvention;
    private final AttemptObservationConvention attemptConvention;

    /** @param registry where observations go, with Meshless's default conventions */
    public ObservationCallObserver(ObservationRegistry registry) {
        this(registry, null, null);
    }

    /**
     * @param registry where observations go
     * @param callConvention replaces the default call convention (and any global one), or {@code null}
     * @param attemptConvention replaces the default attempt convention (and any global one), or {@code null}
     */
    public ObservationCallObserver(ObservationRegistry registry, CallObservationConvention callConvention,
                                   AttemptObservationConvention attemptConvention) {
        this.registry = registry;
        this.callConvention = callConvention;
        this.attemptConvention = attemptConvention;
    }

    @Override
    public ObservedCall callStarted(String service, CallOptions options) {
        if (registry.isNoop()) {
            return null;
        }
        try {
            CallObservationContext context = new CallObservationContext(service, options);
            Observation observation = MeshlessObservationDocumentation.CALL.start(callConvention,
                    DefaultCallObservationConvention.INSTANCE, () -> context, registry);
            return new Call(observation, context);
        } catch (RuntimeException e) {
            failed(service, "start the call's observation", e);
            return null;
        }
    }

    private static void failed(String service, String what, RuntimeException e) {
        log.warn("{}: could not {}; the call goes on", service, what, e);
    }

    private static Scope scope(Observation observation, String service) {
        try {
            Observation.Scope scope = observation.openScope();
            return () -> {
                try {
                    scope.close();
                } catch (RuntimeException e) {
                    failed(service, "close an observation's scope", e);
                }
            };
        } catch (RuntimeException e) {
            failed(service, "open an observation's scope", e);
            return NO_SCOPE;
        }
    }

    private static void stop(Observation observation, Throwable error, String service) {
        try {
            if (error != null) {
                observation.error(error);
            }
            observation.stop();
        } catch (RuntimeException e) {
            failed(service, "stop an observation", e);
        }
    }

    /** One call's observation; its attempts' observations are its children. */
    private final class Call implements ObservedCall {
        private final Observation observation;
        private final CallObservationContext context;

        Call(Observation observation, CallObservationContext context) {
            this.observation = observation;
            this.context = context;
        }

        @Override
        public Scope openScope() {
            return scope(observation, context.service());
        }

        @Override
        public ObservedAttempt attemptStarted(Pick pick, int number) {
            context.attemptStarted(pick);
            try {
                AttemptObservationContext attempt = new AttemptObservationContext(context.service(), pick, number);
                Observation child = MeshlessObservationDocumentation.ATTEMPT.observation(attemptConvention,
                        DefaultAttemptObservationConvention.INSTANCE, () -> attempt, registry);
                if (!observation.isNoop()) {
                    child.parentObservation(observation); // not the thread's: async attempts run elsewhere
                }
                return new Attempt(child.start(), attempt, context);
            } catch (RuntimeException e) {
                failed(context.service(), "start an attempt's observation", e);
                return new Attempt(Observation.NOOP, null, context);
            }
        }

        @Override
        public void ended(Throwable failure) {
            stop(observation, failure, context.service());
        }
    }

    /** One attempt's observation. */
    private static final class Attempt implements ObservedAttempt {
        private final Observation observation;
        /** {@code null} when the observation could not be started. */
        private final AttemptObservationContext context;
        private final CallObservationContext call;

        Attempt(Observation observation, AttemptObservationContext context, CallObservationContext call) {
            this.observation = observation;
            this.context = context;
            this.call = call;
        }

        @Override
        public Scope openScope() {
            return scope(observation, call.service());
        }

        @Override
        public void ended(Outcome outcome, Throwable error) {
            call.attemptEnded(outcome);
            if (context != null) {
                context.outcome(outcome);
            }
            stop(observation, error, call.service());
        }
    }
}
