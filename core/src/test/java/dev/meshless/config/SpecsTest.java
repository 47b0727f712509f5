package dev.meshless.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Layering of specifications: by setting, along one line of inheritance, and without sharing state. */
class SpecsTest {

    /** A specification with a list and a map of specifications, as rate limits have. */
    public static class Collections implements Spec {
        List<String> names;
        Map<String, Nested> byKey;

        public Collections() {
        }
    }

    @Test
    void theResultSharesNoCollectionOrSpecificationWithItsInputs() {
        Collections under = new Collections();
        under.names = new ArrayList<>(List.of("GET"));
        Nested gold = new Nested();
        gold.name = "gold";
        under.byKey = new LinkedHashMap<>(Map.of("gold", gold));

        Collections merged = Specs.merge(new Collections(), under);
        merged.names.add("POST");
        merged.byKey.get("gold").name = "changed";
        merged.byKey.put("silver", new Nested());

        assertThat(under.names).containsExactly("GET");
        assertThat(gold.name).isEqualTo("gold");
        assertThat(under.byKey).containsOnlyKeys("gold");
    }

    @Test
    void mapsOfSpecificationsAreLayeredKeyByKeyAndListsTakenWhole() {
        Collections under = new Collections();
        under.names = List.of("GET", "HEAD");
        Nested gold = new Nested();
        gold.name = "gold";
        under.byKey = Map.of("gold", gold);
        Collections over = new Collections();
        over.names = List.of("PUT");
        over.byKey = Map.of("silver", new Nested(), "gold", new Nested());

        Collections merged = Specs.merge(over, under);

        assertThat(merged.names).containsExactly("PUT");
        assertThat(merged.byKey).containsOnlyKeys("gold", "silver");
        assertThat(merged.byKey.get("gold").name).as("an entry's unset setting comes from the one below")
                .isEqualTo("gold");
        assertThat(Specs.changes(merged, Specs.merge(null, merged))).isEmpty();
        merged.byKey.get("silver").name = "silver";
        assertThat(Specs.changes(Specs.merge(over, under), merged)).containsExactly("byKey[silver].name");
    }

    /** A base specification: one setting and a nested specification. */
    public static class Base implements Spec {
        Integer size;
        Nested nested = new Nested();

        public Base() {
        }
    }

    /** A nested specification. */
    public static class Nested implements Spec {
        String name;

        public Nested() {
        }
    }

    /** A specification that extends the base with a setting and a nested specification of its own. */
    public static class Extended extends Base {
        String mode;
        Nested extra = new Nested();

        public Extended() {
        }
    }

    @Test
    void aBaseLayerOverAnExtendedOneSetsOnlyWhatItHasAndKeepsTheExtendedType() {
        Base over = new Base();
        over.size = 5;
        Extended under = new Extended();
        under.size = 1;
        under.mode = "strict";
        under.extra.name = "kept";

        Base merged = Specs.merge(over, under);

        assertThat(merged).isInstanceOf(Extended.class);
        assertThat(merged.size).isEqualTo(5);
        assertThat(((Extended) merged).mode).isEqualTo("strict");
        assertThat(((Extended) merged).extra.name).isEqualTo("kept");
    }

    @Test
    void anExtendedLayerOverABaseOneKeepsItsOwnSettingsInACopy() {
        Extended over = new Extended();
        over.mode = "strict";
        over.extra.name = "own";
        Base under = new Base();
        under.size = 1;
        under.nested.name = "below";

        Extended merged = (Extended) Specs.merge((Base) over, under);

        assertThat(merged.size).isEqualTo(1);
        assertThat(merged.nested.name).isEqualTo("below");
        assertThat(merged.mode).isEqualTo("strict");
        assertThat(merged.extra.name).isEqualTo("own");
        assertThat(merged.extra).as("a copy, so that the result never shares state with an input")
                .isNotSameAs(over.extra);
    }
}
