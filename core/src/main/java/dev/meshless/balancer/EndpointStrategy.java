package dev.meshless.balancer;

/**
 * How the balancer chooses one endpoint inside a locality (a zone) once the locality is chosen.
 * Every strategy respects endpoint weights.
 */
public enum EndpointStrategy {
    /**
     * Power of two choices: draw two endpoints at random in proportion to their weights and take
     * the one with fewer calls in flight per unit of weight. The default: it steers away from slow
     * endpoints without any shared lock. Calls in flight are counted through
     * {@link Pick#callStarted()} and {@link Pick#callFinished()}; without those reports it is
     * a weighted random choice.
     */
    LEAST_REQUEST,
    /**
     * Weighted round robin: over every run of {@code sum of weights} picks, each endpoint is chosen
     * exactly {@code weight} times, interleaved rather than in bursts.
     */
    WEIGHTED_ROUND_ROBIN,
    /** Weighted random: each pick independent, in proportion to the weights. */
    RANDOM
}
