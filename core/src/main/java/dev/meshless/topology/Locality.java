package dev.meshless.topology;

import dev.meshless.config.InvalidConfigurationException;
import java.util.Objects;

/**
 * Where an endpoint or a caller runs: a region, a zone inside it and, optionally, a sub-zone.
 *
 * <p>Names are compared exactly (case-sensitive), as cloud providers and Consul report them.
 * A locality is immutable and safe to share between threads.
 *
 * <p>The load balancer groups endpoints by {@code region/zone}; the sub-zone is carried for
 * reporting and future use but does not create a priority tier of its own.
 */
public final class Locality {

    private final String region;
    private final String zone;
    private final String subZone;
    /** Localities key maps on the call path; computing the hash once keeps lookups allocation-free. */
    private final int hash;

    private Locality(String region, String zone, String subZone) {
        this.region = requireName("region", region);
        this.zone = requireName("zone", zone);
        if (subZone != null && subZone.isBlank()) {
            throw new InvalidConfigurationException("subZone", subZone, "must be null or a non-blank name");
        }
        this.subZone = subZone;
        this.hash = Objects.hash(region, zone, subZone);
    }

    /**
     * Creates a locality without a sub-zone.
     *
     * @param region region name, not blank
     * @param zone zone name, not blank
     * @return the locality
     * @throws InvalidConfigurationException naming {@code region} or {@code zone} if it is null or blank
     */
    public static Locality of(String region, String zone) {
        return new Locality(region, zone, null);
    }

    /**
     * Creates a locality with a sub-zone.
     *
     * @param region region name, not blank
     * @param zone zone name, not blank
     * @param subZone sub-zone name, {@code null} for none, otherwise not blank
     * @return the locality
     * @throws InvalidConfigurationException naming the field ({@code region}, {@code zone} or
     *     {@code subZone}) if a name is blank
     */
    public static Locality of(String region, String zone, String subZone) {
        return new Locality(region, zone, subZone);
    }

    /** @return the region name, never blank */
    public String region() {
        return region;
    }

    /** @return the zone name, never blank */
    public String zone() {
        return zone;
    }

    /** @return the sub-zone name, or {@code null} when there is none */
    public String subZone() {
        return subZone;
    }

    /** @return this locality without its sub-zone: the key the balancer groups endpoints by */
    public Locality withoutSubZone() {
        return subZone == null ? this : new Locality(region, zone, null);
    }

    /**
     * @param other another locality
     * @return whether both are in the same region and zone (sub-zones are ignored)
     */
    public boolean sameZoneAs(Locality other) {
        return region.equals(other.region) && zone.equals(other.zone);
    }

    /**
     * @param other another locality
     * @return whether both are in the same region
     */
    public boolean sameRegionAs(Locality other) {
        return region.equals(other.region);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Locality)) {
            return false;
        }
        Locality that = (Locality) o;
        return region.equals(that.region) && zone.equals(that.zone)
                && Objects.equals(subZone, that.subZone);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** @return {@code region/zone} or {@code region/zone/subZone} */
    @Override
    public String toString() {
        return subZone == null ? region + "/" + zone : region + "/" + zone + "/" + subZone;
    }

    static String requireName(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidConfigurationException(field, value, "must be a non-blank name");
        }
        return value;
    }
}
