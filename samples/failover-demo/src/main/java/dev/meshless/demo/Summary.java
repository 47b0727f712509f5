package dev.meshless.demo;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The tables the drill prints at its end: each phase's results per upstream service (failed calls,
 * share of attempts per region, peak calls per second per region and the hottest instance), and the
 * load view (requests in flight, successful p99, failures by kind with their latency, concurrency
 * meters when the caller has them).
 */
final class Summary {

    private Summary() {
    }

    static void print(Report report, PrintStream out) {
        out.println();
        out.println("Per service (peaks: calls received per second, largest 1 s window in the phase)");
        out.println(String.format(Locale.ROOT, "%-34s %-10s %6s  %-22s %-22s %s", "phase", "service", "failed",
                "attempts by region", "peak/s by region", "hottest instance"));
        int n = 1;
        for (Report.PhaseResult p : report.phases()) {
            String name = LiveLine.truncate(n++ + ". " + p.name(), 34);
            for (PhaseDetails.ServiceResult r : p.services()) {
                out.println(String.format(Locale.ROOT, "%-34s %-10s %6d  %-22s %-22s %s", name, r.service(),
                        r.failed(), shares(r.byRegion()), peaks(r.peakRpsByRegion()), r.hottest()));
                name = "";
            }
        }
        out.println();
        out.println("Load (in flight: the drill's requests; failures: type kind count p50/max latency)");
        out.println(String.format(Locale.ROOT, "%-34s %9s %8s  %s", "phase", "in flight", "ok p99", "failures"
                + " | concurrency limit, rejected/s"));
        n = 1;
        for (Report.PhaseResult p : report.phases()) {
            PhaseDetails.Load l = p.load();
            StringJoiner failures = new StringJoiner(", ");
            l.failures().forEach((type, f) -> failures.add(String.format(Locale.ROOT, "%s %d %d/%d ms", type,
                    f.count(), f.p50Ms(), f.maxMs())));
            StringJoiner limits = new StringJoiner(", ");
            l.concurrency().forEach((service, c) -> limits.add(String.format(Locale.ROOT, "%s limit %s..%s,"
                    + " %s/s", service, number(c.limitMin()), number(c.limitMax()), number(c.rejectedPerSecond()))));
            out.println(String.format(Locale.ROOT, "%-34s %9d %5d ms  %s%s", LiveLine.truncate(n++ + ". " + p.name(), 34),
                    l.inFlightMax(), l.okP99Ms(), failures.length() == 0 ? "none" : failures,
                    limits.length() == 0 ? "" : " | " + limits));
        }
    }

    private static String shares(Map<String, Double> byRegion) {
        StringJoiner j = new StringJoiner(" ");
        byRegion.forEach((region, share) -> j.add(String.format(Locale.ROOT, "%s %.0f%%", region, share * 100)));
        return j.length() == 0 ? "–" : j.toString();
    }

    private static String peaks(Map<String, Long> byRegion) {
        StringJoiner j = new StringJoiner(" ");
        byRegion.forEach((region, peak) -> j.add(region + " " + peak));
        return j.length() == 0 ? "–" : j.toString();
    }

    private static String number(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.0f", value);
    }
}
