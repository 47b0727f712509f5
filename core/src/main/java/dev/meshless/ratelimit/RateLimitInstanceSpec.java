package dev.meshless.ratelimit;

import dev.meshless.config.Spec;

/**
 * This instance, as inbound limits see it: the service named in rejections, and the identity a
 * global limit looks for in the registry to find its share. Every setting nullable (not set); an
 * integration layers its own fallbacks underneath with {@link dev.meshless.config.Specs#merge} (the
 * Spring Boot starter: {@code meshless.service}, then {@code spring.application.name}, and
 * {@code meshless.instance-id}).
 */
public class RateLimitInstanceSpec implements Spec {

    /**
     * This service's name in the registry, also reported in rejections. Spring Boot defaults it to
     * 'meshless.service', then 'spring.application.name'.
     */
    private String service;

    /**
     * This instance's endpoint id in the registry, required by global limits. Spring Boot defaults it
     * to 'meshless.instance-id'.
     */
    private String id;

    /**
     * Instances assumed before the registry first answers: until then each enforces
     * 1/expected-instances of a global limit; at least 1.
     */
    private Integer expectedInstances;

    /** Creates a specification that sets nothing. */
    public RateLimitInstanceSpec() {
    }

    /** @return this service's name in the registry; {@code null} when not set */
    public String getService() {
        return service;
    }

    /** @param service this service's name in the registry */
    public void setService(String service) {
        this.service = service;
    }

    /** @return this instance's endpoint id in the registry; {@code null} when not set */
    public String getId() {
        return id;
    }

    /** @param id this instance's endpoint id in the registry */
    public void setId(String id) {
        this.id = id;
    }

    /** @return instances assumed before the registry first answers; at least 1; {@code null} when not set */
    public Integer getExpectedInstances() {
        return expectedInstances;
    }

    /** @param expectedInstances instances assumed before the registry first answers; at least 1 */
    public void setExpectedInstances(Integer expectedInstances) {
        this.expectedInstances = expectedInstances;
    }

    /** @return every setting at Meshless's default: one expected instance, no name or id */
    public static RateLimitInstanceSpec builtIn() {
        RateLimitInstanceSpec s = new RateLimitInstanceSpec();
        s.expectedInstances = 1;
        return s;
    }
}
