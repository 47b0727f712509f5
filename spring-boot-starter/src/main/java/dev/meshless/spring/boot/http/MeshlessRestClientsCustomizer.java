package dev.meshless.spring.boot.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * Adds the {@link MeshlessClientHttpRequestInterceptor} to every {@code RestClient.Builder} and
 * every {@code RestTemplate} built by Spring Boot's {@code RestTemplateBuilder} (and to the
 * clients of {@code @ImportHttpServices} groups), last, so that the application's own interceptors
 * run once per call and each attempt goes straight to the request factory. A builder that already
 * has it is left as it is, and so is one that carries Spring Cloud LoadBalancer's interceptor (a
 * {@code @LoadBalanced RestTemplateBuilder}): Spring Cloud balances it, with Meshless's picker
 * through the LoadBalancer bridge. Thread-safe.
 */
public final class MeshlessRestClientsCustomizer implements RestClientCustomizer, RestTemplateCustomizer {

    private final MeshlessClientHttpRequestInterceptor interceptor;

    /** @param interceptor the interceptor to add */
    public MeshlessRestClientsCustomizer(MeshlessClientHttpRequestInterceptor interceptor) {
        this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
    }

    @Override
    public void customize(RestClient.Builder builder) {
        builder.requestInterceptors(this::addTo);
    }

    @Override
    public void customize(RestTemplate restTemplate) {
        List<ClientHttpRequestInterceptor> interceptors = new ArrayList<>(restTemplate.getInterceptors());
        if (addTo(interceptors)) {
            restTemplate.setInterceptors(interceptors);
        }
    }

    /**
     * @param interceptors a client's interceptors, changed in place
     * @return whether they changed
     */
    boolean addTo(List<ClientHttpRequestInterceptor> interceptors) {
        return ClientBalancers.settle(interceptors, MeshlessClientHttpRequestInterceptor.class, () -> interceptor);
    }
}
