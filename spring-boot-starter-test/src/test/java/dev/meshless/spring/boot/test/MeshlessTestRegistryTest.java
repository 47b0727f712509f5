package dev.meshless.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.registry.ServiceEndpoints;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Every change of the test registry reaches its subscribers before the change returns. */
class MeshlessTestRegistryTest {

    private final MeshlessTestRegistry registry = new MeshlessTestRegistry();
    private final List<ServiceEndpoints> delivered = new CopyOnWriteArrayList<>();

    private static Endpoint endpoint(String id, String zone) {
        return Endpoint.builder("inventory", id).address("127.0.0.1", 9000 + id.length()).locality("r1", zone).build();
    }

    private List<String> last() {
        return delivered.get(delivered.size() - 1).endpoints().stream()
                .map(e -> e.id() + ":" + e.health().label()).toList();
    }

    @Test
    void subscribersSeeAnEmptyServiceThenEveryAdditionRemovalAndHealthChange() {
        registry.subscribe("inventory", delivered::add);
        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0).isEmpty()).as("a service it holds nothing for has no endpoints").isTrue();

        registry.add(endpoint("a-0", "r1-a"));
        registry.add(endpoint("a-01", "r1-a"));
        registry.add(endpoint("b-0", "r1-b"));
        assertThat(last()).containsExactly("a-0:passing", "a-01:passing", "b-0:passing");

        registry.setHealth("inventory", "b-0", HealthStatus.WARNING);
        assertThat(last()).containsExactly("a-0:passing", "a-01:passing", "b-0:warning");

        registry.setZoneHealth("inventory", "r1-a", HealthStatus.CRITICAL);
        assertThat(last()).containsExactly("a-0:critical", "a-01:critical", "b-0:warning");

        assertThat(registry.remove("inventory", "a-0")).isTrue();
        assertThat(registry.remove("inventory", "a-0")).isFalse();
        assertThat(last()).containsExactly("a-01:critical", "b-0:warning");

        registry.clear();
        assertThat(last()).isEmpty();
        assertThat(delivered).hasSize(8);
    }

    @Test
    void replacingAServiceLeavesTheOthersAlone() {
        registry.add(Endpoint.builder("catalog", "c-0").address("127.0.0.1", 9001).locality("r1", "r1-a").build());
        registry.replace("inventory", List.of(endpoint("a-0", "r1-a"), endpoint("b-0", "r1-b")));
        registry.replace("inventory", List.of(endpoint("b-0", "r1-b")));

        assertThat(registry.endpoints("inventory")).extracting(Endpoint::id).containsExactly("b-0");
        assertThat(registry.endpoints("catalog")).extracting(Endpoint::id).containsExactly("c-0");
    }

    @Test
    void settingTheHealthOfWhatIsNotThereSaysWhatIs() {
        registry.add(endpoint("a-0", "r1-a"));
        assertThatThrownBy(() -> registry.setHealth("inventory", "x", HealthStatus.CRITICAL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no endpoint 'x'")
                .hasMessageContaining("a-0");
        assertThatThrownBy(() -> registry.setZoneHealth("inventory", "r1-z", HealthStatus.CRITICAL))
                .hasMessageContaining("no endpoint in zone 'r1-z'");
    }
}
