package org.springframework.cloud.consul.serviceregistry;

/**
 * A stand-in with the name of Spring Cloud Consul's auto-registration bean type, so that tests can
 * show Meshless's self-registration backing off for it without bringing Spring Cloud Consul (whose
 * auto-configuration would then try to reach an agent in every other test of this module).
 */
public class ConsulAutoServiceRegistration {
}
