package dev.meshless.config;

import static dev.meshless.testing.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ByteSizeTest {

    @Test
    void readsTheFormsSpringsDataSizeReadsWithBinaryUnits() {
        assertThat(ByteSize.valueOf("16MB").toBytes()).isEqualTo(16L << 20);
        assertThat(ByteSize.valueOf("512KB").toBytes()).isEqualTo(512L << 10);
        assertThat(ByteSize.valueOf("1GB").toBytes()).isEqualTo(1L << 30);
        assertThat(ByteSize.valueOf("2TB").toBytes()).isEqualTo(2L << 40);
        assertThat(ByteSize.valueOf("100B").toBytes()).isEqualTo(100);
        assertThat(ByteSize.valueOf("4096").toBytes()).as("a plain number is bytes").isEqualTo(4096);
        assertThat(ByteSize.valueOf(" 4 mb ").toBytes()).as("blanks and the unit's case do not matter")
                .isEqualTo(4L << 20);
        assertThat(ByteSize.valueOf(4096)).isEqualTo(ByteSize.ofBytes(4096));
        assertThat(ByteSize.valueOf(4096L)).isEqualTo(ByteSize.ofBytes(4096));
    }

    @Test
    void isWrittenInTheLargestUnitThatHoldsItExactly() {
        assertThat(ByteSize.ofBytes(16L << 20)).hasToString("16MB");
        assertThat(ByteSize.ofBytes(1536L << 10)).hasToString("1536KB");
        assertThat(ByteSize.ofBytes(100)).hasToString("100B");
        assertThat(ByteSize.ofBytes(0)).hasToString("0B");
        assertThat(Values.describe(ByteSize.valueOf("64MB"))).isEqualTo("64MB");
    }

    @Test
    void somethingElseIsRefusedSayingWhatASizeLooksLike() {
        for (String text : new String[] {"4 MiB", "1.5MB", "MB", "", "99999999999TB"}) {
            assertThatThrownBy(() -> ByteSize.valueOf(text)).as(text).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("must be a size such as 16MB, 512KB or 100B, but was '" + text + "'");
        }
    }

    @Test
    void rangesOfOrderedValuesAreWrittenAsInConfiguration() {
        assertInvalid(() -> Check.between("maxResponseBytes", ByteSize.valueOf("100B"), ByteSize.valueOf("1KB"),
                ByteSize.valueOf("1GB")), "maxResponseBytes", ByteSize.ofBytes(100), "must be between 1KB and 1GB");
        assertInvalid(() -> Check.between("wait", Duration.ofMinutes(11), Duration.ofSeconds(1),
                Duration.ofMinutes(10)), "wait", Duration.ofMinutes(11), "must be between 1s and 10m");
        assertInvalid(() -> Check.between("wait", (Duration) null, Duration.ofSeconds(1), Duration.ofMinutes(10)),
                "wait", null, "must be between 1s and 10m");
        assertThat(Check.between("wait", Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofMinutes(10)))
                .isEqualTo(Duration.ofMinutes(10));
    }
}
