package dev.meshless.testing;

import dev.meshless.ratelimit.RateLimitMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Records each rate-limit decision as a word — permitted, rejected, shadow-rejected, fallback — in
 * order, whatever the limit. Thread-safe.
 */
public final class RecordingRateLimitMetrics implements RateLimitMetrics {

    private final List<String> recorded = new ArrayList<>();

    @Override
    public synchronized void permitted(String limit) {
        recorded.add("permitted");
    }

    @Override
    public synchronized void rejected(String limit) {
        recorded.add("rejected");
    }

    @Override
    public synchronized void shadowRejected(String limit) {
        recorded.add("shadow-rejected");
    }

    @Override
    public synchronized void fallback(String limit) {
        recorded.add("fallback");
    }

    /** @return what was recorded, in order */
    public synchronized List<String> recorded() {
        return List.copyOf(recorded);
    }
}
