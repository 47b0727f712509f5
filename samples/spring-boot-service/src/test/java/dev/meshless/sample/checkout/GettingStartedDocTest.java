package dev.meshless.sample.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/getting-started.md} and {@code docs/testing.md} show the samples' real code. Each fenced block preceded by
 * {@code <!-- from: <path from the repository root> -->} must be a verbatim excerpt of that file:
 * its lines appear in the file, in order, contiguous except where the snippet has an elision line
 * ({@code # …}, {@code // …} or {@code …} alone on its line), which stands for any lines. A run of
 * lines may be shifted left as a whole (an excerpt from inside a method need not keep its indentation).
 */
class GettingStartedDocTest {

    private static final Path ROOT = repositoryRoot();
    private static final Path GUIDE = ROOT.resolve("docs/getting-started.md");

    /** A marker, then (after blank lines) a fenced block. */
    private static final Pattern SNIPPET = Pattern.compile(
            "<!-- from: (\\S+) -->\\s*\\n```[a-z]*\\n(.*?)\\n```", Pattern.DOTALL);

    record Snippet(String file, String text) { }

    @Test
    void everyMarkedSnippetIsAVerbatimExcerptOfItsFile() throws IOException {
        String guide = read(GUIDE);
        List<Snippet> snippets = snippets(guide);
        assertThat(snippets).as("markers directly followed by a fenced block")
                .hasSize(guide.split("<!-- from:", -1).length - 1);
        assertThat(snippets).extracting(Snippet::file).as("snippets checked against their files").contains(
                "samples/spring-boot-service/src/main/resources/application.yml",
                "samples/spring-boot-service/src/main/java/dev/meshless/sample/checkout/InventoryClient.java",
                "samples/spring-boot-service/src/main/java/dev/meshless/sample/checkout/CheckoutController.java",
                "samples/plain-java/src/main/java/dev/meshless/sample/plain/PlainJavaSample.java");
        for (Snippet s : snippets) {
            Path file = ROOT.resolve(s.file());
            assertThat(file).as("file named by a snippet").isRegularFile();
            assertThat(isExcerpt(s.text(), read(file)))
                    .as("this snippet of docs/getting-started.md is not an excerpt of %s:%n%s", s.file(), s.text())
                    .isTrue();
        }
    }

    @Test
    void theTestingGuideShowsTheSamplesOutageTestAndTheTestModulesOwnCode() throws IOException {
        Path testing = ROOT.resolve("docs/testing.md");
        String guide = read(testing);
        List<Snippet> snippets = snippets(guide);
        assertThat(snippets).hasSize(guide.split("<!-- from:", -1).length - 1).extracting(Snippet::file)
                .contains("samples/spring-boot-service/src/test/java/dev/meshless/sample/checkout/InventoryOutageTest.java");
        for (Snippet s : snippets) {
            assertThat(isExcerpt(s.text(), read(ROOT.resolve(s.file()))))
                    .as("this snippet of docs/testing.md is not an excerpt of %s:%n%s", s.file(), s.text()).isTrue();
        }
        assertThat(guide).contains("<artifactId>meshless-spring-boot-starter-test</artifactId>\n  <scope>test</scope>");
    }

    @Test
    void theElisionRuleAcceptsExcerptsAndRejectsEditedLines() {
        String file = "a:\n  b: 1\n  c: 2\n  d: 3\ne: 4";
        assertThat(isExcerpt("a:\n  b: 1", file)).isTrue();
        assertThat(isExcerpt("a:\n  # …\n  d: 3\ne: 4", file)).isTrue();
        assertThat(isExcerpt("a:\n  c: 2", file)).as("a line left out without an elision").isFalse();
        assertThat(isExcerpt("  d: 3\n  # …\n  b: 1", file)).as("out of order").isFalse();
        assertThat(isExcerpt("a:\n  b: 2", file)).as("an edited value").isFalse();
        assertThat(isExcerpt("b: 1\nc: 2", file)).as("dedented alike").isTrue();
        assertThat(isExcerpt("b: 1\n  c: 2", file)).as("indented differently").isFalse();
    }

    @Test
    void theDependenciesAreTheBomAtThisVersionAndTheStarter() throws IOException {
        String guide = read(GUIDE);
        String version = System.getProperty("sample.meshless-version");
        assertThat(version).as("sample.meshless-version, set by the pom").isNotBlank();
        assertThat(guide).contains("""
                <dependency>
                  <groupId>dev.meshless</groupId>
                  <artifactId>meshless-bom</artifactId>
                  <version>%s</version>
                  <type>pom</type>
                  <scope>import</scope>
                </dependency>""".formatted(version));
        assertThat(guide).contains("""
                <dependency>
                  <groupId>dev.meshless</groupId>
                  <artifactId>meshless-spring-boot-starter</artifactId>
                </dependency>""");
        assertThat(read(ROOT.resolve("samples/spring-boot-service/pom.xml")))
                .contains("<artifactId>meshless-spring-boot-starter</artifactId>");
    }

    @Test
    void jarsNamedInTheGuideAndTheSamplesReadmesAreTheOnesTheirModulesBuild() throws IOException {
        Pattern jar = Pattern.compile("samples/([\\w-]+)/target/([\\w.-]+)\\.jar");
        for (Path page : List.of(GUIDE, ROOT.resolve("samples/plain-java/README.md"),
                ROOT.resolve("samples/spring-boot-service/README.md"))) {
            Matcher m = jar.matcher(read(page));
            while (m.find()) {
                assertThat(read(ROOT.resolve("samples/" + m.group(1) + "/pom.xml")))
                        .as("%s names %s", ROOT.relativize(page), m.group())
                        .contains("<finalName>" + m.group(2) + "</finalName>");
            }
        }
    }

    @Test
    void relativeLinksResolve() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : List.of(GUIDE, ROOT.resolve("docs/testing.md"))) {
            Matcher m = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)").matcher(read(page));
            while (m.find()) {
                String target = m.group(1);
                if (!target.contains("://") && !Files.exists(page.getParent().resolve(target).normalize())) {
                    broken.add(ROOT.relativize(page) + ": " + target);
                }
            }
        }
        assertThat(broken).as("links of docs/getting-started.md and docs/testing.md to missing files").isEmpty();
    }

    /** @return the marked snippets of a Markdown page */
    static List<Snippet> snippets(String markdown) {
        List<Snippet> snippets = new ArrayList<>();
        Matcher m = SNIPPET.matcher(markdown);
        while (m.find()) {
            snippets.add(new Snippet(m.group(1), m.group(2)));
        }
        return snippets;
    }

    /**
     * @return whether the snippet's lines appear in the file in order: contiguous runs separated
     *     by elision lines, each run after the previous one
     */
    static boolean isExcerpt(String snippet, String file) {
        List<String> lines = file.lines().map(GettingStartedDocTest::stripTrailing).toList();
        List<List<String>> runs = new ArrayList<>();
        runs.add(new ArrayList<>());
        for (String line : snippet.lines().map(GettingStartedDocTest::stripTrailing).toList()) {
            if (isElision(line)) {
                runs.add(new ArrayList<>());
            } else {
                runs.get(runs.size() - 1).add(line);
            }
        }
        int from = 0;
        for (List<String> run : runs) {
            if (run.isEmpty()) {
                continue;
            }
            int at = indexOf(lines, run, from);
            if (at < 0) {
                return false;
            }
            from = at + run.size();
        }
        return true;
    }

    private static boolean isElision(String line) {
        String t = line.trim();
        return t.equals("…") || t.equals("# …") || t.equals("// …");
    }

    /** @return where the run starts in the lines, at or after {@code from}, all its lines indented alike; or -1 */
    private static int indexOf(List<String> lines, List<String> run, int from) {
        for (int i = from; i + run.size() <= lines.size(); i++) {
            String first = lines.get(i);
            if (!first.endsWith(run.get(0))) {
                continue;
            }
            String indent = first.substring(0, first.length() - run.get(0).length());
            if (!indent.isBlank()) {
                continue;
            }
            boolean all = true;
            for (int k = 1; k < run.size() && all; k++) {
                String expected = run.get(k).isEmpty() ? "" : indent + run.get(k);
                all = lines.get(i + k).equals(expected);
            }
            if (all) {
                return i;
            }
        }
        return -1;
    }

    private static String stripTrailing(String line) {
        return line.stripTrailing();
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    /** @return the repository root: the nearest directory up from here that has {@code docs/} and {@code samples/} */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs")) && Files.isDirectory(dir.resolve("samples"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
}
