package dev.meshless.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Test support: runs {@link WhatIf#run} in process and reads what it printed. */
final class Cli {

    static final Path EXAMPLES = Path.of("examples");

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ObjectMapper YAML = YAMLMapper.builder().build();

    private Cli() {
    }

    /** What one run printed and returned. */
    record Result(int exitCode, String stdout, String stderr) {

        /** @return stderr split into lines; a trailing line break does not make an extra line */
        List<String> stderrLines() {
            return stderr.isEmpty() ? List.of() : List.of(stderr.replaceFirst("\\R\\z", "").split("\\R", -1));
        }

        /** @return stdout parsed as JSON, after checking that the run succeeded quietly */
        JsonNode json() {
            assertThat(exitCode).as("exit code; stderr: %s", stderr).isZero();
            assertThat(stderr).isEmpty();
            return JSON.readTree(stdout);
        }

        /** @return one of the share maps of the JSON answer, in output order */
        Map<String, Double> shares(String field) {
            Map<String, Double> shares = new LinkedHashMap<>();
            json().get(field).properties().forEach(e -> shares.put(e.getKey(), e.getValue().doubleValue()));
            return shares;
        }
    }

    /** Runs the tool with the given arguments. */
    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = WhatIf.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Writes {@code content} to {@code dir/name} and runs the tool on it. */
    static Result runFile(Path dir, String name, String content) {
        return run(write(dir.resolve(name), content).toString());
    }

    /**
     * Copies an example with {@code picks} replaced, in the example's own format, and runs it.
     *
     * @param picks the number of picks; 0 for the exact plan
     */
    static Result runExample(Path dir, String example, int picks) {
        boolean yaml = TopologyReader.isYaml(example);
        ObjectMapper mapper = yaml ? YAML : JSON;
        try {
            ObjectNode topology = (ObjectNode) mapper.readTree(Files.readString(EXAMPLES.resolve(example)));
            topology.put("picks", picks);
            return runFile(dir, example, mapper.writeValueAsString(topology));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the names of the bundled example files */
    static List<String> exampleNames() {
        try (var files = Files.list(EXAMPLES)) {
            List<String> names = new ArrayList<>();
            files.forEach(f -> names.add(f.getFileName().toString()));
            names.sort(null);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
