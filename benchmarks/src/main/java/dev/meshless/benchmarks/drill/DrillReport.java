package dev.meshless.benchmarks.drill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The drill's numbers per configuration, as a table and as JSON. Not thread-safe; the main thread only. */
final class DrillReport {

    private DrillReport() {
    }

    /**
     * One configuration's run.
     *
     * @param config the configuration
     * @param phase empty, or which part of the load (before or after workers were taken away)
     * @param outcomes what the load saw
     * @param served requests the handler served during the load, for callers that waited or not
     * @param seconds how long the load (or this part of it) lasted
     * @param fromMs where this part starts in the samples, in milliseconds since the load started
     * @param samples every 100 ms: milliseconds since the load started, the shedder's limit and
     *     requests in flight (-1 without a shedder), requests queued in the handler
     * @param loadBefore the 1-minute load average before the application started
     * @param loadAfter the same after the load
     */
    record Row(String config, String phase, OpenLoopLoad.Outcomes outcomes, long served, double seconds,
               int fromMs, List<int[]> samples, double loadBefore, double loadAfter) {

        /** @return the samples of this part of the load */
        private List<int[]> own() {
            return samples.stream().filter(s -> s[0] >= fromMs && s[0] < fromMs + seconds * 1000).toList();
        }

        String label() {
            return phase.isEmpty() ? config : config + " (" + phase + ")";
        }

        double goodput() {
            return ok() / seconds;
        }

        long ok() {
            return outcomes.ok.size();
        }

        long wasted() {
            return Math.max(0, served - ok());
        }

        /** @return per second of the load: {min, max} of the limit, the max queued in the handler */
        List<int[]> perSecond() {
            List<int[]> seconds = new ArrayList<>();
            for (int[] sample : samples) {
                int second = sample[0] / 1000;
                while (seconds.size() <= second) {
                    seconds.add(new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, 0});
                }
                int[] s = seconds.get(second);
                s[0] = Math.min(s[0], sample[1]);
                s[1] = Math.max(s[1], sample[1]);
                s[2] = Math.max(s[2], sample[3]);
            }
            return seconds;
        }

        /** @return the limit's min, median and max over the samples, or empty without a shedder */
        int[] limit() {
            List<Long> limits = own().stream().filter(s -> s[1] >= 0).map(s -> (long) s[1]).sorted().toList();
            return limits.isEmpty() ? new int[0]
                    : new int[] {limits.get(0).intValue(), percentile(limits, 50).intValue(),
                            limits.get(limits.size() - 1).intValue()};
        }

        int maxQueued() {
            return own().stream().mapToInt(s -> s[3]).max().orElse(0);
        }
    }

    /** @return the 1-minute load average, or -1 where /proc/loadavg is not there */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static Long percentile(List<Long> sorted, int percent) {
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static List<Long> millis(List<Long> nanos) {
        return nanos.stream().map(n -> n / 1_000_000).sorted().toList();
    }

    private static String ms(Long value) {
        return value == null ? "-" : value.toString();
    }

    static String line(Row row) {
        String series = row.perSecond().stream()
                .map(s -> s[0] < 0 ? "q" + s[2] : s[0] == s[1] ? String.valueOf(s[0]) : s[0] + "-" + s[1])
                .collect(Collectors.joining(" "));
        return String.format(Locale.ROOT, "%-14s done (load %.2f -> %.2f); per second, %s: %s", row.config,
                row.loadBefore, row.loadAfter, row.limit().length == 0 ? "max queued in the handler" : "limit", series);
    }

    static String table(List<Row> rows) {
        StringBuilder table = new StringBuilder(
                "| Configuration | Sent | 200 in time (per s) | 503 (p50 ms) | Timeouts | Other | Served p50 / p99 / max ms "
                        + "| Limit min / median / max | Max queued | Served for nobody |\n"
                        + "|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            List<Long> ok = millis(row.outcomes.ok);
            List<Long> rejected = millis(row.outcomes.rejected);
            int[] limit = row.limit();
            long other = row.outcomes.other.values().stream().mapToLong(Long::longValue).sum() + row.outcomes.unanswered;
            table.append(String.format(Locale.ROOT, "| %s | %d | %d (%.1f) | %d (%s) | %d | %d | %s / %s / %s | %s | %d | %d |%n",
                    row.label(), row.outcomes.sent, row.ok(), row.goodput(), rejected.size(),
                    ms(percentile(rejected, 50)), row.outcomes.timeouts, other, ms(percentile(ok, 50)),
                    ms(percentile(ok, 99)), ms(ok.isEmpty() ? null : ok.get(ok.size() - 1)),
                    limit.length == 0 ? "-" : limit[0] + " / " + limit[1] + " / " + limit[2], row.maxQueued(), row.wasted()));
        }
        return table.toString();
    }

    static String json(List<Row> rows, InboundOverloadDrill.Settings settings) {
        StringBuilder json = new StringBuilder("{\n");
        json.append(String.format(Locale.ROOT, "  \"settings\": {\"workers\": %d, \"serviceMs\": %d, \"capacityRps\": %d, "
                        + "\"rate\": %d, \"seconds\": %d, \"warmupSeconds\": %d, \"timeoutMs\": %d, \"minLimit\": %d, "
                        + "\"fixedLimit\": %d, \"degradeTo\": %d, \"java\": \"%s\"},%n", settings.workers(), settings.serviceMs(),
                settings.capacity(), settings.rate(), settings.seconds(), settings.warmupSeconds(), settings.timeoutMs(),
                settings.minLimit(), settings.fixedLimit(), settings.degradeTo(), System.getProperty("java.version")));
        json.append("  \"runs\": [\n");
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            List<Long> ok = millis(row.outcomes.ok);
            List<Long> rejected = millis(row.outcomes.rejected);
            json.append(String.format(Locale.ROOT, "    {\"config\": \"%s\", \"phase\": \"%s\", \"loadBefore\": %.2f, \"loadAfter\": %.2f, "
                            + "\"sent\": %d, \"ok\": %d, \"goodputPerSecond\": %.1f, \"rejected503\": %d, \"rejectedP50Ms\": %s, "
                            + "\"timeouts\": %d, \"unanswered\": %d, \"other\": %s, \"okP50Ms\": %s, \"okP99Ms\": %s, "
                            + "\"okMaxMs\": %s, \"servedByHandler\": %d, \"servedForNobody\": %d, \"maxQueued\": %d, "
                            + "\"limitMinMedianMax\": %s, "
                            + "\"perSecond\": [%s]}%s%n",
                    row.config, row.phase, row.loadBefore, row.loadAfter, row.outcomes.sent, row.ok(), row.goodput(),
                    rejected.size(), jsonNumber(percentile(rejected, 50)), row.outcomes.timeouts, row.outcomes.unanswered,
                    jsonMap(row.outcomes.other), jsonNumber(percentile(ok, 50)), jsonNumber(percentile(ok, 99)),
                    jsonNumber(ok.isEmpty() ? null : ok.get(ok.size() - 1)), row.served, row.wasted(), row.maxQueued(),
                    Arrays.toString(row.limit()),
                    row.perSecond().stream().map(s -> String.format(Locale.ROOT,
                            "{\"limitMin\": %d, \"limitMax\": %d, \"maxQueued\": %d}", s[0], s[1], s[2]))
                            .collect(Collectors.joining(", ")),
                    i + 1 < rows.size() ? "," : ""));
        }
        return json.append("  ]\n}\n").toString();
    }

    private static String jsonNumber(Long value) {
        return value == null ? "null" : value.toString();
    }

    private static String jsonMap(Map<String, Long> map) {
        return map.entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
