package dev.meshless.spring.boot.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Writes RFC 9457 {@code application/problem+json} bodies for the responses the starter's inbound
 * filters answer on their own (rate-limit rejections, load shedding): the standard members
 * {@code type}, {@code title}, {@code status}, {@code detail} and {@code instance}, then extension
 * members added one by one.
 *
 * <p>Used by one thread at a time.
 */
public final class ProblemJson {

    /** The content type of problem bodies. */
    public static final String CONTENT_TYPE = "application/problem+json";

    private final StringBuilder json = new StringBuilder(256);

    /**
     * Starts a body with its standard members.
     *
     * @param type the problem type URI
     * @param title the title: the status's reason phrase
     * @param status the HTTP status
     * @param detail what happened to this request
     * @param instance the request path, URL-encoded as received
     */
    public ProblemJson(URI type, String title, int status, String detail, String instance) {
        json.append("{\"type\":");
        string(type.toString());
        json.append(",\"title\":");
        string(title);
        json.append(",\"status\":").append(status).append(",\"detail\":");
        string(detail);
        json.append(",\"instance\":");
        string(instance);
    }

    /**
     * @param name an extension member's name
     * @param value its value
     * @return this body
     */
    public ProblemJson member(String name, String value) {
        json.append(',');
        string(name);
        json.append(':');
        string(value);
        return this;
    }

    /**
     * @param name an extension member's name
     * @param value its value
     * @return this body
     */
    public ProblemJson member(String name, long value) {
        json.append(',');
        string(name);
        json.append(':').append(value);
        return this;
    }

    /** @return the body, UTF-8 JSON */
    public byte[] toBytes() {
        return (json + "}").getBytes(StandardCharsets.UTF_8);
    }

    private void string(String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
