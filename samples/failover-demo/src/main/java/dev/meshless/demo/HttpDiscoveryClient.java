package dev.meshless.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A Spring Cloud {@link DiscoveryClient} for the {@link DemoRegistry}: instances with their zone
 * and region in metadata, as Consul, Eureka or Kubernetes discovery clients give them. When the
 * registry does not answer it throws, as those clients do.
 */
public final class HttpDiscoveryClient implements DiscoveryClient {

    private final String registryUrl;
    // Generous: a registry that is down refuses at once; one that answers slowly on a busy machine at start-up
    // must not leave a caller without instances (the spring-cloud caller fetches them once, see SpringCloudSettings).
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ObjectMapper json = new ObjectMapper();

    /** @param registryUrl the registry's base URL */
    public HttpDiscoveryClient(String registryUrl) {
        this.registryUrl = registryUrl;
    }

    @Override
    public String description() {
        return "demo registry at " + registryUrl;
    }

    @Override
    public List<ServiceInstance> getInstances(String serviceId) {
        List<ServiceInstance> instances = new ArrayList<>();
        for (JsonNode i : get("/services/" + serviceId)) {
            instances.add(new DefaultServiceInstance(i.get("id").asString(), serviceId, i.get("host").asString(),
                    i.get("port").asInt(), false, Map.of("zone", i.get("zone").asString(),
                    "region", i.get("region").asString())));
        }
        return instances;
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(registryUrl + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return json.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the registry", e);
        } catch (Exception e) {
            throw new IllegalStateException("the registry at " + registryUrl + " does not answer: " + e, e);
        }
    }

    @Override
    public List<String> getServices() {
        List<String> names = new ArrayList<>();
        get("/services").forEach(n -> names.add(n.asString()));
        return names;
    }
}
