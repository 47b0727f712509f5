package dev.meshless.spring.boot.config;

import dev.meshless.balancer.LoadBalancingPolicy;
import dev.meshless.call.CallPolicy;
import dev.meshless.ratelimit.RateLimit;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The policies in force for one service, resolved from {@code meshless.services.<name>} over
 * {@code meshless.defaults} over Meshless's defaults, and checked.
 *
 * @param service the service
 * @param balancing how its traffic is split
 * @param call how its calls survive failures
 * @param outboundRateLimit the limit on calls to it, or {@code null} for none
 * @param retryableStatuses the HTTP failure statuses that are retried
 */
public record ServicePolicies(String service, LoadBalancingPolicy balancing, CallPolicy call,
                              RateLimit outboundRateLimit, Set<Integer> retryableStatuses) {

    /** Copies the statuses, keeping their order. */
    public ServicePolicies {
        retryableStatuses = Collections.unmodifiableSet(new LinkedHashSet<>(retryableStatuses));
    }
}
