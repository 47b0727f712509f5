package dev.meshless.spring.boot.shedding;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Micrometer meters of load shedding: the gauges {@code meshless.server.shedding.limit} and
 * {@code meshless.server.shedding.in-flight}, and the counter {@code meshless.server.shedding.rejected}
 * tagged {@code priority} and {@code shadow} (true when the request was answered all the same).
 *
 * <p>Thread-safe; counting allocates nothing.
 */
public final class SheddingMeters implements LoadShedder.ShedListener {

    /** The current concurrency limit. */
    public static final String LIMIT = "meshless.server.shedding.limit";
    /** The requests being served now. */
    public static final String IN_FLIGHT = "meshless.server.shedding.in-flight";
    /** The requests shed (or, in shadow mode, that would have been). */
    public static final String REJECTED = "meshless.server.shedding.rejected";

    private final MeterRegistry registry;
    private final Counter[] rejected;

    /**
     * @param registry where the meters go
     * @param shadow whether the shedder runs in shadow mode: the value of the {@code shadow} tag
     */
    public SheddingMeters(MeterRegistry registry, boolean shadow) {
        this.registry = registry;
        Priority[] priorities = Priority.values();
        this.rejected = new Counter[priorities.length];
        for (Priority p : priorities) {
            rejected[p.ordinal()] = Counter.builder(REJECTED)
                    .description("Requests shed beyond the adaptive concurrency limit (shadow=true: answered all the same)")
                    .tag("priority", p.tag()).tag("shadow", Boolean.toString(shadow)).register(registry);
        }
    }

    /** @param shedder the shedder whose limit and in-flight requests the gauges show */
    public void bind(LoadShedder shedder) {
        Gauge.builder(LIMIT, shedder, LoadShedder::limit)
                .description("The adaptive limit on the requests this service serves at once").register(registry);
        Gauge.builder(IN_FLIGHT, shedder, LoadShedder::inFlight)
                .description("The requests this service is serving now, as the load shedder counts them")
                .register(registry);
    }

    @Override
    public void shed(Priority priority, boolean shadow) {
        rejected[priority.ordinal()].increment();
    }
}
