package dev.meshless.spring.boot.config;

import dev.meshless.balancer.LoadBalancingPolicy;
import dev.meshless.call.CallPolicy;
import dev.meshless.ratelimit.RateLimit;

/**
 * The policies in force for one service, resolved from {@code meshless.services.<name>} over
 * {@code meshless.defaults} over Meshless's defaults, and checked.
 *
 * @param service the service
 * @param balancing how its traffic is split
 * @param call how its calls survive failures
 * @param outboundRateLimit the limit on calls to it, or {@code null} for none
 */
public record ServicePolicies(String service, LoadBalancingPolicy balancing, CallPolicy call,
                              RateLimit outboundRateLimit) {
}
