package dev.meshless.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Every published module is in the places a release depends on, so that a module added to the build
 * (CONTRIBUTING.md, "Adding a module") cannot be left out of them: the BOM, this module's
 * dependencies (which put it in the repository the consumer builds use), the reproducible-build check
 * and the release command. A module is published unless its POM sets {@code meshless.publish.skip}.
 */
class PublishedModulesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** Published jar modules of the build: directory, relative to the root, to artifactId. */
    private static final Map<String, String> PUBLISHED = new TreeMap<>();

    @BeforeAll
    static void readTheBuild() throws Exception {
        for (String module : children(pom(ROOT.resolve("pom.xml")), "modules", "module")) {
            Document pom = pom(ROOT.resolve(module).resolve("pom.xml"));
            String parent = text(pom.getDocumentElement(), "parent", "artifactId");
            boolean skipped = "true".equals(text(pom.getDocumentElement(), "properties", "meshless.publish.skip"));
            String packaging = text(pom.getDocumentElement(), "packaging");
            if ("meshless-parent".equals(parent) && !skipped && (packaging == null || packaging.equals("jar"))) {
                PUBLISHED.put(module, text(pom.getDocumentElement(), "artifactId"));
            }
        }
    }

    @Test
    void theBuildPublishesTheLibraries() {
        assertThat(PUBLISHED).containsKeys("core", "discovery-consul", "spring-boot-starter",
                "spring-boot-starter-test");
    }

    @Test
    void theBomManagesEveryPublishedModule() throws Exception {
        List<String> managed = children(pom(ROOT.resolve("bom/pom.xml")), "dependencyManagement",
                "dependencies", "dependency", "artifactId");
        assertThat(managed).as("artifactIds in bom/pom.xml").containsAll(PUBLISHED.values());
    }

    @Test
    void theConsumerBuildsGetEveryPublishedModule() throws Exception {
        List<String> installed = children(pom(Path.of("pom.xml")), "dependencies", "dependency", "artifactId");
        assertThat(installed).as("dependencies of consumer-check/pom.xml").containsAll(PUBLISHED.values());
    }

    @Test
    void theReproducibleBuildCheckAndTheReleaseCommandNameEveryPublishedModule() throws IOException {
        String reproducible = Files.readString(ROOT.resolve(".ci/reproducible"));
        String releasing = Files.readString(ROOT.resolve("RELEASING.md"));
        for (String module : PUBLISHED.keySet()) {
            assertThat(reproducible).as(".ci/reproducible's published=(...)").containsPattern("published=\\(.*\\b" + module + "\\b");
            assertThat(releasing).as("RELEASING.md's -pl list").containsPattern("-pl [\\w,.-]*\\b" + module + "\\b");
        }
    }

    private static Document pom(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    /** Text of the elements at the end of {@code path} under the document's root. */
    private static List<String> children(Document pom, String... path) {
        List<Element> level = List.of(pom.getDocumentElement());
        for (String name : path) {
            List<Element> next = new ArrayList<>();
            for (Element e : level) {
                NodeList nodes = e.getChildNodes();
                for (int i = 0; i < nodes.getLength(); i++) {
                    Node n = nodes.item(i);
                    if (n instanceof Element child && child.getTagName().equals(name)) {
                        next.add(child);
                    }
                }
            }
            level = next;
        }
        return level.stream().map(e -> e.getTextContent().strip()).toList();
    }

    private static String text(Element root, String... path) {
        List<String> found = children(root.getOwnerDocument(), path);
        return found.isEmpty() ? null : found.get(0);
    }
}
