package dev.meshless.whatif;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.StringJoiner;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a topology file: YAML when its name ends in {@code .yaml} or {@code .yml} (any case),
 * JSON otherwise. Repeated keys and content after the document are errors, so that what the
 * file says is exactly what is simulated.
 */
final class TopologyReader {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private TopologyReader() {
    }

    /**
     * @param file the file name as given on the command line
     * @return the validated topology
     * @throws InputException when the file cannot be read, does not parse or describes a bad topology
     */
    static Topology read(String file) throws InputException {
        Path path;
        try {
            path = Path.of(file);
        } catch (InvalidPathException e) {
            throw new InputException("file " + Fields.quote(file) + " is not a valid path: " + e.getReason());
        }
        boolean yaml = isYaml(file);
        return TopologyParser.parse(parse(readBytes(path, file), yaml, file));
    }

    /** @return whether the file name says YAML */
    static boolean isYaml(String file) {
        String lower = file.toLowerCase(Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml");
    }

    private static byte[] readBytes(Path path, String file) throws InputException {
        if (Files.isDirectory(path)) {
            throw new InputException("file " + Fields.quote(file) + " is a directory, not a topology file");
        }
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new InputException("file " + Fields.quote(file) + " does not exist");
        } catch (AccessDeniedException e) {
            throw new InputException("file " + Fields.quote(file) + " cannot be read: permission denied");
        } catch (IOException e) {
            throw new InputException("file " + Fields.quote(file) + " cannot be read: " + e.getMessage());
        }
    }

    private static JsonNode parse(byte[] content, boolean yaml, String file) throws InputException {
        String format = yaml ? "YAML" : "JSON";
        JsonNode root;
        try {
            root = (yaml ? YAML : JSON).readTree(content);
        } catch (JacksonException e) {
            String duplicate = duplicateField(e);
            if (duplicate != null) {
                throw new InputException("duplicate field '" + duplicate + "' in " + Fields.quote(file) + where(e));
            }
            throw new InputException("malformed " + format + " in " + Fields.quote(file) + where(e) + ": "
                    + problem(e));
        }
        if (root == null || root.isMissingNode()) {
            throw new InputException("file " + Fields.quote(file) + " is empty; expected a " + format
                    + " object describing the topology");
        }
        return root;
    }

    private static String where(JacksonException e) {
        TokenStreamLocation location = e.getLocation();
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** @return the path of the repeated key, as in {@code endpoints[1].weight}, or null for other errors */
    private static String duplicateField(JacksonException e) {
        String message = e.getOriginalMessage();
        if (message == null || !message.startsWith("Duplicate Object property")
                || !(e.processor() instanceof JsonParser)) {
            return null;
        }
        StringBuilder path = new StringBuilder();
        for (TokenStreamContext c = ((JsonParser) e.processor()).streamReadContext(); c != null && !c.inRoot();
                c = c.getParent()) {
            if (c.inArray()) {
                path.insert(0, "[" + c.getCurrentIndex() + "]");
            } else {
                path.insert(0, (c.getParent() == null || c.getParent().inRoot() ? "" : ".") + c.currentName());
            }
        }
        return path.length() == 0 ? null : path.toString();
    }

    /** The parser's own words, on one line and without the excerpts and source descriptions. */
    private static String problem(JacksonException e) {
        String message = e.getOriginalMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        if (message.startsWith("Trailing token")) {
            return "more content follows the topology (only one document is allowed)";
        }
        int marker = message.indexOf(" (start marker at");
        if (marker > 0) {
            message = message.substring(0, marker);
        }
        // SnakeYAML writes "context", " in reader, line..", an excerpt, "problem", ...: keep the sentences.
        StringJoiner sentences = new StringJoiner("; ");
        for (String line : message.split("\\R")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                sentences.add(line.trim());
            }
        }
        return sentences.length() == 0 ? message.trim() : sentences.toString();
    }
}
