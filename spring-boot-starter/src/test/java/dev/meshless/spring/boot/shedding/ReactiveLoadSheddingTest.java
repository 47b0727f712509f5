package dev.meshless.spring.boot.shedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;

/** Load shedding in a WebFlux application on Netty, cancellation included. */
@SpringBootTest(classes = SheddingWebFluxApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "spring.main.web-application-type=reactive"})
@ActiveProfiles("shedding")
class ReactiveLoadSheddingTest extends LoadSheddingScenarios {

    @Autowired
    ApplicationContext context;

    @Test
    void theWebFilterIsTheOneInPlace() {
        assertThat(context.getBeansOfType(LoadSheddingWebFilter.class)).hasSize(1);
        assertThat(context.getBeanNamesForType(LoadSheddingServletFilter.class)).isEmpty();
    }

    @Test
    void aRequestWhoseClientGoesAwayReleasesItsPlace() throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitInFlight(1);
        }
        awaitInFlight(0);
    }
}
