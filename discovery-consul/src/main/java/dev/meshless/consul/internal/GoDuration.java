package dev.meshless.consul.internal;

import java.time.Duration;

/** Durations in the form Consul (Go's {@code time.ParseDuration}) reads: {@code 300s}, {@code 1500ms}. */
public final class GoDuration {

    private GoDuration() {
    }

    /**
     * @param d a duration of at least 1 ms
     * @return whole seconds as {@code Ns}, otherwise milliseconds as {@code Nms}
     */
    public static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
