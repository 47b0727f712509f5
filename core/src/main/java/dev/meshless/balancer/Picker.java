package dev.meshless.balancer;

import dev.meshless.balancer.internal.EndpointChooser;
import dev.meshless.balancer.internal.Spillover;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.Locality;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An immutable snapshot of one service's routing: the {@link RoutingPlan} compiled into arrays that
 * {@link #pick()} walks without locks, I/O or allocation. A new picker is built whenever topology,
 * health or policy change; callers always read the current one through
 * {@link LocalityLoadBalancer#picker()} (one volatile read).
 *
 * <p>Thread-safe: any number of threads may pick concurrently.
 */
public final class Picker {

    private final RoutingPlan plan;
    private final double panicThresholdPercent;
    /**
     * Localities that receive traffic in the plan, and the cumulative plan shares over them: the
     * known-good ones first, then one bucket per probing endpoint (see {@link RoutingPlan#probeShare()}).
     */
    private final Bucket[] buckets;
    private final double[] cumulative;
    /** How many of {@link #buckets} are known-good; the rest are probes. */
    private final int knownGood;
    /** Per tier, for retries that exclude tiers or endpoints. */
    private final TierSlots[] tiers;
    /** Each tier's health and healthy fraction, by index, for the routing rule on retries. */
    private final double[] health;
    private final double[] healthyFraction;
    /** Spillover and panic without zone-aware routing and with no tier excluded: most retries. */
    private final Spillover.TierLoads baseLoads;
    /** Every endpoint's pick, by endpoint id, for outcomes of endpoints chosen elsewhere. */
    private final Map<String, Pick> byEndpoint = new HashMap<>();

    Picker(RoutingPlan plan, LoadBalancingPolicy policy, Function<String, AtomicInteger> loads) {
        this.plan = plan;
        this.panicThresholdPercent = policy.panicThresholdPercent();
        List<Bucket> planBuckets = new ArrayList<>();
        List<Double> planShares = new ArrayList<>();
        List<Bucket> probeBuckets = new ArrayList<>();
        List<Double> probeShares = new ArrayList<>();
        this.tiers = new TierSlots[plan.tiers().size()];
        this.health = new double[tiers.length];
        this.healthyFraction = new double[tiers.length];
        for (int t = 0; t < tiers.length; t++) {
            RoutingPlan.TierPlan tier = plan.tiers().get(t);
            health[t] = tier.health();
            healthyFraction[t] = tier.healthyFraction();
            List<Bucket> healthy = new ArrayList<>();
            List<Bucket> all = new ArrayList<>();
            List<Bucket> probed = new ArrayList<>();
            for (RoutingPlan.ZonePlan zone : tier.zones()) {
                List<Pick> available = new ArrayList<>();
                List<Double> rampFactors = new ArrayList<>();
                List<Pick> every = new ArrayList<>();
                List<Pick> probing = new ArrayList<>();
                long probingWeight = 0L;
                double knownGoodShare = zone.share();
                for (RoutingPlan.EndpointPlan e : zone.endpoints()) {
                    Endpoint endpoint = e.endpoint();
                    Pick pick = new Pick(endpoint, tier.tier(), tier.kind(), loads.apply(endpoint.id()),
                            e.state() == EndpointState.PROBING && !plan.probesAsCapacity());
                    every.add(pick);
                    byEndpoint.put(endpoint.id(), pick);
                    if (plan.routableState(e.state())) {
                        available.add(pick);
                        rampFactors.add(e.rampFactor());
                    } else if (e.state() == EndpointState.PROBING) {
                        probing.add(pick);
                        probingWeight += endpoint.weight();
                        if (!tier.panic() && e.share() > 0.0) {
                            probeBuckets.add(new Bucket(zone.zone(),
                                    EndpointChooser.create(policy.endpointStrategy(), List.of(pick)), endpoint.weight()));
                            probeShares.add(e.share());
                            knownGoodShare -= e.share();
                        }
                    }
                }
                Bucket healthyBucket = available.isEmpty() ? null : new Bucket(zone.zone(),
                        EndpointChooser.create(policy.endpointStrategy(), available, rampedWeights(available,
                                rampFactors)), zone.healthyWeight());
                Bucket allBucket = new Bucket(zone.zone(), EndpointChooser.create(policy.endpointStrategy(), every),
                        zone.totalWeight());
                if (healthyBucket != null) {
                    healthy.add(healthyBucket);
                }
                all.add(allBucket);
                if (!probing.isEmpty()) {
                    probed.add(new Bucket(zone.zone(), EndpointChooser.create(policy.endpointStrategy(), probing),
                            probingWeight));
                }
                if (knownGoodShare > 1e-12) {
                    planBuckets.add(tier.panic() ? allBucket : healthyBucket);
                    planShares.add(knownGoodShare);
                }
            }
            tiers[t] = new TierSlots(tier, healthy.toArray(new Bucket[0]), all.toArray(new Bucket[0]),
                    probed.toArray(new Bucket[0]));
        }
        this.baseLoads = plan.routable() ? loads(Exclusions.none()) : null;
        this.knownGood = planBuckets.size();
        planBuckets.addAll(probeBuckets);
        planShares.addAll(probeShares);
        this.buckets = planBuckets.toArray(new Bucket[0]);
        this.cumulative = new double[buckets.length];
        double sum = 0.0;
        for (int i = 0; i < buckets.length; i++) {
            sum += planShares.get(i);
            cumulative[i] = sum;
        }
    }

    /** Fixed-point scale of ramped weights: a slow-start factor counts to a thousandth. */
    private static final long RAMP_SCALE = 1000L;

    /**
     * The weights the chooser of a zone's routable endpoints draws by: configured weights, or, while
     * some endpoint ramps up (slow start), every weight times its factor, in thousandths.
     */
    private static long[] rampedWeights(List<Pick> picks, List<Double> factors) {
        boolean ramping = false;
        for (double f : factors) {
            ramping |= f < 1.0;
        }
        long[] weights = new long[picks.size()];
        for (int i = 0; i < weights.length; i++) {
            long w = picks.get(i).endpoint().weight();
            weights[i] = ramping ? Math.max(1L, Math.round(w * RAMP_SCALE * factors.get(i))) : w;
        }
        return weights;
    }

    /**
     * @return calls in flight, summed over this snapshot's endpoints, as reported through
     *     {@link Pick#callStarted()} and {@link Pick#callFinished()}; for diagnostics
     */
    public int callsInFlight() {
        int sum = 0;
        for (TierSlots t : tiers) {
            for (Bucket b : t.all) { // each endpoint's Pick sits in exactly one "all" bucket
                for (Pick p : b.chooser.picks()) {
                    sum += p.callsInFlight();
                }
            }
        }
        return sum;
    }

    /**
     * @param endpointId an endpoint's id
     * @return this snapshot's pick of that endpoint, whatever its state, or {@code null} when the
     *     plan does not hold it; for integrations that learn of a call to an endpoint chosen
     *     elsewhere (Spring Cloud's own balancer over the listed instances)
     */
    public Pick pickOf(String endpointId) {
        return byEndpoint.get(endpointId);
    }

    /** @return the plan this picker follows */
    public RoutingPlan plan() {
        return plan;
    }

    /**
     * Picks an endpoint for a first attempt. Lock-free and allocation-free.
     *
     * @return the pick
     * @throws NoEndpointAvailableException when the plan routes nowhere
     */
    public Pick pick() {
        return pickAmong(buckets.length);
    }

    /**
     * Picks an endpoint for a first attempt that must not be a probe, because it is also the last
     * attempt of its call: as {@link #pick()}, leaving out the endpoints only being probed while
     * known-good capacity exists. Lock-free and allocation-free.
     *
     * @return the pick
     * @throws NoEndpointAvailableException when the plan routes nowhere
     */
    public Pick pickKnownGood() {
        return pickAmong(knownGood > 0 ? knownGood : buckets.length);
    }

    /** Draws among the first {@code n} plan buckets by their shares. */
    private Pick pickAmong(int n) {
        Bucket[] b = buckets;
        if (n == 0) {
            throw unroutable(Exclusions.none());
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int i = 0;
        if (n > 1) {
            // Scale by the last cumulative value: shares sum to 1 up to rounding.
            double r = random.nextDouble() * cumulative[n - 1];
            int last = n - 1;
            while (i < last && r >= cumulative[i]) {
                i++;
            }
        }
        return b[i].chooser.choose(random);
    }

    /**
     * Picks an endpoint for a retry: never an excluded endpoint while another routable one remains,
     * never in an excluded zone, region or tier, and never an endpoint only being probed while
     * known-good capacity exists. The spillover is recomputed over the tiers that are left;
     * capacity-aware zone routing does not apply to retries.
     *
     * @param exclusions endpoints and tiers already tried; with none, as {@link #pickKnownGood()}
     * @return the pick
     * @throws NoEndpointAvailableException when nothing routable remains
     */
    public Pick pick(Exclusions exclusions) {
        if (exclusions.isEmpty()) {
            return pickKnownGood();
        }
        if (!plan.routable()) {
            throw unroutable(exclusions);
        }
        Spillover.TierLoads loads = exclusions.hasTiers() ? loads(exclusions) : baseLoads;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int n = tiers.length;
        // The planned shares, restricted to localities that still have an endpoint not tried yet.
        double weightSum = 0.0;
        for (int t = 0; t < n; t++) {
            if (loads.share(t) > 0.0) {
                weightSum += loads.share(t) * tiers[t].remainingFraction(loads.panic(t), exclusions);
            }
        }
        if (weightSum > 0.0) {
            double r = random.nextDouble() * weightSum;
            for (int t = 0; t < n; t++) {
                if (loads.share(t) > 0.0) {
                    Pick p = tiers[t].choose(loads.panic(t), exclusions, random, r / loads.share(t));
                    if (p != null) {
                        return p;
                    }
                    r -= loads.share(t) * tiers[t].remainingFraction(loads.panic(t), exclusions);
                }
            }
        }
        // Everything planned was tried: any untried routable endpoint, in tier order.
        for (int t = 0; t < n; t++) {
            if (!exclusions.excludesTier(tiers[t].tier)) {
                double left = tiers[t].remainingFraction(loads.panic(t), exclusions);
                if (left > 0.0) {
                    Pick p = tiers[t].choose(loads.panic(t), exclusions, random, random.nextDouble() * left);
                    // A draw that rounding pushed past the last locality takes the first one instead.
                    return p != null ? p : tiers[t].choose(loads.panic(t), exclusions, random, 0.0);
                }
            }
        }
        throw new NoEndpointAvailableException(plan.service(), NoEndpointAvailableException.Reason.ALL_EXCLUDED,
                "every routable endpoint was already tried", exclusions);
    }

    /**
     * Picks, for a retry that {@link #pick(Exclusions)} found no known-good endpoint for, an endpoint
     * that is only being probed (an ejection just expired, a zone breaker half-open): the first tier
     * in order that has one in an allowed locality, drawn by configured weight. Trying a returning
     * endpoint is better than ending the call with no endpoint while one is left.
     *
     * @param exclusions endpoints, localities and tiers the call avoids
     * @return the pick
     * @throws NoEndpointAvailableException when no probed endpoint is left either
     */
    public Pick pickProbing(Exclusions exclusions) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (TierSlots t : tiers) {
            if (!exclusions.excludesTier(t.tier)) {
                Pick p = t.chooseProbing(exclusions, random);
                if (p != null) {
                    return p;
                }
            }
        }
        throw new NoEndpointAvailableException(plan.service(), NoEndpointAvailableException.Reason.ALL_EXCLUDED,
                "every routable endpoint and every endpoint being probed was already tried", exclusions);
    }

    /**
     * The plan's routing rule ({@link Spillover#tierLoads}) over the tiers that are not excluded;
     * capacity-aware zone routing is not applied to retries.
     *
     * @throws NoEndpointAvailableException when every tier is excluded, or nothing healthy is left
     *     and panic is off
     */
    Spillover.TierLoads loads(Exclusions exclusions) {
        long excluded = 0L;
        for (int t = 0; t < tiers.length && t < 64; t++) {
            if (exclusions.excludesTier(tiers[t].tier)) {
                excluded |= 1L << t;
            }
        }
        Spillover.TierLoads loads = Spillover.tierLoads(health, healthyFraction, panicThresholdPercent, excluded);
        switch (loads.verdict()) {
            case NO_TIERS:
                throw new NoEndpointAvailableException(plan.service(), NoEndpointAvailableException.Reason.ALL_EXCLUDED,
                        "every tier holding endpoints was excluded", exclusions);
            case NO_HEALTH:
                throw new NoEndpointAvailableException(plan.service(),
                        NoEndpointAvailableException.Reason.ALL_UNHEALTHY,
                        "no endpoint in the tiers left is available and panic is disabled (panicThresholdPercent=0)",
                        exclusions);
            default:
                return loads;
        }
    }

    private NoEndpointAvailableException unroutable(Exclusions exclusions) {
        return new NoEndpointAvailableException(plan.service(), plan.unroutableReason(), plan.unroutableDetail(),
                exclusions);
    }

    @Override
    public String toString() {
        return "Picker{" + plan + "}";
    }

    /** One locality's chooser and its weight inside its tier. */
    private static final class Bucket {
        final Locality zone;
        final EndpointChooser chooser;
        final long weight;

        Bucket(Locality zone, EndpointChooser chooser, long weight) {
            this.zone = zone;
            this.chooser = chooser;
            this.weight = weight;
        }

        /** Whether the zone is allowed and has an endpoint not tried yet. */
        boolean usable(Exclusions exclusions) {
            return !exclusions.excludesLocality(zone) && chooser.hasRemaining(exclusions);
        }
    }

    /** A tier's figures and localities, for the retry path. */
    private static final class TierSlots {
        final int tier;
        final Bucket[] healthy;
        final long healthyWeight;
        final Bucket[] all;
        final long totalWeight;

        /** Per zone, the endpoints only being probed, weighted by their configured weights. */
        final Bucket[] probing;

        TierSlots(RoutingPlan.TierPlan plan, Bucket[] healthy, Bucket[] all, Bucket[] probing) {
            this.tier = plan.tier();
            this.healthy = healthy;
            this.healthyWeight = plan.healthyWeight();
            this.all = all;
            this.totalWeight = plan.totalWeight();
            this.probing = probing;
        }

        /** @return a probed endpoint in a usable locality, drawn by weight, or {@code null} */
        Pick chooseProbing(Exclusions exclusions, ThreadLocalRandom random) {
            long left = 0L;
            for (Bucket b : probing) {
                if (b.usable(exclusions)) {
                    left += b.weight;
                }
            }
            if (left == 0L) {
                return null;
            }
            double r = random.nextDouble() * left;
            Bucket chosen = null;
            for (Bucket b : probing) {
                if (b.usable(exclusions)) {
                    chosen = b;
                    r -= b.weight;
                    if (r < 0.0) {
                        break;
                    }
                }
            }
            return chosen.chooser.choose(random, exclusions);
        }

        /** Fraction of the tier's routable weight that sits in localities with an untried endpoint. */
        double remainingFraction(boolean panic, Exclusions exclusions) {
            Bucket[] buckets = panic ? all : healthy;
            long total = panic ? totalWeight : healthyWeight;
            if (total == 0) {
                return 0.0;
            }
            long left = 0;
            for (Bucket b : buckets) {
                if (b.usable(exclusions)) {
                    left += b.weight;
                }
            }
            return (double) left / total;
        }

        /**
         * Chooses among localities with an untried endpoint, {@code position} being a point on the
         * line of their weights scaled to fractions of the tier; null when the point lies beyond it.
         */
        Pick choose(boolean panic, Exclusions exclusions, ThreadLocalRandom random, double position) {
            Bucket[] buckets = panic ? all : healthy;
            long total = panic ? totalWeight : healthyWeight;
            double r = position;
            for (Bucket b : buckets) {
                if (b.usable(exclusions)) {
                    r -= (double) b.weight / total;
                    if (r < 0.0) {
                        return b.chooser.choose(random, exclusions);
                    }
                }
            }
            return null;
        }
    }
}
