package org.springframework.cloud.consul.discovery;

import java.util.List;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * A stand-in with the name of Spring Cloud Consul's discovery client, listing fixed instances, so
 * that tests can show the discovery-client source leaving it out while Meshless reads Consul itself.
 */
public class ConsulDiscoveryClient implements DiscoveryClient {

    private final List<ServiceInstance> instances;

    /** @param instances what every service lists */
    public ConsulDiscoveryClient(List<ServiceInstance> instances) {
        this.instances = instances;
    }

    @Override
    public String description() {
        return "Spring Cloud Consul Discovery Client (test stand-in)";
    }

    @Override
    public List<ServiceInstance> getInstances(String serviceId) {
        return instances.stream().filter(i -> i.getServiceId().equals(serviceId)).toList();
    }

    @Override
    public List<String> getServices() {
        return instances.stream().map(ServiceInstance::getServiceId).distinct().toList();
    }
}
