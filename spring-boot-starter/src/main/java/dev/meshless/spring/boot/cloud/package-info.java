/**
 * Spring Cloud integration: the LoadBalancer bridge ({@code loadbalancer}), through which
 * {@code @LoadBalanced} clients and OpenFeign pick with Meshless and report their outcomes to it, and
 * a registry source that reads a Spring Cloud {@code DiscoveryClient} ({@code discovery}). Each part
 * is auto-configured only when its Spring Cloud module is on the class path.
 */
package dev.meshless.spring.boot.cloud;
