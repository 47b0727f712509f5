package dev.meshless.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The callers side by side, one row per phase: failed requests, shift time, cross-zone share (attempts
 * outside the caller's zone) and p99 latency of each caller. The terminal ends with it; the page has
 * the same numbers ({@link HtmlReport}).
 */
final class ComparisonTable {

    /** The columns each caller has. */
    static final List<String> COLUMNS = List.of("failed", "shift", "cross-zone", "p99");

    private ComparisonTable() {
    }

    /**
     * @param p a phase of one caller
     * @return its cells, in the order of {@link #COLUMNS}
     */
    static List<String> cells(Report.PhaseResult p) {
        String shift = !p.changesSomething() ? "-" : p.shiftMillis() == null ? "never" : p.shiftMillis() + " ms";
        return List.of(String.valueOf(p.failed()), shift,
                String.format(Locale.ROOT, "%.1f%%", (1 - p.sameZoneShare()) * 100), p.p99Ms() + " ms");
    }

    /**
     * @param report the Meshless caller's report with the other callers' beside it
     * @return the table as text lines, headed by the callers' names
     */
    static List<String> lines(Report report) {
        List<Report> callers = report.callers();
        int nameWidth = Math.max(5, report.phases().stream().mapToInt(p -> p.name().length()).max().orElse(5) + 4);
        int cell = 11;
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s", "Phase"));
        StringBuilder sub = new StringBuilder(" ".repeat(nameWidth));
        for (Report c : callers) {
            head.append(String.format(Locale.ROOT, "| %-" + (cell * COLUMNS.size() - 2) + "s", c.caller()));
            COLUMNS.forEach(col -> sub.append(String.format(Locale.ROOT, "%" + cell + "s", col)));
        }
        List<String> lines = new ArrayList<>();
        lines.add(head.toString());
        lines.add(sub.toString());
        for (int i = 0; i < report.phases().size(); i++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s",
                    (i + 1) + ". " + report.phases().get(i).name()));
            for (Report c : callers) {
                cells(c.phases().get(i)).forEach(v -> row.append(String.format(Locale.ROOT, "%" + cell + "s", v)));
            }
            lines.add(row.toString());
        }
        return lines;
    }
}
