package dev.meshless.balancer;

import java.util.Locale;

/** Where a priority tier lies relative to the caller; used in metric tags and reports. */
public enum TierKind {
    /** Tier 0: the caller's own zone. */
    SAME_ZONE,
    /** Tier 1: the other zones of the caller's region. */
    SAME_REGION,
    /** Tiers 2 and above: other regions, in the configured region order. */
    OTHER_REGION,
    /** Tier 0 when the caller's locality is unknown: every endpoint, without locality preference. */
    ANY;

    /** @return the tag value: {@code same-zone}, {@code same-region}, {@code other-region} or {@code any} */
    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static TierKind of(int tier, boolean callerKnown) {
        if (!callerKnown) {
            return ANY;
        }
        return tier == 0 ? SAME_ZONE : tier == 1 ? SAME_REGION : OTHER_REGION;
    }
}
