package dev.meshless.ratelimit;

import dev.meshless.config.Specs;

/**
 * A limit on calls this instance makes to one service, as configuration gives it: a
 * {@link RateLimitSpec} and how far it reaches. Every setting nullable (not set).
 */
public class OutboundRateLimitSpec extends RateLimitSpec {

    /**
     * How far the limit reaches: local (this instance's calls) or global (the calls of every instance
     * of this service together: exact on Redis when meshless-ratelimit-redis is set up, else each
     * instance enforcing its registry share). A global limit neither waits nor warms up.
     */
    private Scope scope;

    /** How far an outbound limit reaches. */
    public enum Scope {
        /** This instance's calls alone. */
        LOCAL,
        /** The calls of every instance of this service together. */
        GLOBAL
    }

    /** Creates a specification that sets nothing. */
    public OutboundRateLimitSpec() {
    }

    /** @return how far the limit reaches; {@code null} when not set */
    public Scope getScope() {
        return scope;
    }

    /** @param scope how far the limit reaches */
    public void setScope(Scope scope) {
        this.scope = scope;
    }

    /** @return every setting at Meshless's default; no limit for period, which has none */
    public static OutboundRateLimitSpec builtIn() {
        OutboundRateLimitSpec s = (OutboundRateLimitSpec) Specs.merge(new OutboundRateLimitSpec(),
                RateLimitSpec.builtIn());
        s.scope = Scope.LOCAL;
        return s;
    }
}
