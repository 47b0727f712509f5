package dev.meshless.spring.boot.http;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.client.loadbalancer.RestTemplateCustomizer;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Gives every {@code RestClient.Builder}, {@code WebClient.Builder} and {@code RestTemplate} bean
 * exactly one balancer, where Spring Cloud's {@code @LoadBalanced} is in play:
 * <ul>
 *   <li>a client that Spring Cloud LoadBalancer balances — its interceptor or filter is on the
 *       client, or, for a {@code @LoadBalanced RestTemplate}, Spring Cloud adds it once the
 *       singletons exist — loses Meshless's interceptor or filter, which Spring Boot's builders
 *       gave it: Meshless acts on it through the LoadBalancer bridge;</li>
 *   <li>a {@code @LoadBalanced} client that nothing of Spring Cloud balances
 *       (spring-cloud-loadbalancer is not on the class path) gets Meshless's, so that it is
 *       balanced still — unless {@code meshless.zone-aware.http-clients.enabled=false}.</li>
 * </ul>
 * Other beans are left as they are. Spring Cloud's own post-processors add its interceptor and filter
 * before initialisation; this one looks after it. Runs on the threads that create beans.
 */
final class LoadBalancedClients implements BeanPostProcessor {

    private static final boolean WEBFLUX = ClassUtils.isPresent(
            "org.springframework.web.reactive.function.client.WebClient", LoadBalancedClients.class.getClassLoader());

    private final ConfigurableListableBeanFactory beanFactory;
    private final boolean adopt;

    /**
     * @param beanFactory where the annotations of beans, Spring Cloud's customizers and Meshless's
     *     interceptor and filter are found (these only when one is added: a builder that a
     *     registry source needs may be made while Meshless's clients are)
     * @param adopt whether Meshless balances {@code @LoadBalanced} clients that Spring Cloud does not
     */
    LoadBalancedClients(ConfigurableListableBeanFactory beanFactory, boolean adopt) {
        this.beanFactory = beanFactory;
        this.adopt = adopt;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String name) {
        if (bean instanceof RestClient.Builder builder) {
            Supplier<MeshlessClientHttpRequestInterceptor> add =
                    adopt && isLoadBalanced(name) ? this::interceptor : null;
            builder.requestInterceptors(chain ->
                    ClientBalancers.settle(chain, MeshlessClientHttpRequestInterceptor.class, add));
        } else if (bean instanceof RestTemplate template) {
            settle(template, isLoadBalanced(name));
        } else if (WEBFLUX && Reactive.isBuilder(bean)) {
            Reactive.settle(bean, adopt && isLoadBalanced(name), beanFactory);
        }
        return bean;
    }

    private void settle(RestTemplate template, boolean loadBalanced) {
        List<ClientHttpRequestInterceptor> chain = new ArrayList<>(template.getInterceptors());
        boolean changed;
        if (loadBalanced && springCloudBalancesTemplates()) {
            changed = chain.removeIf(MeshlessClientHttpRequestInterceptor.class::isInstance);
        } else {
            changed = ClientBalancers.settle(chain, MeshlessClientHttpRequestInterceptor.class,
                    adopt && loadBalanced ? this::interceptor : null);
        }
        if (changed) {
            template.setInterceptors(chain);
        }
    }

    /**
     * @return whether Spring Cloud's {@code LoadBalancerAutoConfiguration} will add its interceptor
     *     to the {@code @LoadBalanced} templates once the singletons exist (it does so through these
     *     customizers, which it defines only when a {@code LoadBalancerClient} exists)
     */
    private boolean springCloudBalancesTemplates() {
        return beanFactory.getBeanNamesForType(RestTemplateCustomizer.class, true, false).length > 0;
    }

    private boolean isLoadBalanced(String name) {
        return beanFactory.containsBean(name) && beanFactory.findAnnotationOnBean(name, LoadBalanced.class) != null;
    }

    private MeshlessClientHttpRequestInterceptor interceptor() {
        return beanFactory.getBean(MeshlessClientHttpRequestInterceptor.class);
    }

    /** WebClient builders; loaded only when WebFlux is present. */
    private static final class Reactive {
        static boolean isBuilder(Object bean) {
            return bean instanceof WebClient.Builder;
        }

        static void settle(Object builder, boolean add, ConfigurableListableBeanFactory beanFactory) {
            Supplier<MeshlessExchangeFilterFunction> filter = add
                    ? () -> beanFactory.getBean(MeshlessExchangeFilterFunction.class) : null;
            ((WebClient.Builder) builder).filters(chain ->
                    ClientBalancers.settle(chain, MeshlessExchangeFilterFunction.class, filter));
        }
    }
}
