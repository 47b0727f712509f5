package dev.meshless.spring.boot.http;

import java.net.URI;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestTemplate;

/** {@code RestTemplate} from Spring Boot's {@code RestTemplateBuilder}: the zone drills. */
class RestTemplateZoneFailoverTest extends ZoneFailoverScenarios {

    @Override
    protected Caller caller(AssertableApplicationContext context) {
        RestTemplate rest = context.getBean(RestTemplateBuilder.class).build();
        return new Caller() {
            @Override
            public String get(String url, String... headers) {
                org.springframework.http.HttpHeaders h = new org.springframework.http.HttpHeaders();
                addHeaders(h, headers);
                return rest.exchange(org.springframework.http.RequestEntity.get(URI.create(url)).headers(h).build(),
                        String.class).getBody();
            }

            @Override
            public String post(String url, String body) {
                return rest.postForObject(URI.create(url), body, String.class);
            }
        };
    }

    @Override
    protected Class<? extends Throwable> unavailableException() {
        return HttpServerErrorException.ServiceUnavailable.class;
    }

    @Override
    protected Class<? extends Throwable> refusedException() {
        return ResourceAccessException.class;
    }
}
