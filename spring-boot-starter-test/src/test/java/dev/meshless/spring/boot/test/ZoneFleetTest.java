package dev.meshless.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fleet on its own, as a JUnit extension outside Spring: faults per zone, region and instance, and healing. */
class ZoneFleetTest {

    @RegisterExtension
    static final ZoneFleet inventory = ZoneFleet.builder("inventory")
            .zone("eu-west-1", "eu-west-1a", 2)
            .zone("eu-west-1", "eu-west-1b", 1)
            .zone("eu-central-1", "eu-central-1a", 1)
            .responder((request, instance) -> request.path().equals("/boom")
                    ? thrown()
                    : FleetResponse.json("{\"zone\":\"" + instance.zone() + "\",\"customer\":\""
                            + request.header("x-customer-id") + "\"}"))
            .build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static FleetResponse thrown() {
        throw new IllegalStateException("no such page");
    }

    private HttpResponse<String> get(String id, String path) throws IOException, InterruptedException {
        int port = inventory.instances().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow().port();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-Customer-Id", "alice").timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void instancesAnswerWithTheRespondersAnswerAndCountTheirZonesRequests() throws Exception {
        HttpResponse<String> r = get("eu-west-1a-1", "/stock/42");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo("{\"zone\":\"eu-west-1a\",\"customer\":\"alice\"}");
        get("eu-west-1b-0", "/stock/42");

        assertThat(inventory.requests("eu-west-1a")).isEqualTo(1);
        assertThat(inventory.requests("eu-west-1")).as("the region").isEqualTo(2);
        assertThat(inventory.requests("eu-west-1a-0")).as("one instance").isZero();
        assertThat(inventory.requests()).isEqualTo(2);
        assertThat(inventory.endpoints()).extracting(e -> e.id() + " " + e.locality())
                .containsExactly("eu-west-1a-0 eu-west-1/eu-west-1a", "eu-west-1a-1 eu-west-1/eu-west-1a",
                        "eu-west-1b-0 eu-west-1/eu-west-1b", "eu-central-1a-0 eu-central-1/eu-central-1a");
    }

    @Test
    void aRefusingZoneClosesItsPortsAndHealingListensAgainOnTheSamePorts() throws Exception {
        int port = inventory.instances().get(0).port();
        inventory.refuse("eu-west-1a");

        assertThatThrownBy(() -> get("eu-west-1a-0", "/")).isInstanceOf(ConnectException.class);
        assertThat(inventory.instances().get(0).accepting()).isFalse();
        assertThat(get("eu-west-1b-0", "/").statusCode()).as("other zones answer").isEqualTo(200);

        inventory.heal("eu-west-1a");
        assertThat(get("eu-west-1a-0", "/").statusCode()).isEqualTo(200);
        assertThat(inventory.instances().get(0).port()).isEqualTo(port);
        assertThat(inventory.requests("eu-west-1a")).as("a refused connection is no request").isEqualTo(1);
    }

    @Test
    void aFailingRegionAnswersTheStatusWhateverTheResponderSaysUntilHealed() throws Exception {
        inventory.fail("eu-west-1");
        inventory.fail("eu-central-1a", 500);

        assertThat(get("eu-west-1a-0", "/").statusCode()).isEqualTo(503);
        assertThat(get("eu-west-1b-0", "/").statusCode()).isEqualTo(503);
        assertThat(get("eu-central-1a-0", "/").statusCode()).isEqualTo(500);

        inventory.healAll();
        assertThat(get("eu-west-1b-0", "/").statusCode()).isEqualTo(200);
        assertThat(inventory.requests()).isEqualTo(4);
    }

    @Test
    void aSlowInstanceAnswersAfterItsDelayAndAtOnceWhenHealed() throws Exception {
        inventory.slow("eu-west-1b-0", Duration.ofMillis(300));
        long start = System.nanoTime();
        assertThat(get("eu-west-1b-0", "/").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        inventory.fail("eu-west-1b-0");
        assertThat(get("eu-west-1b-0", "/").statusCode()).as("slow and failing").isEqualTo(503);

        inventory.heal("eu-west-1b");
        start = System.nanoTime();
        assertThat(get("eu-west-1b-0", "/").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(300));
    }

    @Test
    void eachTestStartsHealedWithCountsAtZero() throws Exception {
        inventory.refuse("eu-central-1a");
        get("eu-west-1a-0", "/");
        inventory.beforeEach(null);

        assertThat(inventory.requests()).isZero();
        assertThat(inventory.instances()).allMatch(FleetInstance::accepting);
    }

    @Test
    void aResponderThatThrowsAnswers500NamingItsException() throws Exception {
        HttpResponse<String> r = get("eu-west-1a-0", "/boom");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("IllegalStateException: no such page");
    }

    @Test
    void aTargetThatIsNoZoneRegionOrInstanceIsRejectedWithTheFleetsZones() {
        assertThatThrownBy(() -> inventory.refuse("eu-west1a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'eu-west1a'").hasMessageContaining("eu-west-1/eu-west-1a");
        assertThatThrownBy(() -> inventory.fail("eu-west-1a", 42)).hasMessageContaining("between 100 and 599");
    }

    @Test
    void aFleetIsDeclaredWithZonesOfOneToAHundredInstancesEachOnce() {
        assertThatThrownBy(() -> ZoneFleet.builder("inventory").build()).hasMessageContaining("has no zone");
        assertThatThrownBy(() -> ZoneFleet.builder("inventory").zone("r", "z", 0)).hasMessageContaining("was 0");
        assertThatThrownBy(() -> ZoneFleet.builder("inventory").zone("r", "z", 1).zone("r", "z", 1))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> ZoneFleet.builder("inventory").zone("r", "z", 1).build().endpoints())
                .as("ports are known once started").hasMessageContaining("start the fleet first");
    }
}
