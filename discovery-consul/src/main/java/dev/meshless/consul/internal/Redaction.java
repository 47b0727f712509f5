package dev.meshless.consul.internal;

/**
 * Keeps ACL tokens out of messages. Tokens are only ever sent in the {@code X-Consul-Token} header;
 * this is the second line of defence for text that comes back from the agent (error bodies).
 */
public final class Redaction {

    /** What replaces a secret. */
    public static final String REDACTED = "<redacted>";

    private Redaction() {
    }

    /**
     * @param text any text, may be null
     * @param secret a secret that must not appear, may be null or empty
     * @return the text with every occurrence of the secret replaced
     */
    public static String redact(String text, String secret) {
        if (text == null || secret == null || secret.isEmpty()) {
            return text;
        }
        return text.replace(secret, REDACTED);
    }

    /**
     * @param text agent output for an error message
     * @param limit the most characters to keep
     * @return the text on one line, shortened to {@code limit} characters
     */
    public static String excerpt(String text, int limit) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= limit ? oneLine : oneLine.substring(0, limit) + "…";
    }
}
