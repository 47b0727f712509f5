package dev.meshless.spring.boot.http;

import java.util.List;
import java.util.function.Supplier;

/**
 * Keeps exactly one balancer in a client's chain of interceptors (RestClient, RestTemplate) or
 * filters (WebClient): Meshless's ({@link MeshlessClientHttpRequestInterceptor},
 * {@link MeshlessExchangeFilterFunction}) or Spring Cloud LoadBalancer's (the interceptors and filters
 * of {@code org.springframework.cloud.client.loadbalancer}, recognised by their package so that this
 * class needs no Spring Cloud on the class path). Two would stack: the first rewrites the URL's host,
 * a service name, to an endpoint's address, and the second then looks for a service of that name
 * ({@code No instances available for 127.0.0.1}). Stateless.
 */
public final class ClientBalancers {

    private static final String SPRING_CLOUD = "org.springframework.cloud.client.loadbalancer.";

    private ClientBalancers() {
    }

    /**
     * @param interceptorOrFilter an element of a client's chain
     * @return whether it is one of Spring Cloud LoadBalancer's interceptors or filters
     */
    public static boolean isSpringCloud(Object interceptorOrFilter) {
        return interceptorOrFilter.getClass().getName().startsWith(SPRING_CLOUD);
    }

    /**
     * Makes Meshless's element the chain's balancer: Spring Cloud's leave, and Meshless's is added
     * (or moved) last, so that the application's own interceptors or filters run once per call and
     * each attempt goes straight to the transport.
     *
     * @param chain a client's interceptors or filters, changed in place
     * @param meshless Meshless's interceptor or filter
     * @param <T> the element type
     * @return whether a Spring Cloud balancer was taken out
     */
    public static <T> boolean takeOver(List<T> chain, T meshless) {
        boolean tookOver = chain.removeIf(ClientBalancers::isSpringCloud);
        chain.removeIf(meshless.getClass()::isInstance);
        chain.add(meshless);
        return tookOver;
    }

    /**
     * Leaves a client that carries Spring Cloud's balancer to Spring Cloud, taking Meshless's out;
     * otherwise adds Meshless's, last, when one is given and it is not there yet.
     *
     * @param chain a client's interceptors or filters, changed in place
     * @param type the type of Meshless's interceptor or filter
     * @param meshless gives the one to add when Spring Cloud does not balance the client, or
     *     {@code null} to add none (asked for only when it is added)
     * @param <T> the element type
     * @return whether the chain changed
     */
    static <T> boolean settle(List<T> chain, Class<? extends T> type, Supplier<? extends T> meshless) {
        if (chain.stream().anyMatch(ClientBalancers::isSpringCloud)) {
            return chain.removeIf(type::isInstance);
        }
        return meshless != null && chain.stream().noneMatch(type::isInstance) && chain.add(meshless.get());
    }
}
