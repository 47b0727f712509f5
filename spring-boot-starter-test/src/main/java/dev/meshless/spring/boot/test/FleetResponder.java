package dev.meshless.spring.boot.test;

/**
 * Says what a healthy instance of a {@link ZoneFleet} answers. Called on the fleet's handler
 * threads, concurrently; an exception it throws is answered as a 500 naming it.
 */
@FunctionalInterface
public interface FleetResponder {

    /**
     * @param request what was asked
     * @param instance which instance was asked: its id, zone and region
     * @return the answer
     */
    FleetResponse respond(FleetRequest request, FleetInstance instance);
}
