package dev.meshless.sample.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshless.spring.boot.MeshlessBinding;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every key of {@code application.yml} exists. Spring Boot ignores keys that match no property, and
 * the starter checks values, not names, so a misspelt key would silently configure nothing — in a
 * file meant to be copied. Keys under {@code meshless} are bound strictly to the starter's property
 * classes; other keys must be in the configuration metadata of the jars on the class path.
 */
class ApplicationYamlTest {

    /** The classes the starter binds each prefix to; a longer prefix is bound by its own class. */
    private static final Map<String, String> MESHLESS_PROPERTIES = Map.of(
            "meshless", "dev.meshless.spring.boot.MeshlessProperties",
            "meshless.rate-limit", "dev.meshless.spring.boot.ratelimit.RateLimitProperties",
            "meshless.zone-aware", "dev.meshless.spring.boot.zoneaware.ZoneAwareProperties",
            "meshless.loadbalancer", "dev.meshless.spring.boot.cloud.loadbalancer.MeshlessLoadBalancerProperties",
            "meshless.consul", "dev.meshless.consul.ConsulSpec");

    @Test
    void everyMeshlessKeyBindsToAPropertyOfTheStarter() throws Exception {
        Map<String, Object> yml = applicationYml();
        assertThat(yml).as("application.yml").containsKey("meshless.locality.zone");
        assertThat(unboundMeshlessKeys(yml)).as("keys under meshless that no property takes").isEmpty();
    }

    @Test
    void aMisspeltMeshlessKeyIsFound() throws Exception {
        Map<String, Object> yml = new HashMap<>(applicationYml());
        yml.put("meshless.services.inventory.timeouts.per-tri", "500ms");
        yml.put("meshless.rate-limit.limits.checkout.limit-per-period", "5");
        yml.put("meshless.registry.endpoints.inventory[0].zon", "eu-west-1a");
        yml.put("meshless.locallity.zone", "eu-west-1a");
        assertThat(unboundMeshlessKeys(yml)).containsExactlyInAnyOrder(
                "meshless.services.inventory.timeouts.per-tri", "meshless.rate-limit.limits.checkout.limit-per-period",
                "meshless.registry.endpoints.inventory[0].zon", "meshless.locallity.zone");
    }

    @Test
    void everyOtherKeyIsAPropertyInTheConfigurationMetadata() throws Exception {
        Map<String, String> known = metadata();
        assertThat(known).as("metadata of Spring Boot's jars").containsKey("spring.application.name");
        List<String> unknown = new ArrayList<>();
        for (String key : applicationYml().keySet()) {
            if (!key.startsWith("meshless.") && !isKnown(key, known)) {
                unknown.add(key);
            }
        }
        assertThat(unknown).as("keys of application.yml that no jar documents").isEmpty();
        assertThat(isKnown("spring.http.clients.read-timeouts", known)).as("a misspelt key").isFalse();
    }

    /** @return application.yml as flat keys, e.g. {@code meshless.registry.endpoints.inventory[0].port} */
    static Map<String, Object> applicationYml() throws IOException {
        Map<String, Object> flat = new HashMap<>();
        for (PropertySource<?> source : new YamlPropertySourceLoader().load("application.yml",
                new ClassPathResource("application.yml"))) {
            EnumerablePropertySource<?> enumerable = (EnumerablePropertySource<?>) source;
            for (String name : enumerable.getPropertyNames()) {
                flat.put(name, String.valueOf(enumerable.getProperty(name)));
            }
        }
        return flat;
    }

    /** Binds each prefix's keys (without those of longer prefixes) and collects what stayed unbound. */
    private static Set<String> unboundMeshlessKeys(Map<String, Object> yml) throws ClassNotFoundException {
        ApplicationConversionService conversion = MeshlessBinding.conversionService();
        Set<String> unbound = new TreeSet<>();
        for (Map.Entry<String, String> p : MESHLESS_PROPERTIES.entrySet()) {
            ConfigurationPropertyName prefix = ConfigurationPropertyName.of(p.getKey());
            IterableConfigurationPropertySource source = new MapConfigurationPropertySource(yml)
                    .filter(name -> prefix.isAncestorOf(name) && ownPrefix(name).equals(prefix));
            if (source.stream().findAny().isEmpty()) {
                continue;
            }
            try {
                new Binder(List.of(source), null, conversion).bind(p.getKey(),
                        Bindable.of(Class.forName(p.getValue())), new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
            } catch (BindException e) {
                if (!(e.getCause() instanceof UnboundConfigurationPropertiesException u)) {
                    throw e;
                }
                u.getUnboundProperties().stream().map(ConfigurationProperty::getName).map(Object::toString)
                        .forEach(unbound::add);
            }
        }
        return unbound;
    }

    /** @return the longest prefix of {@link #MESHLESS_PROPERTIES} that contains the name */
    private static ConfigurationPropertyName ownPrefix(ConfigurationPropertyName name) {
        ConfigurationPropertyName own = null;
        for (String p : MESHLESS_PROPERTIES.keySet()) {
            ConfigurationPropertyName prefix = ConfigurationPropertyName.of(p);
            if (prefix.isAncestorOf(name) && (own == null || own.isAncestorOf(prefix))) {
                own = prefix;
            }
        }
        return own;
    }

    /** @return every documented property (name to type) of every jar on the class path */
    private static Map<String, String> metadata() throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        Map<String, String> properties = new HashMap<>();
        Enumeration<URL> files = ApplicationYamlTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json");
        while (files.hasMoreElements()) {
            try (InputStream in = files.nextElement().openStream()) {
                for (JsonNode property : json.readTree(in).path("properties")) {
                    properties.put(property.get("name").asString(), property.path("type").asString(""));
                }
            }
        }
        return properties;
    }

    /** A key is known when it is a documented property, or an element or entry of a documented collection or map. */
    private static boolean isKnown(String key, Map<String, String> known) {
        if (known.containsKey(key)) {
            return true;
        }
        for (Map.Entry<String, String> p : known.entrySet()) {
            String type = p.getValue();
            boolean collection = type.startsWith("java.util.Map<") || type.startsWith("java.util.List<")
                    || type.startsWith("java.util.Set<") || type.endsWith("[]");
            if (collection && (key.startsWith(p.getKey() + ".") || key.startsWith(p.getKey() + "["))) {
                return true;
            }
        }
        return false;
    }
}
