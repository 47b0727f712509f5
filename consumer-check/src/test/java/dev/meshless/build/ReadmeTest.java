package dev.meshless.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "Use it" lines are the ones the consumer build proves: each snippet marked
 * {@code <!-- from: FILE -->} is, line for line (indentation aside), a run of lines of that file of
 * consumer-check's three-line application, whose build shows that they give a working client.
 */
class ReadmeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern SNIPPET = Pattern.compile("<!-- from: ([\\w/.-]+) -->\\s*\\n\\s*```\\w*\\n(.*?)\\n\\s*```",
            Pattern.DOTALL);

    @Test
    void theThreeLinesAreTheConsumerApplications() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher m = SNIPPET.matcher(readme);
        List<String> files = new ArrayList<>();
        while (m.find()) {
            files.add(m.group(1));
            String file = Files.readString(ROOT.resolve(m.group(1)))
                    .replace("@project.version@", System.getProperty("meshless.version"));
            assertThat(containsLines(file, m.group(2)))
                    .as("README snippet from %s is not a run of its lines:%n%s", m.group(1), m.group(2)).isTrue();
        }
        assertThat(files).as("the README's three snippets: BOM import, starter, property").containsExactly(
                "consumer-check/src/it/three-lines/pom.xml", "consumer-check/src/it/three-lines/pom.xml",
                "consumer-check/src/it/three-lines/src/main/resources/application.yml");
    }

    @Test
    void aSnippetMatchesOnlyConsecutiveUneditedLines() {
        String file = "<a>\n  <b>1</b>\n  <c>2</c>\n</a>";
        assertThat(containsLines(file, "<b>1</b>\n<c>2</c>")).isTrue();
        assertThat(containsLines(file, "<a>\n<c>2</c>")).as("a line left out").isFalse();
        assertThat(containsLines(file, "<b>2</b>")).as("an edited value").isFalse();
    }

    private static boolean containsLines(String file, String snippet) {
        List<String> lines = file.lines().map(String::strip).toList();
        List<String> wanted = snippet.lines().map(String::strip).toList();
        return Collections.indexOfSubList(lines, wanted) >= 0;
    }
}
