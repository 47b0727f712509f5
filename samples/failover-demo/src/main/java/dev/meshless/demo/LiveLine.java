package dev.meshless.demo;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one line per second the drill prints: time, phase, progress, requests per second, errors and
 * the share of attempts per zone over the last second.
 */
final class LiveLine {

    private final Scenario scenario;
    private final Recorder recorder;
    private final PrintStream out;
    private final long totalMillis;
    private int phaseIndex;
    private Scenario.Phase phase;

    private final String label;

    LiveLine(Scenario scenario, Recorder recorder, PrintStream out) {
        this(scenario, recorder, out, "");
    }

    /** A line that starts with its caller's name, when several callers run side by side. */
    LiveLine(Scenario scenario, Recorder recorder, PrintStream out, String label) {
        this.label = label;
        this.scenario = scenario;
        this.recorder = recorder;
        this.out = out;
        this.totalMillis = scenario.duration().toMillis();
    }

    void phase(int index, Scenario.Phase p) {
        this.phaseIndex = index;
        this.phase = p;
    }

    void print(long nowMillis) {
        long from = nowMillis - 1_000;
        List<Recorder.Request> last = recorder.requests().stream()
                .filter(r -> r.startMillis() >= from && r.startMillis() < nowMillis).toList();
        long failed = last.stream().filter(r -> !r.ok()).count();
        Map<String, Long> attempts = Recorder.attemptsBetween(recorder.attempts(), from, nowMillis);
        long total = attempts.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder zones = new StringBuilder();
        for (String z : scenario.zones()) {
            long n = attempts.getOrDefault(z, 0L);
            if (n > 0) {
                zones.append(String.format(Locale.ROOT, " %s %3.0f%%", z, 100.0 * n / Math.max(1, total)));
            }
        }
        int width = 20;
        int done = (int) Math.min(width, width * nowMillis / Math.max(1, totalMillis));
        out.println(label + String.format(Locale.ROOT, "[%3ds] %d/%d %-34s [%s%s] %4d rps %4d errors |%s", nowMillis / 1000,
                phaseIndex + 1, scenario.phases().size(), truncate(phase.name(), 34), "#".repeat(done),
                ".".repeat(width - done), last.size(), failed, zones));
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
