/**
 * A Meshless registry source that reads a Spring Cloud {@code DiscoveryClient}, configured under
 * {@code meshless.registry.discovery-client}.
 */
package dev.meshless.spring.boot.cloud.discovery;
