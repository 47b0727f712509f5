package dev.meshless.ratelimit;

import static dev.meshless.testing.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.ratelimit.GlobalRateLimiter.ShareMode;
import dev.meshless.ratelimit.InboundRateLimitSpec.Scope;
import dev.meshless.registry.EndpointRegistry;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.testing.FakeBucketStore;
import dev.meshless.testing.FakeTime;
import dev.meshless.topology.Endpoint;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one mapping of inbound limits onto limiters: layering, scopes, and failures named by their paths. */
class InboundRateLimitsTest {

    private final FakeTime time = new FakeTime();
    private final InboundRateLimitSpec defaults = new InboundRateLimitSpec();
    private final RateLimitInstanceSpec instance = new RateLimitInstanceSpec();
    private final Map<String, InboundRateLimitSpec> limits = new LinkedHashMap<>();
    private EndpointRegistry registry;
    private boolean shadow;

    private InboundRateLimitSpec limit(String name, int limitForPeriod) {
        InboundRateLimitSpec spec = new InboundRateLimitSpec();
        spec.setLimitForPeriod(limitForPeriod);
        limits.put(name, spec);
        return spec;
    }

    private static RateLimitSpec override(Integer limitForPeriod) {
        RateLimitSpec spec = new RateLimitSpec();
        spec.setLimitForPeriod(limitForPeriod);
        return spec;
    }

    private final FakeBucketStore store = new FakeBucketStore();
    private SharedBuckets shared;

    private List<InboundRateLimit> build() {
        return InboundRateLimits.builder().limits(limits).defaults(defaults).instance(instance).shadow(shadow)
                .endpointRegistry(() -> registry).time(time).sharedBuckets(shared).build();
    }

    @Test
    void withASharedStoreAGlobalLimitIsOneBucketPerServiceAndFallsBackToItsExpectedShare() {
        shared = SharedBuckets.builder(store).time(time).build();
        instance.setService("orders");
        instance.setExpectedInstances(4);
        limit("api", 100).setScope(Scope.GLOBAL);

        SharedRateLimiter api = (SharedRateLimiter) only().limiter().orElseThrow();
        api.decide();

        assertThat(store.asked()).containsExactly("orders:api");
        assertThat(api.fallback().limit().limitForPeriod()).isEqualTo(25);
        assertThat(only().mayWait()).as("the reactive filter decides off the event loop").isTrue();
    }

    @Test
    void withASharedStoreAndARegistryTheFallbackFollowsTheRegistryShare() {
        shared = SharedBuckets.builder(store).time(time).build();
        instance.setService("orders");
        instance.setId("orders-1");
        registry = StaticRegistry.of(List.of(instance("orders-1"), instance("orders-2")));
        limit("api", 100).setScope(Scope.GLOBAL);

        SharedRateLimiter api = (SharedRateLimiter) only().limiter().orElseThrow();

        assertThat(((GlobalRateLimiter) api.fallback()).share()).isEqualTo(0.5);
    }

    @Test
    void aPerKeyGlobalLimitHasOneBucketPerKeyOnTheSharedStore() {
        shared = SharedBuckets.builder(store).time(time).build();
        instance.setService("orders");
        InboundRateLimitSpec perUser = limit("per-user", 10);
        perUser.setScope(Scope.PER_KEY_GLOBAL);
        perUser.setOverrides(Map.of("vip", override(100)));

        InboundRateLimit limit = only();
        limit.decide("alice");
        limit.decide(null);

        assertThat(limit.perKeyLimiter()).get().isInstanceOf(SharedKeyedRateLimiter.class);
        assertThat(limit.keyedLimiter()).isEmpty();
        assertThat(limit.limit("vip").limitForPeriod()).isEqualTo(100);
        assertThat(store.asked()).containsExactly("orders:per-user:alice", "orders:per-user:anonymous");
    }

    @Test
    void limitsOnASharedStoreNeedOneAndNeitherWaitNorWarmUp() {
        limit("per-user", 10).setScope(Scope.PER_KEY_GLOBAL);
        assertInvalid(this::build, "limits[per-user].scope", Scope.PER_KEY_GLOBAL, "needs a shared store (Redis:"
                + " add meshless-ratelimit-redis and configure it) to count each key across the service; use scope"
                + " per-key to count on each instance");

        shared = SharedBuckets.builder(store).time(time).build();
        instance.setService("orders");
        defaults.setTimeout(Duration.ofMillis(10));
        assertInvalid(this::build, "defaults.timeout", Duration.ofMillis(10), "must be 0s for a global limit: its"
                + " decisions never wait for a permit");

        defaults.setTimeout(null);
        limits.get("per-user").setWarmUp(Duration.ofSeconds(10));
        assertInvalid(this::build, "limits[per-user].warmUp", Duration.ofSeconds(10), "must be 0s for a"
                + " global limit, which has no warm-up ramp");

        limits.get("per-user").setWarmUp(null);
        instance.setService(null);
        assertInvalid(this::build, "instance.service", null, "is required by limit 'per-user' on a"
                + " shared store: it names the limit's buckets there");
    }

    private InboundRateLimit only() {
        return build().get(0);
    }

    @Test
    void aLimitTakesWhatItLeavesOutFromTheDefaults() {
        defaults.setPeriod(Duration.ofMinutes(1));
        defaults.setTimeout(Duration.ofMillis(50));
        limit("api", 10).setTimeout(Duration.ZERO);

        InboundRateLimit api = only();

        assertThat(api.name()).isEqualTo("api");
        assertThat(api.limiter()).get().isInstanceOf(LocalRateLimiter.class);
        assertThat(api.limit(null).period()).isEqualTo(Duration.ofMinutes(1));
        assertThat(api.limit(null).timeout()).isZero();
        assertThat(api.service()).isEqualTo(InboundRateLimits.UNNAMED_SERVICE);
    }

    @Test
    void aBurstBelongsToTheRateItWasGivenWith() {
        defaults.setLimitForPeriod(100);
        defaults.setBurst(50);
        limit("own-rate", 10);
        limits.put("default-rate", new InboundRateLimitSpec());

        List<InboundRateLimit> built = build();

        assertThat(built.get(0).limit(null).burst()).as("own rate, no burst: the whole rate at once").isEqualTo(10);
        assertThat(built.get(1).limit(null).burst()).as("the defaults' rate with their burst").isEqualTo(50);
    }

    @Test
    void anOverrideIsLayeredOverItsLimitWithItsOwnBurst() {
        InboundRateLimitSpec perUser = limit("per-user", 10);
        perUser.setScope(Scope.PER_KEY);
        perUser.setBurst(2);
        perUser.setPeriod(Duration.ofMinutes(1));
        perUser.setShadow(true);
        RateLimitSpec vip = override(1_000);
        RateLimitSpec capped = override(500);
        capped.setBurst(100);
        perUser.setOverrides(Map.of("vip", vip, "capped", capped));

        KeyedRateLimiter keyed = only().keyedLimiter().orElseThrow();

        RateLimit big = keyed.limitFor("vip");
        assertThat(big.name()).as("metrics count keys under the limit's name").isEqualTo("per-user");
        assertThat(big.limitForPeriod()).isEqualTo(1_000);
        assertThat(big.burst()).as("its own rate at once, not the limit's burst").isEqualTo(1_000);
        assertThat(big.period()).isEqualTo(Duration.ofMinutes(1));
        assertThat(big.shadow()).isTrue();
        assertThat(keyed.limitFor("capped").burst()).isEqualTo(100);
        assertThat(keyed.limitFor("anyone-else").limitForPeriod()).isEqualTo(10);
    }

    @Test
    void perKeySettingsInTheDefaultsWaitForPerKeyLimits() {
        defaults.setMaxKeys(5_000);
        defaults.setOverrides(Map.of("vip", override(100)));
        limit("api", 10);
        limit("per-user", 10).setScope(Scope.PER_KEY);

        List<InboundRateLimit> built = build();

        assertThat(built.get(0).isKeyed()).isFalse();
        assertThat(built.get(1).keyedLimiter().orElseThrow().limitFor("vip").limitForPeriod()).isEqualTo(100);
    }

    @Test
    void theSectionsShadowSwitchPutsEveryLimitAndOverrideInShadowMode() {
        shadow = true;
        InboundRateLimitSpec perUser = limit("per-user", 10);
        perUser.setScope(Scope.PER_KEY);
        perUser.setOverrides(Map.of("vip", override(100)));
        limit("api", 10).setShadow(false);

        List<InboundRateLimit> built = build();

        assertThat(built.get(0).limit("vip").shadow()).isTrue();
        assertThat(built.get(0).limit("someone").shadow()).isTrue();
        assertThat(built.get(1).limit(null).shadow()).isTrue();
    }

    @Test
    void aGlobalLimitSharesTheLimitBetweenTheInstancesOfTheService() {
        registry = StaticRegistry.of(List.of(instance("orders-1"), instance("orders-2")));
        instance.setService("orders");
        instance.setId("orders-1");
        limit("all", 100).setScope(Scope.GLOBAL);

        InboundRateLimit all = only();

        assertThat(all.service()).isEqualTo("orders");
        assertThat(((GlobalRateLimiter) all.limiter().orElseThrow()).share()).isEqualTo(0.5);
        assertThat(all.limit(null).limitForPeriod()).isEqualTo(50);
    }

    @Test
    void whenALimitFailsTheGlobalLimitsAlreadyStartedStopFollowingTheRegistry() {
        AtomicInteger open = new AtomicInteger();
        StaticRegistry instances = StaticRegistry.of(List.of(instance("orders-1")));
        registry = (service, listener) -> {
            open.incrementAndGet();
            var subscription = instances.subscribe(service, listener);
            return () -> {
                open.decrementAndGet();
                subscription.close();
            };
        };
        instance.setService("orders");
        instance.setId("orders-1");
        limit("all", 100).setScope(Scope.GLOBAL);
        limit("broken", 0);

        assertThatThrownBy(this::build).isInstanceOf(InvalidConfigurationException.class);
        assertThat(open).hasValue(0);
    }

    @Test
    void aLimitsOwnMistakeIsNamedInItsSection() {
        limit("api", 10).setBurst(20);
        assertInvalid(this::build, "limits[api].burst", 20, "must be between 1 and the limit for period (10)");
    }

    @Test
    void aMissingLimitIsNamedInTheLimitsSection() {
        limits.put("api", new InboundRateLimitSpec());
        assertInvalid(this::build, "limits[api].limitForPeriod", null, "is required: the permits per period, at"
                + " least 1");
    }

    @Test
    void aMistakeInTheDefaultsIsNamedInTheDefaults() {
        defaults.setPeriod(Duration.ZERO);
        limit("api", 10);
        assertInvalid(this::build, "defaults.period", Duration.ZERO, "must be at least 1ms");
    }

    @Test
    void perKeySettingsOfALimitOfAnotherScopeAreRejected() {
        limit("api", 10).setOverrides(Map.of("vip", override(100)));
        assertInvalid(this::build, "limits[api].overrides", "vip", "applies only to scopes per-key and"
                + " per-key-global, and this limit's scope is local");
        limits.clear();
        InboundRateLimitSpec global = limit("api", 10);
        global.setScope(Scope.GLOBAL);
        global.setMaxKeys(1_000);
        assertInvalid(this::build, "limits[api].maxKeys", 1_000, "applies only to scopes per-key and"
                + " per-key-global, and this limit's scope is global");
    }

    @Test
    void anOverrideMistakeIsNamedByItsKey() {
        InboundRateLimitSpec api = limit("api", 10);
        api.setScope(Scope.PER_KEY);
        RateLimitSpec vip = override(100);
        vip.setBurst(500);
        api.setOverrides(Map.of("vip", vip));
        assertInvalid(this::build, "limits[api].overrides[vip].burst", 500, "must be between 1 and the limit for"
                + " period (100)");

        RateLimitSpec noLimit = override(null);
        noLimit.setPeriod(Duration.ofMinutes(1));
        api.setOverrides(Map.of("vip", noLimit));
        assertInvalid(this::build, "limits[api].overrides[vip].limitForPeriod", null, "is required: the key's permits"
                + " per period, at least 1");

        // A key changes its rate only: waiting would block the reactive filter's event loop, which
        // decides inline when the limit itself never waits.
        RateLimitSpec waits = override(100);
        waits.setTimeout(Duration.ofSeconds(2));
        api.setOverrides(Map.of("vip", waits));
        assertInvalid(this::build, "limits[api].overrides[vip].timeout", Duration.ofSeconds(2), "applies to the"
                + " whole limit, not to one key's override: set it on the limit");
    }

    @Test
    void tooFewKeysAreNamedWhereTheyAreSet() {
        limit("api", 10).setScope(Scope.PER_KEY);
        defaults.setMaxKeys(10);
        assertInvalid(this::build, "defaults.maxKeys", 10, "must be at least 64");
        limits.get("api").setMaxKeys(20);
        assertInvalid(this::build, "limits[api].maxKeys", 20, "must be at least 64");
    }

    @Test
    void aGlobalLimitNeedsARegistryAndThisInstancesIdentity() {
        defaults.setScope(Scope.GLOBAL);
        limit("api", 10);
        InvalidConfigurationException noRegistry = assertThrows(InvalidConfigurationException.class, this::build);
        assertThat(noRegistry.path()).as("the scope came from the defaults").isEqualTo("defaults.scope");
        assertThat(noRegistry.value()).isEqualTo(Scope.GLOBAL);
        assertThat(noRegistry.rule()).startsWith("needs an EndpointRegistry");

        registry = StaticRegistry.builder().build();
        assertInvalid(this::build, "instance.service", null, "is required by global limit 'api': this service's"
                + " name in the registry");
        instance.setService("orders");
        assertInvalid(this::build, "instance.id", null, "is required by global limit 'api': this instance's"
                + " endpoint id in the registry");
        instance.setId("orders-1");
        instance.setExpectedInstances(0);
        assertInvalid(this::build, "instance.expectedInstances", 0, "must be at least 1");
        instance.setExpectedInstances(2);
        limits.get("api").setShare(ShareMode.WEIGHTED);
        assertThat(((GlobalRateLimiter) only().limiter().orElseThrow()).share())
                .as("before the registry lists an instance: 1 / expected instances").isEqualTo(0.5);
    }

    @Test
    void aBlankNameIsRejected() {
        limit(" ", 10);
        assertInvalid(this::build, "limits", " ", "must name every limit: a blank name cannot appear in metrics,"
                + " rejections and @RateLimited");
    }

    @Test
    void theBuiltInSpecificationStatesEveryDefaultAndMapsOntoTheDefaults() {
        InboundRateLimitSpec builtIn = InboundRateLimitSpec.builtIn();
        limit("api", 10);

        RateLimit api = InboundRateLimits.builder().limits(limits).defaults(builtIn).build().get(0).limit(null);

        assertThat(api).isEqualTo(RateLimit.builder("api").limitForPeriod(10).build());
        assertThat(builtIn.getScope()).isEqualTo(Scope.LOCAL);
        assertThat(builtIn.getShare()).isEqualTo(ShareMode.EVEN);
        assertThat(builtIn.getMaxKeys()).isEqualTo(KeyedRateLimiter.DEFAULT_MAX_KEYS);
        assertThat(RateLimitInstanceSpec.builtIn().getExpectedInstances()).isEqualTo(1);
    }

    private static Endpoint instance(String id) {
        return Endpoint.builder("orders", id).address("10.0.0." + id.charAt(id.length() - 1), 8080)
                .locality("r1", "z1").build();
    }
}
