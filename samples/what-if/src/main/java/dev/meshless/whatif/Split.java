package dev.meshless.whatif;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulator's answer: fractions of the caller's traffic per tier, zone, region and endpoint.
 *
 * <p>Immutable. Maps keep their order, which is the order of the JSON output.
 *
 * @param byTier share per tier number (as a string), in tier order
 * @param byZone share per zone name ({@code region/zone} when a zone name exists in two regions)
 * @param byRegion share per region
 * @param byEndpoint share per endpoint id, every endpoint listed
 * @param panic whether any tier that receives traffic is in panic
 * @param panicTiers the tiers in panic, ascending
 * @param unroutable why nothing can be picked, or {@code null} when the plan is routable
 * @param regionOrder the regions after the caller's, in tier order (listed ones, then nearest first)
 */
record Split(Map<String, Double> byTier, Map<String, Double> byZone, Map<String, Double> byRegion,
             Map<String, Double> byEndpoint, boolean panic, List<Integer> panicTiers, String unroutable,
             List<String> regionOrder) {

    Split(Map<String, Double> byTier, Map<String, Double> byZone, Map<String, Double> byRegion,
          Map<String, Double> byEndpoint, boolean panic, List<Integer> panicTiers, String unroutable) {
        this(byTier, byZone, byRegion, byEndpoint, panic, panicTiers, unroutable, List.of());
    }

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    Split {
        byTier = copy(byTier);
        byZone = copy(byZone);
        byRegion = copy(byRegion);
        byEndpoint = copy(byEndpoint);
        panicTiers = List.copyOf(panicTiers);
        regionOrder = List.copyOf(regionOrder);
    }

    /**
     * @param regions the regions after the caller's, in tier order
     * @return this answer with the region order it was computed with
     */
    Split withRegionOrder(List<String> regions) {
        return new Split(byTier, byZone, byRegion, byEndpoint, panic, panicTiers, unroutable, regions);
    }

    /**
     * @param detail the plan's sentence on why nothing can be picked
     * @return the answer for an unroutable plan: empty maps, no panic
     */
    static Split unroutable(String detail) {
        return new Split(Map.of(), Map.of(), Map.of(), Map.of(), false, List.of(), detail);
    }

    /** @return the answer as pretty-printed JSON, without a trailing line break */
    String toJson() {
        ObjectNode root = MAPPER.createObjectNode();
        put(root.putObject("byTier"), byTier);
        put(root.putObject("byZone"), byZone);
        put(root.putObject("byRegion"), byRegion);
        put(root.putObject("byEndpoint"), byEndpoint);
        root.put("panic", panic);
        ArrayNode tiers = root.putArray("panicTiers");
        panicTiers.forEach(tiers::add);
        ArrayNode regions = root.putArray("regionOrder");
        regionOrder.forEach(regions::add);
        if (unroutable != null) {
            root.put("unroutable", unroutable);
        }
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    /** Shares to 12 decimal places: exact plan maths prints 0.3, not 0.30000000000000004. */
    private static void put(ObjectNode node, Map<String, Double> shares) {
        shares.forEach((key, share) -> node.put(key, Math.round(share * 1e12) / 1e12));
    }

    private static Map<String, Double> copy(Map<String, Double> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
