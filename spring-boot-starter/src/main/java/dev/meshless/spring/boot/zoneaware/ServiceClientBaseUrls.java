package dev.meshless.spring.boot.zoneaware;

import java.util.function.Function;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.client.autoconfigure.HttpClientProperties;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientProperties;
import org.springframework.util.ClassUtils;

/**
 * The groups' {@code spring.http.serviceclient.<group>.base-url}, read from Spring Boot's own
 * binding so that names match exactly. Loaded only when {@code spring-boot-http-client} is present;
 * without it nothing applies those properties, and no group has one.
 */
final class ServiceClientBaseUrls {

    private static final String PROPERTIES =
            "org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientProperties";

    private ServiceClientBaseUrls() {
    }

    /**
     * @param beanFactory where Spring Boot's {@code HttpServiceClientProperties} bean is, if anywhere
     * @return gives a group's base URL, or {@code null}
     */
    static Function<String, String> of(ListableBeanFactory beanFactory) {
        if (!ClassUtils.isPresent(PROPERTIES, ServiceClientBaseUrls.class.getClassLoader())) {
            return group -> null;
        }
        return Boot.baseUrls(beanFactory);
    }

    /** Holds the references to Spring Boot's types, resolved only when they are present. */
    private static final class Boot {
        static Function<String, String> baseUrls(ListableBeanFactory beanFactory) {
            ObjectProvider<HttpServiceClientProperties> properties =
                    beanFactory.getBeanProvider(HttpServiceClientProperties.class);
            return group -> {
                HttpServiceClientProperties all = properties.getIfAvailable();
                HttpClientProperties own = all == null ? null : all.get(group);
                return own == null ? null : own.getBaseUrl();
            };
        }
    }
}
