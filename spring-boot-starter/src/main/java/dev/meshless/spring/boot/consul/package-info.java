/**
 * Consul as a Meshless registry source in Spring Boot, configured under {@code meshless.consul}:
 * the multi-datacenter {@link dev.meshless.consul.ConsulRegistry} merged into the application's
 * registry, self-registration of the running instance, its views in the actuator and its meters in
 * Micrometer. Active when {@code meshless-discovery-consul} is on the class path.
 */
package dev.meshless.spring.boot.consul;
