package dev.meshless.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parts of {@code report.json} that {@link PhaseDetails} computes. */
final class ReportJson {

    /** How the numbers are computed, written into the report next to them. */
    static final Map<String, String> NOTES = Map.of(
            "services", "per upstream service: failed = requests whose call to it failed; byZone and byRegion are"
                    + " its attempts (retries included, Meshless's meshless.client.requests); shiftMillis only for a"
                    + " phase with a fault on it",
            "peakRps", "calls to /work that each instance (and each region's instances together) received, counted"
                    + " by the instances themselves: the largest count in any 1 s window starting on a 100 ms"
                    + " boundary inside the phase",
            "rampMillis", "per region: from the phase's start to the end of the first 1 s window with at least 90 %"
                    + " of the region's peak; about 1000 ms when the load jumped",
            "load", "inFlight: the drill's requests in flight, sampled at each send (max, mean of 100 ms maxima);"
                    + " okP99Ms: p99 latency of successful requests; failures: failed requests by exception type with"
                    + " kind (rejection, timeout, not-sent, error) and latency; concurrency: the caller's"
                    + " meshless.client.concurrency.* meters, when it has them");

    private ReportJson() {
    }

    static List<Map<String, Object>> upstreams(Scenario scenario) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Scenario.Upstream u : scenario.upstreams()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", u.name());
            m.put("regions", u.regions());
            m.put("instancesPerZone", u.zoneSizes());
            list.add(m);
        }
        return list;
    }

    static Map<String, Object> services(List<PhaseDetails.ServiceResult> results) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (PhaseDetails.ServiceResult r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("failed", r.failed());
            m.put("byZone", r.byZone());
            m.put("byRegion", r.byRegion());
            m.put("targetZones", r.targetZones());
            if (r.faulted()) {
                m.put("shiftMillis", r.shiftMillis());
            }
            m.put("peakRpsByEndpoint", r.peakRpsByEndpoint());
            m.put("peakRpsByRegion", r.peakRpsByRegion());
            m.put("rampMillisByRegion", r.rampMillisByRegion());
            all.put(r.service(), m);
        }
        return all;
    }

    static Map<String, Object> load(PhaseDetails.Load load) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("okP99Ms", load.okP99Ms());
        m.put("inFlightMax", load.inFlightMax());
        m.put("inFlightMean", Math.round(load.inFlightMean() * 10) / 10.0);
        Map<String, Object> failures = new LinkedHashMap<>();
        load.failures().forEach((type, f) -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("kind", f.kind());
            x.put("count", f.count());
            x.put("p50Ms", f.p50Ms());
            x.put("maxMs", f.maxMs());
            failures.put(type, x);
        });
        m.put("failures", failures);
        Map<String, Object> concurrency = new LinkedHashMap<>();
        load.concurrency().forEach((service, c) -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("limitMin", c.limitMin());
            x.put("limitMax", c.limitMax());
            x.put("inFlightMax", c.inFlightMax());
            x.put("rejectedPerSecond", c.rejectedPerSecond());
            concurrency.put(service, x);
        });
        m.put("concurrency", concurrency);
        return m;
    }
}
