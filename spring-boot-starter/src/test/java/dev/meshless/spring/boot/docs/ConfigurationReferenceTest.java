package dev.meshless.spring.boot.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.consul.ConsulAgentSpec;
import dev.meshless.spring.boot.MeshlessProperties;
import dev.meshless.spring.boot.ratelimit.HttpRateLimitSpec;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Keeps {@code docs/configuration.md} in step with the configuration metadata the build generates
 * from the properties' Javadoc: the table between the {@code generated} markers is rendered from
 * {@code META-INF/spring-configuration-metadata.json} and must match the file. Run with
 * {@code -Ddocs.write=true} to rewrite it. Map-valued sections, which the metadata does not
 * describe, are written by hand above the table; their fields are checked to be mentioned.
 */
class ConfigurationReferenceTest {

    private static final String START = "<!-- generated:start (ConfigurationReferenceTest renders this part) -->";
    private static final String END = "<!-- generated:end -->";

    @Test
    void theReferenceMatchesTheMetadata() throws IOException {
        Path doc = docs().resolve("configuration.md");
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        int start = text.indexOf(START);
        int end = text.indexOf(END);
        assertThat(start).as("generated:start marker in %s", doc).isNotNegative();
        assertThat(end).as("generated:end marker").isGreaterThan(start);
        String expected = text.substring(0, start + START.length()) + "\n" + render() + text.substring(end);
        if (Boolean.getBoolean("docs.write")) {
            Files.writeString(doc, expected, StandardCharsets.UTF_8);
        }
        assertThat(text).as("docs/configuration.md is out of date: run this test with -Ddocs.write=true")
                .isEqualTo(expected);
    }

    @Test
    void mapValuedSectionsDocumentEveryField() throws IOException {
        String text = Files.readString(docs().resolve("configuration.md"), StandardCharsets.UTF_8);
        for (String field : fields(dev.meshless.spring.boot.registry.StaticEndpoint.class)) {
            assertThat(text).as("static endpoint field %s", field).contains("`" + field + "`");
        }
        for (String field : fields(HttpRateLimitSpec.class)) {
            assertThat(text).as("rate limit field %s", field).contains("`" + field + "`");
        }
        for (String field : fields(dev.meshless.spring.boot.shedding.LoadSheddingProperties.PriorityRoute.class)) {
            assertThat(text).as("load-shedding priority field %s", field).contains("`" + field + "`");
        }
        String neverShed = text.substring(text.indexOf("## Load shedding exemptions"),
                text.indexOf("## Consul clusters"));
        for (String field : fields(dev.meshless.spring.boot.web.RouteProperties.class)) {
            assertThat(neverShed).as("load-shedding never-shed field %s", field).contains("| `" + field + "` |");
        }
        String clusters = text.substring(text.indexOf("## Consul clusters"), text.indexOf("## Every property"));
        for (String field : fields(ConsulAgentSpec.class)) {
            assertThat(clusters).as("Consul cluster field %s", field).contains("| `" + field + "` |");
        }
    }

    private static List<String> fields(Class<?> type) {
        List<String> names = new ArrayList<>();
        try {
            for (PropertyDescriptor d : Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors()) {
                names.add(kebab(d.getName()));
            }
        } catch (java.beans.IntrospectionException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }

    private static String kebab(String camel) {
        StringBuilder b = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                b.append('-').append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** One table per group, properties sorted; descriptions as the Javadoc wrote them. */
    static String render() throws IOException {
        JsonNode metadata;
        try (var in = ConfigurationReferenceTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("configuration metadata on the class path").isNotNull();
            metadata = new ObjectMapper().readTree(in);
        }
        Map<String, List<JsonNode>> byGroup = new TreeMap<>();
        List<String> groups = new ArrayList<>();
        metadata.get("groups").forEach(g -> groups.add(g.get("name").asString()));
        for (JsonNode p : metadata.get("properties")) {
            String name = p.get("name").asString();
            String group = "";
            for (String g : groups) {
                if (name.startsWith(g + ".") && name.lastIndexOf('.') == g.length() && g.length() > group.length()) {
                    group = g;
                }
            }
            byGroup.computeIfAbsent(group.isEmpty() ? name.substring(0, name.lastIndexOf('.')) : group,
                    k -> new ArrayList<>()).add(p);
        }
        StringBuilder out = new StringBuilder();
        byGroup.forEach((group, properties) -> {
            out.append("\n### `").append(group).append("`\n\n");
            out.append("| Property | Type | Default | Description |\n|---|---|---|---|\n");
            properties.sort((a, b) -> a.get("name").asString().compareTo(b.get("name").asString()));
            for (JsonNode p : properties) {
                out.append("| `").append(p.get("name").asString()).append("` | ")
                        .append(type(p.path("type").asString(""))).append(" | ")
                        .append(defaultValue(p.get("defaultValue"))).append(" | ")
                        .append(javadocToMarkdown(p.path("description").asString("")))
                        .append(" |\n");
            }
        });
        return out.append('\n').toString();
    }

    /** {@code x} and {@link x} become `x`; pipes and line breaks cannot stay in a table cell. */
    private static String javadocToMarkdown(String description) {
        return description.replaceAll("\\{@(?:code|link|literal) ([^}]*)}", "`$1`").replace("|", "\\|")
                .replace("\n", " ");
    }

    private static String type(String javaType) {
        String t = javaType.replace("java.lang.", "").replace("java.util.", "").replace("java.time.", "");
        int generic = t.indexOf('<');
        String head = generic < 0 ? t : t.substring(0, generic);
        head = head.substring(head.lastIndexOf('.') + 1).replace('$', '.');
        String tail = generic < 0 ? "" : t.substring(generic).replaceAll("[a-z]+\\.", "").replace("$", ".");
        return ("`" + head + tail + "`").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String defaultValue(JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(v -> items.add(v.asString()));
            return "`" + String.join(", ", items) + "`";
        }
        String text = value.asString();
        // An enum constant as the processor writes it (PER_KEY) reads as in application.yml (per-key).
        return "`" + (text.matches("[A-Z][A-Z0-9_]*") ? text.toLowerCase(Locale.ROOT).replace('_', '-') : text) + "`";
    }

    private static Path docs() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the repository's docs folder").isNotNull();
        return dir.resolve("docs");
    }
}
