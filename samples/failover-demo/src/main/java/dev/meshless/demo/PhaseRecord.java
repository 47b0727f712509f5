package dev.meshless.demo;

import java.util.List;
import java.util.Map;

/**
 * A phase as it ran: its window in the drill's time and where the traffic should have gone.
 *
 * @param phase the scenario's phase
 * @param startMillis when it began, since the drill began
 * @param endMillis when it ended
 * @param targetZones the zones that may take the traffic once Meshless has reacted
 *     ({@link FailoverDemo#targetZones})
 * @param probeAttempts attempts to endpoints or zones only being probed during the phase
 *     ({@code meshless.client.probes})
 * @param retriedCalls calls whose first attempt failed and that were retried during the phase
 *     ({@code meshless.client.calls.retried})
 * @param serviceTargetZones for each upstream service, the zones that may take its traffic
 *     ({@code targetZones} is the first service's)
 */
public record PhaseRecord(Scenario.Phase phase, long startMillis, long endMillis, List<String> targetZones,
                          long probeAttempts, long retriedCalls, Map<String, List<String>> serviceTargetZones) {

    /** Copies the map. */
    public PhaseRecord {
        serviceTargetZones = serviceTargetZones == null ? Map.of() : Map.copyOf(serviceTargetZones);
    }

    /** A phase of a drill with one upstream service. */
    public PhaseRecord(Scenario.Phase phase, long startMillis, long endMillis, List<String> targetZones,
                       long probeAttempts, long retriedCalls) {
        this(phase, startMillis, endMillis, targetZones, probeAttempts, retriedCalls, Map.of());
    }

    /** @return whether some zone could serve at all (zero failures are expected then) */
    public boolean capacityLeft() {
        return !targetZones.isEmpty();
    }
}
