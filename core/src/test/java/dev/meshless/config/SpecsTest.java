package dev.meshless.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Layering of specifications whose types differ along one line of inheritance. */
class SpecsTest {

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
