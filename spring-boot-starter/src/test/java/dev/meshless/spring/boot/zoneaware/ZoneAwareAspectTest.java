package dev.meshless.spring.boot.zoneaware;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static dev.meshless.spring.boot.http.ZoneBackends.ZONE_A;
import static dev.meshless.spring.boot.http.ZoneBackends.ZONE_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.adaptive.AdaptiveConcurrencyLimiter;
import dev.meshless.call.Attempt;
import dev.meshless.call.ServiceCallException;
import dev.meshless.ratelimit.RateLimitedException;
import dev.meshless.spring.boot.MeshlessClients;
import dev.meshless.spring.boot.ZoneAware;
import dev.meshless.spring.boot.config.InvalidMeshlessConfigurationException;
import dev.meshless.spring.boot.http.AttemptLog;
import dev.meshless.spring.boot.http.HttpClientContexts;
import dev.meshless.spring.boot.http.ZoneBackends;
import dev.meshless.spring.boot.ratelimit.RateLimitAutoConfiguration;
import dev.meshless.spring.boot.ratelimit.RateLimited;
import dev.meshless.spring.boot.ratelimit.aspect.RateLimitAspectAutoConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code @ZoneAware} on bean methods: the method runs once per attempt on the endpoint Meshless picked. */
class ZoneAwareAspectTest {

    private ZoneBackends ledger;

    @BeforeEach
    void startBackends() {
        ledger = ZoneBackends.answering("ledger", get("/balance").willReturn(aResponse().withBody("100")));
    }

    @AfterEach
    void stopBackends() {
        ledger.close();
    }

    private ApplicationContextRunner runner() {
        return HttpClientContexts.runner(ledger).withBean(Ledger.class);
    }

    @Test
    void callsStayInTheCallersZone() {
        runner().run(context -> {
            Ledger bean = context.getBean(Ledger.class);
            for (int i = 0; i < 10; i++) {
                assertThat(bean.balance()).isEqualTo("100");
            }
            assertThat(bean.zones()).containsOnly(ZONE_A).hasSize(10);
            assertThat(ledger.requests(ZONE_B, anyRequestedFor(anyUrl()))).isZero();
        });
    }

    @Test
    void whenTheCallersZoneRefusesConnectionsEveryCallSucceedsInTheOtherZone() {
        ledger.stopZone(ZONE_A);
        runner().run(context -> {
            Ledger bean = context.getBean(Ledger.class);
            for (int i = 0; i < 20; i++) {
                assertThat(bean.balance()).as("a refused connection is retried even when not idempotent")
                        .isEqualTo("100");
            }
            assertThat(ledger.requests(ZONE_B, anyRequestedFor(anyUrl()))).isEqualTo(20);
        });
    }

    @Test
    void a503IsRetriedInTheOtherZoneOnlyWhenTheMethodIsIdempotent() {
        ledger.stubZone(ZONE_A, get("/balance").willReturn(serviceUnavailable()));
        runner().run(context -> {
            Ledger bean = context.getBean(Ledger.class);
            assertThatThrownBy(bean::balance).isInstanceOfSatisfying(ServiceCallException.class, e -> {
                assertThat(e.reason()).isEqualTo(ServiceCallException.Reason.NOT_RETRYABLE);
                assertThat(e.getCause()).isInstanceOf(HttpServerErrorException.ServiceUnavailable.class);
                assertThat(e.attempts()).hasSize(1);
            });
            assertThat(ledger.requests(ZONE_B, anyRequestedFor(anyUrl()))).isZero();

            assertThat(bean.idempotentBalance()).isEqualTo("100");
            assertThat(ledger.requests(ZONE_B, anyRequestedFor(anyUrl()))).isEqualTo(1);
        });
    }

    @Test
    void completionStageAndMonoMethodsFailOverAsynchronously() {
        ledger.stopZone(ZONE_A);
        runner().run(context -> {
            Ledger bean = context.getBean(Ledger.class);
            assertThat(bean.balanceLater().get(10, TimeUnit.SECONDS)).isEqualTo("100");
            assertThat(bean.balanceMono().block(Duration.ofSeconds(10))).isEqualTo("100");
            assertThat(ledger.requests(ZONE_B, anyRequestedFor(anyUrl()))).isEqualTo(2);
        });
    }

    @Test
    void aMonoMethodIsLimitedByThePerTryTimeout() {
        ledger.stubZone(ZONE_A, get("/balance").willReturn(aResponse().withBody("late").withFixedDelay(3_000)));
        runner().withPropertyValues("meshless.services.ledger.timeouts.per-try=1s").run(context -> {
            long start = System.nanoTime();
            assertThat(context.getBean(Ledger.class).balanceMono().block(Duration.ofSeconds(10))).isEqualTo("100");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_800));
        });
    }

    @Test
    void whenEveryEndpointIsDownTheCallerGetsTheTypedException() {
        ledger.stopZone(ZONE_A);
        ledger.stopZone(ZONE_B);
        runner().run(context -> assertThatThrownBy(context.getBean(Ledger.class)::balance)
                .isInstanceOfSatisfying(ServiceCallException.class, e -> {
                    assertThat(e.service()).isEqualTo("ledger");
                    assertThat(e.reason()).isEqualTo(ServiceCallException.Reason.ATTEMPTS_EXHAUSTED);
                    assertThat(e.attempts()).hasSize(3);
                }));
    }

    @Test
    void aCheckedExceptionOfTheMethodReachesTheCallerAsItIs() {
        runner().run(context -> {
            Ledger bean = context.getBean(Ledger.class);
            assertThatThrownBy(bean::closedBook).isInstanceOf(BookClosedException.class);
            assertThat(bean.zones()).as("not retried: it says nothing about the endpoint").hasSize(1);
        });
    }

    @Test
    void theAttemptIsBoundOnlyWhileTheMethodRuns() {
        runner().run(context -> {
            Ledger bean = context.getBean(Ledger.class);
            Attempt attempt = bean.attempt();
            assertThat(attempt.number()).isEqualTo(1);
            assertThat(attempt.endpoint().locality().zone()).isEqualTo(ZONE_A);
            assertThat(ZoneAwareContext.isActive()).isFalse();
            assertThatThrownBy(ZoneAwareContext::currentAttempt).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("No @ZoneAware attempt");
        });
    }

    @Test
    void rateLimitedRunsOutsideSoThatRetriesTakeNoExtraPermit() {
        ledger.stopZone(ZONE_A); // every call needs a second attempt
        ApplicationContextRunner limited = runner()
                .withConfiguration(AutoConfigurations.of(RateLimitAutoConfiguration.class,
                        RateLimitAspectAutoConfiguration.class))
                .withPropertyValues("spring.application.name=checkout", "meshless.rate-limit.defaults.period=1h",
                        "meshless.rate-limit.limits.ledger-calls.limit-for-period=1");
        limited.run(context -> {
            Ledger bean = context.getBean(Ledger.class);
            assertThat(bean.limitedBalance()).isEqualTo("100");
            assertThat(bean.zones()).containsExactly(ZONE_A, ZONE_B);
            assertThatThrownBy(bean::limitedBalance).isInstanceOf(RateLimitedException.class);
        });
        limited.withPropertyValues("meshless.zone-aware.aspect.order=-1").run(context -> {
            assertThat(context.getBean(ZoneAwareAspect.class).getOrder()).isEqualTo(-1);
            assertThatThrownBy(context.getBean(Ledger.class)::limitedBalance)
                    .as("inside @ZoneAware, each attempt takes a permit").isInstanceOf(RateLimitedException.class);
        });
    }

    @Test
    void theAspectRunsInsideOtherAdviceByDefaultAndBacksOff() {
        runner().run(context -> assertThat(context.getBean(ZoneAwareAspect.class).getOrder())
                .isEqualTo(Ordered.LOWEST_PRECEDENCE));
        runner().withUserConfiguration(OwnAspect.class)
                .run(context -> assertThat(context).hasSingleBean(ZoneAwareAspect.class)
                        .getBean(ZoneAwareAspect.class).extracting(ZoneAwareAspect::getOrder).isEqualTo(7));
        runner().withPropertyValues("meshless.zone-aware.aspect.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ZoneAwareAspect.class)
                        .doesNotHaveBean(ZoneAwareMethodValidator.class));
    }

    @Test
    void withoutAspectJThereIsNoAspect() {
        runner().withClassLoader(new FilteredClassLoader("org.aspectj"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ZoneAwareAspect.class)
                        .doesNotHaveBean(ZoneAwareMethodValidator.class));
    }

    @Test
    void aFluxMethodStopsStartupNamingIt() {
        HttpClientContexts.runner(ledger).withBean(Streams.class).run(context -> assertThat(context).getFailure()
                .rootCause().asInstanceOf(InstanceOfAssertFactories.type(InvalidMeshlessConfigurationException.class))
                .satisfies(e -> {
                    assertThat(e.property()).isEqualTo("@ZoneAware on " + Streams.class.getName() + ".entries()");
                    assertThat(e.rule()).contains("must return Mono");
                }));
    }

    @Test
    void aMethodWithoutAServiceStopsStartupNamingIt() {
        HttpClientContexts.runner(ledger).withBean(Nameless.class).run(context -> assertThat(context).getFailure()
                .rootCause().asInstanceOf(InstanceOfAssertFactories.type(InvalidMeshlessConfigurationException.class))
                .satisfies(e -> assertThat(e.property())
                        .isEqualTo("@ZoneAware(service) on " + Nameless.class.getName() + ".call()")));
    }

    /** The application's own aspect. */
    @Configuration(proxyBeanMethods = false)
    static class OwnAspect {
        @Bean
        ZoneAwareAspect ownAspect(MeshlessClients clients) {
            return new ZoneAwareAspect(clients, 7);
        }
    }

    @Test
    void aStageOrMonoCancelledOrTimedOutWhileWaitingForAConcurrencySlotLeavesTheLineAndNeverRuns() {
        runner().withBean(Held.class).withPropertyValues("meshless.services.ledger.adaptive-concurrency.enabled=true",
                "meshless.services.ledger.adaptive-concurrency.initial-limit=1",
                "meshless.services.ledger.adaptive-concurrency.min-limit=1",
                "meshless.services.ledger.adaptive-concurrency.max-limit=1",
                "meshless.services.ledger.adaptive-concurrency.max-wait=30s").run(context -> {
                    Held held = context.getBean(Held.class);
                    AdaptiveConcurrencyLimiter limiter = context.getBean(MeshlessClients.class).client("ledger")
                            .concurrencyLimiter();
                    CompletableFuture<String> first = held.later(); // holds the only slot
                    CompletableFuture<String> waiting = held.later();
                    Disposable waitingMono = held.mono().subscribe();
                    CompletableFuture<String> timedOut = held.later();
                    assertThat(limiter.waiting()).isEqualTo(3);

                    waiting.cancel(false);
                    waitingMono.dispose();
                    // What orTimeout does: the caller completes the stage itself with a timeout.
                    timedOut.completeExceptionally(new java.util.concurrent.TimeoutException());

                    assertThat(limiter.waiting()).as("all three left the line").isZero();
                    held.answer().complete("100");
                    assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("100");
                    assertThat(held.runs()).as("none of them ran the method").hasValue(1);
                    assertThat(limiter.inFlight()).isZero();
                });
    }

    /** A method whose answer the test gives, counting its runs (read through methods: the bean is a proxy). */
    static class Held {
        private final CompletableFuture<String> answer = new CompletableFuture<>();
        private final AtomicInteger runs = new AtomicInteger();

        public CompletableFuture<String> answer() {
            return answer;
        }

        public AtomicInteger runs() {
            return runs;
        }

        @ZoneAware("ledger")
        public CompletableFuture<String> later() {
            runs.incrementAndGet();
            return answer;
        }

        @ZoneAware("ledger")
        public Mono<String> mono() {
            runs.incrementAndGet();
            return Mono.fromFuture(answer);
        }
    }

    /** Talks to the ledger by hand, on the endpoint of each attempt. */
    static class Ledger {
        private final AttemptLog attempts = new AttemptLog();
        private final RestClient http = RestClient.create();

        @ZoneAware("ledger")
        public String balance() {
            return http.get().uri(url()).retrieve().body(String.class);
        }

        @ZoneAware(service = "ledger", idempotent = true)
        public String idempotentBalance() {
            return http.get().uri(url()).retrieve().body(String.class);
        }

        @ZoneAware("ledger")
        public CompletableFuture<String> balanceLater() {
            String url = url(); // read on the calling thread, used on another
            return CompletableFuture.supplyAsync(() -> http.get().uri(url).retrieve().body(String.class));
        }

        @ZoneAware(service = "ledger", idempotent = true)
        public Mono<String> balanceMono() {
            return WebClient.create().get().uri(url()).retrieve().bodyToMono(String.class);
        }

        @RateLimited(name = "ledger-calls")
        @ZoneAware("ledger")
        public String limitedBalance() {
            return http.get().uri(url()).retrieve().body(String.class);
        }

        @ZoneAware("ledger")
        public String closedBook() throws BookClosedException {
            url();
            throw new BookClosedException();
        }

        @ZoneAware("ledger")
        public Attempt attempt() {
            return ZoneAwareContext.currentAttempt();
        }

        /** @return the zones the attempts went to, in order (a method: the bean is a proxy) */
        public List<String> zones() {
            return attempts.zones();
        }

        private String url() {
            return attempts.url("/balance");
        }
    }

    /** The caller's own checked failure. */
    static class BookClosedException extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /** A mistake: a stream cannot move to another endpoint once it has emitted. */
    static class Streams {
        @ZoneAware("ledger")
        public Flux<String> entries() {
            return Flux.empty();
        }
    }

    /** A mistake: no service. */
    static class Nameless {
        @ZoneAware
        public String call() {
            return "";
        }
    }
}
