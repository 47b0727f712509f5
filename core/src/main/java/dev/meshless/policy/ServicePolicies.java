package dev.meshless.policy;

import dev.meshless.balancer.LoadBalancingPolicy;
import dev.meshless.call.CallPolicy;
import dev.meshless.ratelimit.RateLimit;
import java.util.Objects;

/**
 * The policies in force for one service, built from a {@link PolicySpec} and checked.
 *
 * @param service the service, or {@code null} for the defaults alone
 * @param balancing how its traffic is split
 * @param call how its calls survive failures
 * @param outboundRateLimit the limit on calls to it, or {@code null} for none
 * @param outboundGlobal whether that limit is for every instance of the caller's service together
 */
public record ServicePolicies(String service, LoadBalancingPolicy balancing, CallPolicy call,
                              RateLimit outboundRateLimit, boolean outboundGlobal) {

    /** Checks the policies are there. */
    public ServicePolicies {
        Objects.requireNonNull(balancing, "balancing");
        Objects.requireNonNull(call, "call");
    }
}
