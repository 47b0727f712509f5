package dev.meshless.spring.boot.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.config.Percent;
import dev.meshless.policy.PolicySpec;
import dev.meshless.config.Spec;
import dev.meshless.config.Specs;
import dev.meshless.config.Values;
import dev.meshless.consul.ConsulSpec;
import dev.meshless.ratelimit.InboundRateLimitSpec;
import dev.meshless.ratelimit.RateLimitInstanceSpec;
import dev.meshless.ratelimit.redis.RedisRateLimitSpec;
import dev.meshless.spring.boot.ratelimit.HttpRateLimitSpec;
import dev.meshless.spring.boot.ratelimit.RateLimitProperties;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generates the configuration metadata of the properties that bind to core's (and discovery-consul's)
 * specifications. Spring Boot's annotation processor reads Javadoc only from the sources it
 * compiles and recurses only into types marked with its own annotation, which core cannot carry;
 * so the metadata of {@code meshless.defaults.*} and the other specification-bound sections is
 * rendered here from the specifications themselves — names and types from their fields,
 * descriptions from their Javadoc in the sources, defaults from their {@code builtIn()} — into
 * {@code additional-spring-configuration-metadata.json}, which the processor merges. The committed
 * file must match; run with {@code -Dmetadata.write=true} to rewrite it (then rebuild, and run
 * {@link ConfigurationReferenceTest} with {@code -Ddocs.write=true}).
 */
class SpecMetadataTest {

    /** Every section bound to a specification: where, which, its built-in values, and who binds it. */
    static final List<Root> ROOTS = List.of(
            new Root("meshless.defaults", PolicySpec.class, PolicySpec.builtIn(),
                    "dev.meshless.spring.boot.MeshlessProperties", "getDefaults()"),
            new Root("meshless.consul", ConsulSpec.class, ConsulSpec.builtIn(),
                    "dev.meshless.spring.boot.consul.MeshlessConsulAutoConfiguration", "meshlessConsulSpec()"),
            new Root("meshless.rate-limit.instance", RateLimitInstanceSpec.class, RateLimitInstanceSpec.builtIn(),
                    RateLimitProperties.class.getName(), "getInstance()"),
            new Root("meshless.rate-limit.defaults", HttpRateLimitSpec.class,
                    Specs.merge(new HttpRateLimitSpec(), InboundRateLimitSpec.builtIn()),
                    RateLimitProperties.class.getName(), "getDefaults()"),
            new Root("meshless.rate-limit.redis", RedisRateLimitSpec.class, RedisRateLimitSpec.builtIn(),
                    "dev.meshless.spring.boot.ratelimit.redis.RedisRateLimitAutoConfiguration",
                    "meshlessRedisRateLimitSpec()"));

    private static final Pattern FIELD = Pattern.compile(
            "/\\*\\*((?:(?!\\*/).)*)\\*/\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*private\\s+[^;=(]+?\\s+(\\w+)\\s*[;=]", Pattern.DOTALL);

    @Test
    void theAdditionalMetadataIsRenderedFromTheSpecifications() throws IOException {
        Path file = repository().resolve(
                "spring-boot-starter/src/main/resources/META-INF/additional-spring-configuration-metadata.json");
        String expected = render();
        if (Boolean.getBoolean("metadata.write")) {
            Files.writeString(file, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "")
                .as("%s is out of date: run SpecMetadataTest with -Dmetadata.write=true", file)
                .isEqualTo(expected);
    }

    @Test
    void everySpecificationSettingHasADescription() throws IOException {
        for (Root root : ROOTS) {
            walk(root.type(), "", (path, field) -> assertThat(javadoc(field)).as("Javadoc of %s", field)
                    .isNotBlank());
        }
    }

    static String render() throws IOException {
        ObjectMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        ObjectNode out = json.createObjectNode();
        ArrayNode groups = out.putArray("groups");
        ArrayNode properties = out.putArray("properties");
        ArrayNode ignored = out.putObject("ignored").putArray("properties");
        for (Root root : ROOTS) {
            // The processor sees the section as one property of the specification's type.
            ignored.addObject().put("name", root.prefix());
            groups.addObject().put("name", root.prefix()).put("type", root.type().getName())
                    .put("sourceType", root.binder()).put("sourceMethod", root.getter());
            walk(root.type(), "", (path, field) -> {
                String name = root.prefix() + "." + dashed(path);
                String description = javadoc(field);
                if (Spec.class.isAssignableFrom(field.getType())) {
                    // The processor sees a nested specification as one property of its type, too.
                    ignored.addObject().put("name", name);
                    groups.addObject().put("name", name).put("type", field.getType().getName())
                            .put("description", description).put("sourceType", field.getDeclaringClass().getName())
                            .put("sourceMethod", "get" + Character.toUpperCase(field.getName().charAt(0))
                                    + field.getName().substring(1) + "()");
                    return;
                }
                ObjectNode p = properties.addObject().put("name", name)
                        .put("type", field.getGenericType().getTypeName().replace(", ", ","))
                        .put("description", description).put("sourceType", field.getDeclaringClass().getName());
                Object value = root.builtIn() == null ? null : Specs.get(root.builtIn(), path);
                if (value instanceof Collection<?> list && !list.isEmpty()) {
                    ArrayNode array = p.putArray("defaultValue");
                    list.forEach(v -> array.add(v instanceof Number n ? n.toString() : text(v)));
                } else if (value instanceof Boolean b) {
                    p.put("defaultValue", b);
                } else if (value instanceof Integer i) {
                    p.put("defaultValue", i);
                } else if (value instanceof Double d) {
                    p.put("defaultValue", d);
                } else if (value != null && !(value instanceof Collection<?>)) {
                    p.put("defaultValue", text(value));
                }
            });
        }
        return json.writeValueAsString(out) + "\n";
    }

    private static String text(Object value) {
        if (value instanceof Percent p) {
            return p.toString();
        }
        return Values.describe(value);
    }

    private static String dashed(String path) {
        StringBuilder b = new StringBuilder();
        for (String part : path.split("\\.")) {
            b.append(b.isEmpty() ? "" : ".").append(DataObjectPropertyName.toDashedForm(part));
        }
        return b.toString();
    }

    interface Visitor {
        void visit(String path, Field field) throws IOException;
    }

    /** Visits every setting and nested specification, depth first, in declaration order. */
    static void walk(Class<?> type, String prefix, Visitor visitor) throws IOException {
        for (Map.Entry<String, Class<?>> setting : Specs.settings(type.asSubclass(Spec.class)).entrySet()) {
            String path = prefix.isEmpty() ? setting.getKey() : prefix + "." + setting.getKey();
            Field field = field(type, setting.getKey());
            visitor.visit(path, field);
            if (Spec.class.isAssignableFrom(setting.getValue())) {
                walk(setting.getValue(), path, visitor);
            }
        }
    }

    private static Field field(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new IllegalStateException(type + " has no field " + name);
    }

    /** The field's Javadoc as one line, from the source of the module that declares it. */
    static String javadoc(Field field) throws IOException {
        Class<?> owner = field.getDeclaringClass();
        String relative = owner.getName().replace('.', '/').replaceAll("\\$.*", "") + ".java";
        for (String module : List.of("core", "discovery-consul", "ratelimit-redis", "spring-boot-starter")) {
            Path source = repository().resolve(module).resolve("src/main/java").resolve(relative);
            if (Files.exists(source)) {
                Matcher m = FIELD.matcher(Files.readString(source, StandardCharsets.UTF_8));
                while (m.find()) {
                    if (m.group(2).equals(field.getName())) {
                        return clean(m.group(1));
                    }
                }
                return "";
            }
        }
        throw new IllegalStateException("no source for " + owner.getName());
    }

    private static String clean(String comment) {
        List<String> lines = new ArrayList<>();
        for (String line : comment.split("\n")) {
            String l = line.trim();
            l = l.startsWith("*") ? l.substring(1).trim() : l;
            if (!l.isEmpty()) {
                lines.add(l);
            }
        }
        return String.join(" ", lines);
    }

    static Path repository() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("core"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the repository root").isNotNull();
        return dir;
    }

    /**
     * A section bound to a specification.
     *
     * @param prefix where it is bound
     * @param type the specification
     * @param builtIn its built-in values, for the defaults; {@code null} for none
     * @param binder the class whose property it is
     * @param getter that class's getter
     */
    record Root(String prefix, Class<? extends Spec> type, Spec builtIn, String binder, String getter) {
    }
}
