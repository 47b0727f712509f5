package dev.meshless.ratelimit;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.config.Specs;
import dev.meshless.config.Values;
import dev.meshless.ratelimit.GlobalRateLimiter.ShareMode;
import java.util.Map;

/**
 * A named limit on what this service receives, as configuration gives it: a {@link RateLimitSpec}
 * and how far it reaches (this instance, the whole service, or each key value). Every setting is
 * nullable (not set). The defaults of all limits have this shape too: a limit is layered over them
 * with {@link Specs#merge}, and a per-key override, a {@link RateLimitSpec}, over its limit; where a
 * layer sets {@code limitForPeriod} but no {@code burst}, its burst is its own limit for period,
 * never a burst meant for another rate. {@link InboundRateLimits} maps limits onto limiters and
 * checks every value once.
 */
public class InboundRateLimitSpec extends RateLimitSpec {

    /**
     * How far the limit reaches: local (this instance), global (the whole service: exact on Redis when
     * meshless-ratelimit-redis is set up, else each instance enforcing its share), per-key (each key
     * value separately, on this instance) or per-key-global (each key value across the whole service,
     * on Redis).
     */
    private Scope scope;

    /**
     * For a global limit: this instance's share is even (1 / healthy instances) or weighted (its
     * registry weight over theirs).
     */
    private ShareMode share;

    /**
     * For a per-key limit: other rates for chosen key values (a VIP tenant), by key value. Each sets
     * limit-for-period (required), period and burst, layered over this limit, whose timeout, warm-up
     * and shadow mode it keeps. Requests without a key count under the key 'anonymous', which may
     * have an override too.
     */
    private Map<String, RateLimitSpec> overrides;

    /**
     * For a per-key limit: the most keys tracked at once on this instance (least recently used beyond
     * it); at least 64. For per-key-global, the keys its fallback tracks while Redis is unavailable.
     */
    private Integer maxKeys;

    /** How far a limit reaches. */
    public enum Scope {
        /** This instance alone. */
        LOCAL,
        /**
         * The whole service: one bucket on a shared store (Redis) when there is one, falling back to
         * this instance's share while it is unavailable; without a store, each instance enforces its
         * share, following the registry.
         */
        GLOBAL,
        /** Each key value (user, tenant, API key) separately, on this instance. */
        PER_KEY,
        /**
         * Each key value separately across the whole service: one bucket per key on a shared store
         * (Redis), falling back to this instance's share of each key's limit while it is unavailable.
         */
        PER_KEY_GLOBAL;

        /** @return whether the limit counts each key value separately */
        public boolean isPerKey() {
            return this == PER_KEY || this == PER_KEY_GLOBAL;
        }
    }

    /** Creates a specification that sets nothing. */
    public InboundRateLimitSpec() {
    }

    /** @return how far the limit reaches; {@code null} when not set */
    public Scope getScope() {
        return scope;
    }

    /** @param scope how far the limit reaches */
    public void setScope(Scope scope) {
        this.scope = scope;
    }

    /** @return how a global limit is shared between instances; {@code null} when not set */
    public ShareMode getShare() {
        return share;
    }

    /** @param share how a global limit is shared between instances */
    public void setShare(ShareMode share) {
        this.share = share;
    }

    /** @return other limits for chosen key values, by key value; {@code null} when not set */
    public Map<String, RateLimitSpec> getOverrides() {
        return overrides;
    }

    /** @param overrides other limits for chosen key values, by key value */
    public void setOverrides(Map<String, RateLimitSpec> overrides) {
        this.overrides = overrides;
    }

    /** @return the most keys a per-key limit tracks at once; at least 64; {@code null} when not set */
    public Integer getMaxKeys() {
        return maxKeys;
    }

    /** @param maxKeys the most keys a per-key limit tracks at once; at least 64 */
    public void setMaxKeys(Integer maxKeys) {
        this.maxKeys = maxKeys;
    }

    /** @return the scope in force: the one set, else local */
    public Scope scopeInForce() {
        return scope != null ? scope : Scope.LOCAL;
    }

    /**
     * Rejects a setting that only a per-key limit reads, given to a limit of another scope: one rule,
     * in one wording, for every such setting (core's and an integration's own, such as a key source).
     *
     * @param path the setting's path in this specification, for example {@code maxKeys}
     * @param value what the limit itself sets there, or {@code null} when it sets nothing
     * @throws InvalidConfigurationException when the value is set and the scope in force is not per-key
     */
    public void checkPerKeyOnly(String path, Object value) {
        if (value != null && !scopeInForce().isPerKey()) {
            throw new InvalidConfigurationException(path, value, "applies only to scopes per-key and per-key-global,"
                    + " and this limit's scope is " + Values.describe(scopeInForce()));
        }
    }

    /** @return every setting at Meshless's default; no limit for period, which has none */
    public static InboundRateLimitSpec builtIn() {
        // The rate settings' built-in values, in a specification of this type.
        InboundRateLimitSpec s = (InboundRateLimitSpec) Specs.merge(new InboundRateLimitSpec(), RateLimitSpec.builtIn());
        s.scope = Scope.LOCAL;
        s.share = ShareMode.EVEN;
        s.maxKeys = KeyedRateLimiter.DEFAULT_MAX_KEYS;
        return s;
    }
}
