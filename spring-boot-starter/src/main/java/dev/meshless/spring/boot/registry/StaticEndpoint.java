package dev.meshless.spring.boot.registry;

import dev.meshless.topology.HealthStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/** One endpoint of the static registry. */
public class StaticEndpoint {

    /** Stable id, unique within the service; defaults to {@code host:port}. */
    private String id;

    /** Host name or IP address. */
    private String host;

    /** TCP port, 1 to 65535. */
    private int port;

    /** Region of the endpoint. */
    private String region;

    /** Zone of the endpoint. */
    private String zone;

    /** Sub-zone of the endpoint (optional). */
    private String subZone;

    /** Relative weight, 1 to 1 000 000. */
    private int weight = 1;

    /** Health as a registry would report it: passing, warning or critical. */
    private HealthStatus health = HealthStatus.PASSING;

    /** Free-form metadata. */
    private Map<String, String> metadata = new LinkedHashMap<>();

    /** @return the id, or {@code null} */
    public String getId() {
        return id;
    }

    /** @param id the id */
    public void setId(String id) {
        this.id = id;
    }

    /** @return the host */
    public String getHost() {
        return host;
    }

    /** @param host the host */
    public void setHost(String host) {
        this.host = host;
    }

    /** @return the port */
    public int getPort() {
        return port;
    }

    /** @param port the port */
    public void setPort(int port) {
        this.port = port;
    }

    /** @return the region */
    public String getRegion() {
        return region;
    }

    /** @param region the region */
    public void setRegion(String region) {
        this.region = region;
    }

    /** @return the zone */
    public String getZone() {
        return zone;
    }

    /** @param zone the zone */
    public void setZone(String zone) {
        this.zone = zone;
    }

    /** @return the sub-zone */
    public String getSubZone() {
        return subZone;
    }

    /** @param subZone the sub-zone */
    public void setSubZone(String subZone) {
        this.subZone = subZone;
    }

    /** @return the weight */
    public int getWeight() {
        return weight;
    }

    /** @param weight the weight */
    public void setWeight(int weight) {
        this.weight = weight;
    }

    /** @return the health */
    public HealthStatus getHealth() {
        return health;
    }

    /** @param health the health */
    public void setHealth(HealthStatus health) {
        this.health = health;
    }

    /** @return the metadata */
    public Map<String, String> getMetadata() {
        return metadata;
    }

    /** @param metadata the metadata */
    public void setMetadata(Map<String, String> metadata) {
        this.metadata = metadata;
    }
}
