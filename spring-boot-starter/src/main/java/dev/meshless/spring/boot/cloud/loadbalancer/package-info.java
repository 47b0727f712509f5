/**
 * The Spring Cloud LoadBalancer bridge: a {@code ReactorServiceInstanceLoadBalancer} backed by the
 * Meshless picker, a {@code ServiceInstanceListSupplier} backed by the Meshless plan, and a
 * {@code LoadBalancerLifecycle} that reports the outcome of every call back to Meshless. Configured
 * under {@code meshless.loadbalancer}.
 */
package dev.meshless.spring.boot.cloud.loadbalancer;
