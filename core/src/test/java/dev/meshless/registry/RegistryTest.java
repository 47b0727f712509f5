package dev.meshless.registry;

import static dev.meshless.testing.TestEndpoints.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshless.topology.Endpoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The static and composite registries. */
class RegistryTest {

    private final List<ServiceEndpoints> received = new ArrayList<>();

    @Test
    void staticRegistryDeliversTheCurrentSetThenEveryChange() {
        Endpoint a = endpoint("a", "r1", "r1-a");
        Endpoint b = endpoint("b", "r1", "r1-b");
        StaticRegistry registry = StaticRegistry.of(List.of(a));

        Subscription s = registry.subscribe("inventory", received::add);
        registry.replace("inventory", List.of(a, b));
        registry.put(b.toBuilder().weight(3).build());
        s.close();
        registry.replace("inventory", List.of());

        assertThat(received).extracting(ServiceEndpoints::endpoints).containsExactly(
                List.of(a), List.of(a, b), List.of(a, b.toBuilder().weight(3).build()));
    }

    @Test
    void staticRegistryIsAuthoritativeForUnknownServices() {
        StaticRegistry.builder().build().subscribe("nothing", received::add);

        assertThat(received).singleElement().satisfies(set -> assertThat(set.isEmpty()).isTrue());
    }

    @Test
    void aFailingListenerDoesNotStopOtherListeners() {
        StaticRegistry registry = StaticRegistry.of(List.of(endpoint("a", "r1", "r1-a")));
        registry.subscribe("inventory", set -> {
            throw new IllegalStateException("boom");
        });
        registry.subscribe("inventory", received::add);

        registry.replace("inventory", List.of());

        assertThat(received).hasSize(2);
    }

    @Test
    void duplicateIdsAndForeignEndpointsAreRejected() {
        Endpoint a = endpoint("a", "r1", "r1-a");

        assertThatThrownBy(() -> StaticRegistry.of(List.of(a, endpoint("a", "r1", "r1-b"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate endpoint id 'a' in service 'inventory'");
        assertThatThrownBy(() -> ServiceEndpoints.of("billing", List.of(a)))
                .hasMessage("endpoint 'a' belongs to service 'inventory', not to 'billing'");
    }

    @Test
    void compositeMergesSourcesInOrderAndKeepsTheFirstOfDuplicateIds() {
        Endpoint east = endpoint("e1", "r1", "r1-a");
        Endpoint west = endpoint("w1", "r2", "r2-a");
        Endpoint clash = endpoint("e1", "r2", "r2-b");
        StaticRegistry dc1 = StaticRegistry.of(List.of(east));
        StaticRegistry dc2 = StaticRegistry.of(List.of(west, clash));

        CompositeRegistry.of(dc1, dc2).subscribe("inventory", received::add);

        assertThat(received.get(received.size() - 1).endpoints()).containsExactly(east, west);
    }

    @Test
    void compositeKeepsASilentSourcesLastSetAndFollowsTheOthers() {
        Endpoint east = endpoint("e1", "r1", "r1-a");
        Endpoint west = endpoint("w1", "r2", "r2-a");
        StaticRegistry dc1 = StaticRegistry.of(List.of(east));
        StaticRegistry dc2 = StaticRegistry.of(List.of(west));
        Subscription s = CompositeRegistry.of(List.of(dc1, dc2)).subscribe("inventory", received::add);

        dc2.replace("inventory", List.of());
        assertThat(received.get(received.size() - 1).endpoints()).containsExactly(east);

        int before = received.size();
        dc1.replace("inventory", List.of(east)); // same merged view: not delivered again
        assertThat(received).hasSize(before);

        s.close();
        dc1.replace("inventory", List.of());
        assertThat(received).hasSize(before);
    }

    @Test
    void compositeNeedsAtLeastOneSource() {
        assertThatThrownBy(() -> CompositeRegistry.of(List.of()))
                .hasMessage("sources must name at least one registry, but was empty");
    }
}
