package dev.meshless.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One run of the demo's command, as a user runs it, for the drill tests: what it printed and the
 * {@code report.json} it wrote.
 *
 * @param console what it printed
 * @param report its {@code report.json}
 */
record DemoRun(String console, JsonNode report) {

    /**
     * Runs the command and checks that it exited with 0.
     *
     * @param out where the report goes ({@code --out})
     * @param args the other arguments
     * @return the run
     */
    static DemoRun of(Path out, String... args) throws IOException {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--out=" + out);
        int code = FailoverDemo.run(all.toArray(String[]::new), new PrintStream(console, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as("exit code; stderr: %s", err).isZero();
        return new DemoRun(console.toString(StandardCharsets.UTF_8),
                JsonMapper.builder().build().readTree(Files.readString(out.resolve("report.json"))));
    }
}
