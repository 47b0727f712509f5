package dev.meshless.demo;

import java.util.List;
import java.util.Locale;


/**
 * Renders a {@link Report} as one self-contained HTML page: inline SVG charts (share of attempts
 * per zone over time with the phases marked, failed requests per second, p50/p99 latency) and the
 * table of phases. No script, no font, no link to fetch: it opens in any browser offline.
 */
public final class HtmlReport {

    /** Zone colours, three per region: blues, oranges, greens. Red is kept for errors. */
    static final String[] COLORS = {"#1b6ca8", "#5aa9e6", "#a7d3f5", "#b35806", "#e08214", "#fdb863",
        "#2e8b57", "#7fc8a9", "#c9e9d8"};
    private static final int WIDTH = 960;
    private static final int LEFT = 48;
    private static final int RIGHT = 16;

    private HtmlReport() {
    }

    /**
     * @param report the drill's results
     * @return the page
     */
    public static String render(Report report) {
        StringBuilder h = new StringBuilder(64 * 1024);
        Scenario s = report.scenario();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Meshless failover drill</title><style>"
                + "body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#1d2330;max-width:1000px}"
                + "h1{font-size:22px}h2{font-size:16px;margin-top:28px}table{border-collapse:collapse;font-size:13px}"
                + "td,th{border-bottom:1px solid #e3e6eb;padding:4px 8px;text-align:right}td:first-child,th:first-child"
                + "{text-align:left}.ok{color:#2e7d32}.bad{color:#c0392b;font-weight:600}.legend span{display:inline-block;"
                + "margin-right:14px;font-size:13px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;"
                + "vertical-align:-1px}svg{display:block;margin:6px 0}text{font-size:11px;fill:#4a5161}"
                + ".note{font-size:12px;color:#4a5161;max-width:900px}"
                + "table.settings{table-layout:fixed;width:100%}table.settings td,table.settings th{text-align:left;"
                + "overflow-wrap:anywhere;vertical-align:top}"
                + "</style></head><body>\n");
        List<String> violations = report.violations();
        h.append("<h1>Meshless failover drill</h1>\n<p>Caller in <b>").append(esc(s.callerRegion() + "/"
                + s.callerZone())).append("</b>, ").append(s.rate()).append(" requests per second to ")
                .append(s.upstreams().size() == 1 ? "a service" : esc(s.services().size() + " services ("
                        + String.join(", ", s.services()) + ") each called once per request; the first, shown in"
                        + " the charts,")).append(" with ")
                .append(s.instanceCount()).append(" instances in ").append(report.zones().size())
                .append(" zones of ").append(s.regions().size()).append(" regions. ").append(violations.isEmpty()
                        ? "<span class=\"ok\" id=\"verdict\">Every expectation met.</span>"
                        : "<span class=\"bad\" id=\"verdict\">" + violations.size() + " expectation(s) missed.</span>")
                .append("</p>\n");
        if (!violations.isEmpty()) {
            h.append("<ul>");
            violations.forEach(v -> h.append("<li class=\"bad\">").append(esc(v)).append("</li>"));
            h.append("</ul>\n");
        }
        legend(h, report.zones());
        // One scale for every caller, so that their charts compare at a glance.
        List<Report> callers = report.callers();
        long maxFailed = Math.max(1, callers.stream().flatMap(c -> c.seconds().stream())
                .mapToLong(Report.Second::failed).max().orElse(0));
        long maxLatency = Math.max(1, callers.stream().flatMap(c -> c.seconds().stream())
                .mapToLong(Report.Second::p99Ms).max().orElse(1));
        for (Report c : callers) {
            // The Meshless caller's charts keep their ids; another caller's carry its name.
            String id = c == report ? "" : "-" + c.caller();
            String of = callers.size() == 1 ? "" : " — " + esc(c.caller()) + " caller";
            h.append("<h2>Share of traffic per zone (attempts, per second)").append(of).append("</h2>\n");
            shareChart(h, c, id);
            h.append("<h2>Failed requests per second").append(of).append("</h2>\n");
            errorChart(h, c, id, maxFailed);
            h.append("<h2>Latency per second (p50, p99)").append(of).append("</h2>\n");
            latencyChart(h, c, id, maxLatency);
        }
        phaseTable(h, report);
        serviceTable(h, report);
        loadTable(h, report);
        if (callers.size() > 1) {
            comparisonTable(h, report);
            callers.forEach(c -> settingsTable(h, c));
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void legend(StringBuilder h, List<String> zones) {
        h.append("<p class=\"legend\">");
        for (int i = 0; i < zones.size(); i++) {
            h.append("<span><i style=\"background:").append(COLORS[i % COLORS.length]).append("\"></i>")
                    .append(esc(zones.get(i))).append("</span>");
        }
        h.append("</p>\n");
    }

    /** Rough width of a character of an 11 px label, to keep phase names from overlapping. */
    private static final double LABEL_CHAR_WIDTH = 5.8;

    private static double x(int second, int seconds) {
        return LEFT + (WIDTH - LEFT - RIGHT) * (double) second / Math.max(1, seconds);
    }

    private static void phases(StringBuilder h, Report report, int seconds, int top, int height, boolean labels) {
        List<Report.PhaseResult> phases = report.phases();
        for (int i = 0; i < phases.size(); i++) {
            double px = x((int) (phases.get(i).startMillis() / 1000), seconds);
            h.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#8a93a6\""
                    + " stroke-dasharray=\"3,3\"/>", px, top, px, top + height));
            if (labels) {
                // Labels alternate between two rows; a name that would run into the next label of its
                // row is left out (the phase table below has it).
                String label = (i + 1) + " " + phases.get(i).name();
                double room = i + 2 < phases.size()
                        ? x((int) (phases.get(i + 2).startMillis() / 1000), seconds) - px : WIDTH - px;
                if (label.length() * LABEL_CHAR_WIDTH > room - 6) {
                    label = String.valueOf(i + 1);
                }
                h.append(String.format(Locale.ROOT, "<text class=\"phase\" x=\"%.1f\" y=\"%d\">%s</text>", px + 3,
                        top - 4 - (i % 2) * 12, esc(label)));
            }
        }
    }

    private static void shareChart(StringBuilder h, Report report, String id) {
        List<Report.Second> seconds = report.seconds();
        int n = seconds.size();
        int top = 34;
        int height = 220;
        h.append("<svg id=\"share-chart").append(esc(id)).append("\" class=\"chart\" width=\"").append(WIDTH).append("\" height=\"")
                .append(top + height + 24).append("\" role=\"img\" aria-label=\"share of traffic per zone\">");
        List<String> zones = report.zones();
        double[] base = new double[n];
        for (int z = 0; z < zones.size(); z++) {
            StringBuilder points = new StringBuilder();
            StringBuilder lower = new StringBuilder();
            for (int s = 0; s < n; s++) {
                double share = seconds.get(s).byZone().getOrDefault(zones.get(z), 0.0);
                double y0 = top + height * (1 - base[s]);
                double y1 = top + height * (1 - base[s] - share);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(s, n), y1));
                lower.insert(0, String.format(Locale.ROOT, "%.1f,%.1f ", x(s, n), y0));
                base[s] += share;
            }
            h.append("<polygon class=\"zone-area\" data-zone=\"").append(esc(zones.get(z))).append("\" fill=\"")
                    .append(COLORS[z % COLORS.length]).append("\" points=\"").append(points).append(lower)
                    .append("\"/>");
        }
        axis(h, n, top, height, "100%", "0%");
        phases(h, report, n, top, height, true);
        h.append("</svg>\n");
    }

    private static void errorChart(StringBuilder h, Report report, String id, long max) {
        List<Report.Second> seconds = report.seconds();
        int n = seconds.size();
        int top = 8;
        int height = 90;
        h.append("<svg id=\"error-chart").append(esc(id)).append("\" class=\"chart\" width=\"").append(WIDTH).append("\" height=\"")
                .append(top + height + 24).append("\" role=\"img\" aria-label=\"failed requests per second\">");
        double w = Math.max(1, (WIDTH - LEFT - RIGHT) / (double) Math.max(1, n) - 1);
        for (int s = 0; s < n; s++) {
            long f = seconds.get(s).failed();
            double bh = height * (double) f / max;
            h.append(String.format(Locale.ROOT, "<rect class=\"error-bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
                    + " height=\"%.1f\" fill=\"#c0392b\"/>", x(s, n), top + height - bh, w, bh));
        }
        axis(h, n, top, height, String.valueOf(max), "0");
        phases(h, report, n, top, height, false);
        h.append("</svg>\n");
    }

    private static void latencyChart(StringBuilder h, Report report, String id, long max) {
        List<Report.Second> seconds = report.seconds();
        int n = seconds.size();
        int top = 8;
        int height = 120;
        h.append("<svg id=\"latency-chart").append(esc(id)).append("\" class=\"chart\" width=\"").append(WIDTH).append("\" height=\"")
                .append(top + height + 24).append("\" role=\"img\" aria-label=\"latency per second\">");
        for (int line = 0; line < 2; line++) {
            StringBuilder points = new StringBuilder();
            for (int s = 0; s < n; s++) {
                long v = line == 0 ? seconds.get(s).p50Ms() : seconds.get(s).p99Ms();
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(s, n), top + height * (1 - (double) v / max)));
            }
            h.append("<polyline class=\"latency-line\" fill=\"none\" stroke-width=\"1.5\" stroke=\"")
                    .append(line == 0 ? "#1b6ca8" : "#e67e5a").append("\" points=\"").append(points).append("\"/>");
        }
        axis(h, n, top, height, max + " ms", "0");
        phases(h, report, n, top, height, false);
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">p50 (blue), p99 (orange)</text>", WIDTH - 170,
                top + 12));
        h.append("</svg>\n");
    }

    private static void axis(StringBuilder h, int seconds, int top, int height, String maxLabel, String minLabel) {
        h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#4a5161\"/>",
                LEFT, top + height, WIDTH - RIGHT, top + height));
        h.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"%d\">%s</text><text x=\"2\" y=\"%d\">%s</text>",
                top + 10, esc(maxLabel), top + height, esc(minLabel)));
        for (int s = 0; s <= seconds; s += Math.max(1, seconds / 10)) {
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%ds</text>",
                    x(s, seconds), top + height + 14, s));
        }
    }

    private static void phaseTable(StringBuilder h, Report report) {
        h.append("<h2>Phases</h2>\n<table id=\"phases\"><tr><th>Phase</th><th>Requests</th><th>Failed</th>"
                + "<th>Same zone</th><th>p50</th><th>p99</th><th>Shift</th><th>Elsewhere after</th><th>Probes</th>"
                + "<th>Retried calls</th><th>Traffic should go to</th></tr>\n");
        int i = 1;
        for (Report.PhaseResult p : report.phases()) {
            boolean failedBad = p.failedWithCapacityLeft();
            boolean shiftBad = p.shiftTooSlow();
            h.append("<tr><td>").append(i++).append(". ").append(esc(p.name())).append("</td><td>")
                    .append(p.requests()).append("</td><td class=\"").append(failedBad ? "bad" : "ok").append("\"")
                    .append(p.errors().isEmpty() ? "" : " title=\"" + esc(describe(p.errors())) + "\"").append(">")
                    .append(p.failed()).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f%%", p.sameZoneShare() * 100)).append("</td><td>")
                    .append(p.p50Ms()).append(" ms</td><td>").append(p.p99Ms()).append(" ms</td><td")
                    .append(shiftBad ? " class=\"bad\">" : ">")
                    .append(!p.changesSomething() ? "–" : p.shiftMillis() == null ? "not within the phase"
                            : p.shiftMillis() + " ms").append("</td><td>")
                    .append(p.changesSomething() ? String.valueOf(p.strayAttempts()) : "–").append("</td><td>")
                    .append(p.probeAttempts()).append("</td><td>").append(p.retriedCalls()).append("</td><td>")
                    .append(esc(String.join(", ", p.targetZones()))).append("</td></tr>\n");
        }
        h.append("</table>\n");
        h.append("<p class=\"note\"><b>Shift</b>: from the phase's start to the first 100 ms in which at least 99 %"
                + " of attempts went where they should. <b>Elsewhere after</b>: attempts sent elsewhere after the shift."
                + " During a fault these are probes — ejections expire and breakers half-open to test the bad zone"
                + " again; a failed probe is retried elsewhere, so callers do not see it. During a recovery they are"
                + " spillover: while some of the zone's endpoints are still ejected, the zone takes only its healthy"
                + " share. <b>Probes</b>: attempts to endpoints back from an ejection, or to a half-open zone, before"
                + " they answered again — at most the probe share of first attempts, never a retry. <b>Retried"
                + " calls</b>: requests whose first attempt failed and that were retried. Hover over a failure count"
                + " for the reasons.</p>\n");
    }

    /** Both callers' failed requests, shift, cross-zone share and p99, phase by phase. */
    private static void comparisonTable(StringBuilder h, Report report) {
        List<Report> callers = report.callers();
        h.append("<h2>The callers side by side</h2>\n<table id=\"comparison\"><tr><th rowspan=\"2\">Phase</th>");
        callers.forEach(c -> h.append("<th colspan=\"").append(ComparisonTable.COLUMNS.size()).append("\">")
                .append(esc(c.caller())).append("</th>"));
        h.append("</tr><tr>");
        callers.forEach(c -> ComparisonTable.COLUMNS.forEach(col -> h.append("<th>").append(esc(col)).append("</th>")));
        h.append("</tr>\n");
        for (int i = 0; i < report.phases().size(); i++) {
            h.append("<tr><td>").append(i + 1).append(". ").append(esc(report.phases().get(i).name())).append("</td>");
            for (Report c : callers) {
                Report.PhaseResult p = c.phases().get(i);
                List<String> cells = ComparisonTable.cells(p);
                for (int k = 0; k < cells.size(); k++) {
                    boolean bad = k == 0 && p.failedWithCapacityLeft();
                    h.append(bad ? "<td class=\"bad\"" : "<td").append(k == 0 && !p.errors().isEmpty()
                            ? " title=\"" + esc(describe(p.errors())) + "\"" : "").append(">")
                            .append(esc(cells.get(k))).append("</td>");
                }
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n<p class=\"note\"><b>cross-zone</b>: share of attempts sent outside the caller's zone"
                + " (which is where they must go while that zone is down). Both callers ran at the same time, at the"
                + " same rate, against the same instances and registry. The verdict above checks the Meshless"
                + " caller's expectations only; the others' numbers are reported as they are.</p>\n");
    }

    private static void settingsTable(StringBuilder h, Report caller) {
        h.append("<h2>Settings of the ").append(esc(caller.caller())).append(" caller</h2>\n<table id=\"settings-")
                .append(esc(caller.caller())).append("\" class=\"settings\"><tr><th style=\"width:32%\">Setting</th>"
                        + "<th style=\"width:20%\">Value</th><th>Why</th></tr>\n");
        for (CallerSetting s : caller.settings()) {
            h.append("<tr><td><code>").append(esc(s.key())).append("</code></td><td><code>").append(esc(s.value()))
                    .append("</code></td><td>").append(esc(s.reason()))
                    .append(s.link().startsWith("http") ? " (<a href=\"" + esc(s.link()) + "\">docs</a>)"
                            : " (<code>" + esc(s.link()) + "</code> in the repository)").append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void serviceTable(StringBuilder h, Report report) {
        h.append("<h2>Per service: failures, regions and surge</h2>\n<table id=\"services\"><tr><th>Phase</th>"
                + "<th>Service</th><th>Failed</th><th>Attempts by region</th><th>Shift</th>"
                + "<th>Peak calls/s by region</th><th>Ramp to 90 % of peak</th><th>Hottest instance</th></tr>\n");
        int i = 1;
        for (Report.PhaseResult p : report.phases()) {
            String name = i++ + ". " + p.name();
            for (PhaseDetails.ServiceResult r : p.services()) {
                h.append("<tr><td>").append(esc(name)).append("</td><td>").append(esc(r.service()))
                        .append("</td><td class=\"").append(r.failed() > 0 ? "bad" : "ok").append("\">")
                        .append(r.failed()).append("</td><td>").append(esc(join(r.byRegion(), v -> String.format(
                                Locale.ROOT, "%.1f%%", v * 100)))).append("</td><td>")
                        .append(!r.faulted() ? "–" : r.shiftMillis() == null ? "not within the phase"
                                : r.shiftMillis() + " ms").append("</td><td>")
                        .append(esc(join(r.peakRpsByRegion(), String::valueOf))).append("</td><td>")
                        .append(esc(join(r.rampMillisByRegion(), v -> v + " ms"))).append("</td><td>")
                        .append(esc(r.hottest())).append("</td></tr>\n");
                name = "";
            }
        }
        h.append("</table>\n<p class=\"note\"><b>Failed</b>: requests whose call to that service failed (a request"
                + " calls every service and fails when one fails). <b>Peak calls/s</b>: calls each region's instances"
                + " received, counted by the instances, in the busiest 1 s window (windows start every 100 ms) of the"
                + " phase — the surge on the region that takes over. <b>Ramp</b>: from the phase's start to the end of"
                + " the first 1 s window with 90 % of that peak: about 1 000 ms when the load jumps.</p>\n");
    }

    private static void loadTable(StringBuilder h, Report report) {
        h.append("<h2>Load: in flight, latency of successful calls, failures by kind</h2>\n<table id=\"load\"><tr>"
                + "<th>Phase</th><th>In flight (max)</th><th>p99 of successful</th><th>Failures (type kind: count, p50/max)"
                + "</th><th>Concurrency limit, rejected/s</th></tr>\n");
        int i = 1;
        for (Report.PhaseResult p : report.phases()) {
            PhaseDetails.Load l = p.load();
            StringBuilder failures = new StringBuilder();
            l.failures().forEach((type, f) -> failures.append(failures.length() == 0 ? "" : "; ").append(type)
                    .append(": ").append(f.count()).append(", ").append(f.p50Ms())
                    .append("/").append(f.maxMs()).append(" ms"));
            StringBuilder limits = new StringBuilder();
            l.concurrency().forEach((service, c) -> limits.append(limits.length() == 0 ? "" : "; ").append(service)
                    .append(": ").append(c.limitMin() == null ? "–" : String.format(Locale.ROOT, "%.0f..%.0f",
                            c.limitMin(), c.limitMax())).append(", ").append(c.rejectedPerSecond() == null ? "–"
                            : String.format(Locale.ROOT, "%.1f/s", c.rejectedPerSecond())));
            h.append("<tr><td>").append(i++).append(". ").append(esc(p.name())).append("</td><td>")
                    .append(l.inFlightMax()).append("</td><td>").append(l.okP99Ms()).append(" ms</td><td>")
                    .append(esc(failures.length() == 0 ? "none" : failures.toString())).append("</td><td>")
                    .append(esc(limits.length() == 0 ? "no meters" : limits.toString())).append("</td></tr>\n");
        }
        h.append("</table>\n<p class=\"note\"><b>Kinds</b>: a <i>rejection</i> is the caller refusing fast (a"
                + " concurrency limit, an open breaker), a <i>timeout</i> a per-try timeout or deadline, <i>not-sent</i>"
                + " the drill's own cap on requests in flight. The concurrency columns read the caller's"
                + " <code>meshless.client.concurrency.*</code> meters when it has them.</p>\n");
    }

    private static <V> String join(java.util.Map<String, V> values, java.util.function.Function<V, String> format) {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append(" ").append(format.apply(v)));
        return b.length() == 0 ? "–" : b.toString();
    }

    private static String describe(java.util.Map<String, Long> errors) {
        StringBuilder b = new StringBuilder();
        errors.forEach((reason, n) -> b.append(n).append(" × ").append(reason).append('\n'));
        return b.toString().trim();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
