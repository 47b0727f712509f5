package dev.meshless.spring.boot.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.cloud.loadbalancer.MeshlessServiceInstance;
import dev.meshless.topology.Endpoint;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Every URL built from an endpoint writes an IPv6 host in brackets (RFC 3986), so that its port is not taken for part of it. */
class Ipv6UrlTest {

    private static Endpoint at(String host, int port) {
        return Endpoint.builder("inventory", "i-1").address(host, port).locality("eu-west-1", "eu-west-1a").build();
    }

    @Test
    void routedUrlsBracketAnIpv6Host() {
        URI routed = Routing.rewrite(URI.create("http://inventory/stock/42?x=1#top"), at("2001:db8::7", 8080));

        assertThat(routed).hasToString("http://[2001:db8::7]:8080/stock/42?x=1#top");
        assertThat(routed.getHost()).isEqualTo("[2001:db8::7]");
        assertThat(routed.getPort()).isEqualTo(8080);
        assertThat(Routing.rewrite(URI.create("http://inventory/stock"), at("10.0.0.7", 8080)))
                .hasToString("http://10.0.0.7:8080/stock");
    }

    @Test
    void loadBalancedInstancesGiveAUriWithAnIpv6HostInBrackets() {
        URI uri = MeshlessServiceInstance.of(at("2001:db8::7", 8443)).getUri();

        assertThat(uri).hasToString("http://[2001:db8::7]:8443");
        assertThat(uri.getPort()).isEqualTo(8443);
        assertThat(MeshlessServiceInstance.of(at("10.0.0.7", 8080)).getUri()).hasToString("http://10.0.0.7:8080");
    }
}
