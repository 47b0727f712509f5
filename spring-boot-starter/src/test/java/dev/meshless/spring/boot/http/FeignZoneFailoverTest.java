package dev.meshless.spring.boot.http;

import dev.meshless.spring.boot.MeshlessClients;
import feign.Client;
import feign.Feign;
import feign.FeignException;
import feign.HeaderMap;
import feign.RequestLine;
import feign.RetryableException;
import feign.Retryer;
import feign.Target;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;

/**
 * OpenFeign over {@link MeshlessFeignClient}, as applications without spring-cloud-loadbalancer get
 * it: the zone drills. Feign's own retries are off, as Spring Cloud OpenFeign has them.
 */
class FeignZoneFailoverTest extends ZoneFailoverScenarios {

    /** A Feign interface whose methods take the whole URL. */
    interface Api {
        @RequestLine("GET")
        String get(URI url, @HeaderMap Map<String, Object> headers);

        @RequestLine("POST")
        String post(URI url, String body);
    }

    @Override
    protected Caller caller(AssertableApplicationContext context) {
        Api api = Feign.builder().retryer(Retryer.NEVER_RETRY)
                .client(new MeshlessFeignClient(new Client.Default(null, null), context.getBean(MeshlessClients.class)))
                .target(Target.EmptyTarget.create(Api.class));
        return new Caller() {
            @Override
            public String get(String url, String... headers) {
                Map<String, Object> h = new LinkedHashMap<>();
                for (int i = 0; i < headers.length; i += 2) {
                    h.put(headers[i], headers[i + 1]);
                }
                return api.get(URI.create(url), h);
            }

            @Override
            public String post(String url, String body) {
                return api.post(URI.create(url), body);
            }
        };
    }

    @Override
    protected Class<? extends Throwable> unavailableException() {
        return FeignException.ServiceUnavailable.class;
    }

    @Override
    protected Class<? extends Throwable> refusedException() {
        return RetryableException.class;
    }
}
