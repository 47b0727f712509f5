package dev.meshless.consul.internal;

import dev.meshless.registry.ServiceEndpoints;
import dev.meshless.topology.Endpoint;
import dev.meshless.topology.HealthStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The last good view on disk, so that a restart during a Consul outage still routes.
 *
 * <p>Format (version 1): one ASCII header line
 * {@code MESHLESS-CONSUL-SNAPSHOT 1 sha256=<hex> bytes=<n>}, then {@code n} bytes of JSON
 * ({@code writtenAt}, and per service and datacenter {@code lastGood} and the endpoints). The
 * checksum covers the JSON. Files are written to a temporary file in the same directory, forced to
 * disk and moved over the old one atomically, so that a crash leaves either the old or the new file.
 * A file that is too large, foreign (another header), of another version, truncated, fails its
 * checksum or holds invalid endpoints is ignored with a warning.
 *
 * <p>Thread-safe for one writer; reads happen once, at start-up.
 */
public final class SnapshotStore {

    /** First word of the header. */
    public static final String MAGIC = "MESHLESS-CONSUL-SNAPSHOT";
    /** Version written and the only one read. */
    public static final int VERSION = 1;

    private static final Logger log = LoggerFactory.getLogger(SnapshotStore.class);

    private final Path file;
    private final long maxBytes;

    /**
     * @param file where the snapshot lives
     * @param maxBytes the largest file written or read
     */
    public SnapshotStore(Path file, long maxBytes) {
        this.file = file;
        this.maxBytes = maxBytes;
    }

    /** @return the file */
    public Path file() {
        return file;
    }

    /**
     * @return the snapshot, or empty when there is none or it cannot be used (logged)
     */
    public Optional<Snapshot> load() {
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            long size = Files.size(file);
            if (size > maxBytes) {
                log.warn("Ignoring the Consul snapshot '{}': {} bytes is more than snapshotMaxBytes ({})", file, size,
                        maxBytes);
                return Optional.empty();
            }
            return Optional.of(parse(Files.readAllBytes(file)));
        } catch (IOException e) {
            log.warn("Ignoring the Consul snapshot '{}': cannot read it ({})", file, e.toString());
        } catch (RuntimeException e) {
            log.warn("Ignoring the Consul snapshot '{}': {}", file, e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * Replaces the file atomically.
     *
     * @param snapshot what to write
     * @return whether it was written (false when it exceeds the size limit; logged)
     * @throws IOException when the file cannot be written
     */
    public boolean write(Snapshot snapshot) throws IOException {
        byte[] json = ConsulJson.MAPPER.writeValueAsBytes(toJson(snapshot));
        byte[] header = (MAGIC + " " + VERSION + " sha256=" + sha256(json) + " bytes=" + json.length + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        if (header.length + (long) json.length > maxBytes) {
            log.warn("Not writing the Consul snapshot '{}': {} bytes would be more than snapshotMaxBytes ({})", file,
                    header.length + json.length, maxBytes);
            return false;
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(header));
                ch.write(ByteBuffer.wrap(json));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return true;
    }

    static Snapshot parse(byte[] bytes) {
        int eol = 0;
        while (eol < bytes.length && eol < 256 && bytes[eol] != '\n') {
            eol++;
        }
        String header = new String(bytes, 0, eol, StandardCharsets.US_ASCII);
        String[] parts = header.split(" ");
        if (parts.length != 4 || !parts[0].equals(MAGIC)) {
            throw new IllegalArgumentException("it is not a Meshless Consul snapshot (foreign header)");
        }
        if (!parts[1].equals(Integer.toString(VERSION))) {
            throw new IllegalArgumentException("it has format version " + parts[1] + ", this version reads "
                    + VERSION);
        }
        int length = Integer.parseInt(parts[3].substring("bytes=".length()));
        if (eol + 1 + length != bytes.length) {
            throw new IllegalArgumentException("it is truncated or has trailing bytes");
        }
        byte[] json = new byte[length];
        System.arraycopy(bytes, eol + 1, json, 0, length);
        if (!parts[2].equals("sha256=" + sha256(json))) {
            throw new IllegalArgumentException("its checksum does not match its content");
        }
        return fromJson(ConsulJson.MAPPER.readTree(json));
    }

    private static Map<String, Object> toJson(Snapshot s) {
        Map<String, Object> services = new LinkedHashMap<>();
        s.services().forEach((service, dcs) -> {
            Map<String, Object> byDc = new LinkedHashMap<>();
            dcs.forEach((dc, entry) -> {
                List<Object> endpoints = new ArrayList<>();
                for (Endpoint e : entry.endpoints().endpoints()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", e.id());
                    m.put("host", e.host());
                    m.put("port", e.port());
                    m.put("region", e.locality().region());
                    m.put("zone", e.locality().zone());
                    m.put("subZone", e.locality().subZone());
                    m.put("weight", e.weight());
                    m.put("health", e.health().label());
                    m.put("metadata", e.metadata());
                    endpoints.add(m);
                }
                byDc.put(dc, Map.of("lastGood", entry.lastGood().toString(), "endpoints", endpoints));
            });
            services.put(service, byDc);
        });
        return Map.of("writtenAt", s.writtenAt().toString(), "services", services);
    }

    private static Snapshot fromJson(JsonNode root) {
        Map<String, Map<String, Entry>> services = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> svc : root.required("services").properties()) {
            Map<String, Entry> byDc = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> dc : svc.getValue().properties()) {
                List<Endpoint> endpoints = new ArrayList<>();
                for (JsonNode e : dc.getValue().required("endpoints")) {
                    Endpoint.Builder b = Endpoint.builder(svc.getKey(), e.required("id").asString())
                            .address(e.required("host").asString(), e.required("port").asInt())
                            .weight(e.required("weight").asInt())
                            .health(HealthStatus.parse("health", e.required("health").asString()));
                    JsonNode sub = e.get("subZone");
                    b.locality(dev.meshless.topology.Locality.of(e.required("region").asString(),
                            e.required("zone").asString(), sub == null || sub.isNull() ? null : sub.asString()));
                    for (Map.Entry<String, JsonNode> m : e.required("metadata").properties()) {
                        b.metadata(m.getKey(), m.getValue().asString());
                    }
                    endpoints.add(b.build());
                }
                byDc.put(dc.getKey(), new Entry(Instant.parse(dc.getValue().required("lastGood").asString()),
                        ServiceEndpoints.of(svc.getKey(), endpoints)));
            }
            services.put(svc.getKey(), byDc);
        }
        return new Snapshot(Instant.parse(root.required("writtenAt").asString()), services);
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param writtenAt when it was taken
     * @param services service → datacenter → last good view
     */
    public record Snapshot(Instant writtenAt, Map<String, Map<String, Entry>> services) {
    }

    /**
     * @param lastGood when Consul last confirmed this view
     * @param endpoints the view
     */
    public record Entry(Instant lastGood, ServiceEndpoints endpoints) {
    }
}
