package dev.meshless.balancer;

import dev.meshless.topology.Endpoint;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The balancer's answer: one endpoint and the tier it was chosen from.
 *
 * <p>Picks are created when a snapshot is built, not per call, so returning one allocates nothing.
 * A caller that wants {@link EndpointStrategy#LEAST_REQUEST} to see its load reports
 * {@link #callStarted()} before the call leaves and {@link #callFinished()} exactly once after it
 * ends, whatever the outcome. The count belongs to the endpoint and survives snapshot changes.
 *
 * <p>Thread-safe.
 */
public final class Pick {

    private final Endpoint endpoint;
    private final int tier;
    private final TierKind tierKind;
    /** Calls in flight to this endpoint; shared by every snapshot's pick of the same endpoint id. */
    private final AtomicInteger inFlight;
    /** Whether the endpoint was only being probed in the plan this pick belongs to. */
    private final boolean probe;

    Pick(Endpoint endpoint, int tier, TierKind tierKind, AtomicInteger inFlight) {
        this(endpoint, tier, tierKind, inFlight, false);
    }

    Pick(Endpoint endpoint, int tier, TierKind tierKind, AtomicInteger inFlight, boolean probe) {
        this.probe = probe;
        this.endpoint = endpoint;
        this.tier = tier;
        this.tierKind = tierKind;
        this.inFlight = inFlight;
    }

    /** @return the chosen endpoint */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** @return the priority tier of the endpoint: 0 same zone, 1 same region, 2.. other regions */
    public int tier() {
        return tier;
    }

    /** @return where the tier lies relative to the caller */
    public TierKind tierKind() {
        return tierKind;
    }

    /**
     * @return whether the endpoint is only being probed ({@link EndpointState#PROBING}) while
     *     known-good capacity exists: an attempt to it is a probe
     */
    public boolean probe() {
        return probe;
    }

    /** Records that a call to this endpoint has started. */
    public void callStarted() {
        inFlight.incrementAndGet();
    }

    /** Records that a call to this endpoint has ended, whatever its outcome. Never goes below zero. */
    public void callFinished() {
        if (inFlight.decrementAndGet() < 0) {
            inFlight.incrementAndGet(); // a second report for one call: undo rather than go negative
        }
    }

    /** @return calls currently in flight to this endpoint, as reported through this class */
    public int callsInFlight() {
        return inFlight.get();
    }

    @Override
    public String toString() {
        return endpoint.id() + " (tier " + tier + ")";
    }
}
