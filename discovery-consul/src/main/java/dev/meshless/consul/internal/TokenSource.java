package dev.meshless.consul.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACL token of one agent: given directly, or read from a file and read again when the file
 * changes (tokens rotated by an external agent). Never logs or prints the token itself.
 *
 * <p>Thread-safe.
 */
public final class TokenSource {

    private static final Logger log = LoggerFactory.getLogger(TokenSource.class);

    private final String fixed;
    private final Path file;
    private volatile String current;
    private volatile FileTime readAt;

    /**
     * @param fixed the token, or null
     * @param file a file holding the token when {@code fixed} is null, or null
     */
    public TokenSource(String fixed, Path file) {
        this.fixed = fixed;
        this.file = fixed == null ? file : null;
        this.current = fixed;
    }

    /** @return the token to send, or null for none */
    public String get() {
        if (file == null) {
            return fixed;
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (!modified.equals(readAt)) {
                synchronized (this) {
                    if (!modified.equals(readAt)) {
                        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
                        current = text.isEmpty() ? null : text;
                        readAt = modified;
                    }
                }
            }
        } catch (IOException e) {
            log.warn("Cannot read the Consul ACL token file '{}' ({}); using the token read before, if any", file,
                    e.getClass().getSimpleName());
        }
        return current;
    }
}
