package dev.meshless.consul.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.Predicate;

/**
 * Renders simulator state in the shapes of Consul's API documentation (the fixtures under
 * {@code src/test/resources/consul-api/} are those examples), and evaluates the subset of the
 * filter language the simulator supports: {@code Service.Meta.<key> == "v"} / {@code != "v"} and
 * {@code Node.Meta.<key> == "v"}, joined by {@code and}.
 */
final class SimJson {

    private static final Pattern CLAUSE = Pattern.compile(
            "\\s*(Service|Node)\\.Meta\\.([A-Za-z0-9_.-]+)\\s*(==|!=)\\s*\"([^\"]*)\"\\s*");

    private SimJson() {
    }

    static Map<String, Object> entry(String datacenter, SimDatacenter.Entry e) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("ID", "40e4a748-2192-161a-0510-" + String.format("%012x", Math.abs(e.node().name().hashCode())));
        node.put("Node", e.node().name());
        node.put("Address", e.node().address());
        node.put("Datacenter", datacenter);
        node.put("TaggedAddresses", Map.of("lan", e.node().address(), "wan", e.node().address()));
        node.put("Meta", e.node().meta());
        node.put("CreateIndex", e.node().createIndex());
        node.put("ModifyIndex", e.node().createIndex());
        SimDatacenter.Service s = e.service();
        Map<String, Object> svc = new LinkedHashMap<>();
        svc.put("ID", s.id());
        svc.put("Service", s.name());
        svc.put("Tags", s.tags());
        svc.put("Address", s.address());
        String addr = s.address().isEmpty() ? e.node().address() : s.address();
        svc.put("TaggedAddresses", Map.of("lan", Map.of("address", addr, "port", s.port()),
                "wan", Map.of("address", addr, "port", s.port())));
        svc.put("Meta", s.meta());
        svc.put("Port", s.port());
        svc.put("Weights", Map.of("Passing", s.weightPassing(), "Warning", s.weightWarning()));
        svc.put("EnableTagOverride", false);
        if (s.localityRegion() != null || s.localityZone() != null) {
            Map<String, Object> locality = new LinkedHashMap<>();
            locality.put("Region", s.localityRegion());
            locality.put("Zone", s.localityZone());
            svc.put("Locality", locality);
        }
        svc.put("Namespace", "default");
        svc.put("CreateIndex", s.createIndex());
        svc.put("ModifyIndex", s.modifyIndex());
        List<Object> checks = new ArrayList<>();
        for (SimDatacenter.Check c : e.checks()) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("Node", c.node());
            check.put("CheckID", c.checkId());
            check.put("Name", c.name());
            check.put("Status", c.status());
            check.put("Notes", "");
            check.put("Output", c.output());
            check.put("ServiceID", c.serviceId());
            check.put("ServiceName", c.serviceId().isEmpty() ? "" : s.name());
            check.put("ServiceTags", c.serviceId().isEmpty() ? List.of() : s.tags());
            check.put("Type", c.ttl() != null ? "ttl" : "");
            check.put("Namespace", "default");
            check.put("CreateIndex", c.createIndex());
            check.put("ModifyIndex", c.modifyIndex());
            checks.add(check);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("Node", node);
        entry.put("Service", svc);
        entry.put("Checks", checks);
        return entry;
    }

    /**
     * @param expression a filter expression, or null
     * @return the predicate it stands for
     * @throws IllegalArgumentException when the simulator does not support the expression
     */
    static Predicate<SimDatacenter.Entry> filter(String expression) {
        if (expression == null || expression.isBlank()) {
            return e -> true;
        }
        Predicate<SimDatacenter.Entry> all = e -> true;
        for (String clause : expression.split("\\band\\b")) {
            Matcher m = CLAUSE.matcher(clause);
            if (!m.matches()) {
                throw new IllegalArgumentException("Failed to create boolexpr evaluator for expression \""
                        + expression + "\": unsupported by the simulator");
            }
            boolean service = m.group(1).equals("Service");
            String key = m.group(2);
            boolean equal = m.group(3).equals("==");
            String value = m.group(4);
            Predicate<SimDatacenter.Entry> p = e -> value.equals(
                    (service ? e.service().meta() : e.node().meta()).get(key)) == equal;
            all = all.and(p);
        }
        return all;
    }

    /** {@code passing}: only instances whose checks all pass. */
    static boolean passing(SimDatacenter.Entry e) {
        return e.checks().stream().allMatch(c -> c.status().equals("passing"));
    }
}
