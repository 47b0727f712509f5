package dev.meshless.spring.boot.test;

/**
 * What an instance of a {@link ZoneFleet} answers.
 *
 * @param status the HTTP status
 * @param contentType the {@code Content-Type}, or {@code null} for none
 * @param body the body, sent as UTF-8; empty for none
 */
public record FleetResponse(int status, String contentType, String body) {

    /**
     * @param text the body
     * @return a 200 with a {@code text/plain} body
     */
    public static FleetResponse text(String text) {
        return new FleetResponse(200, "text/plain; charset=utf-8", text);
    }

    /**
     * @param json the body
     * @return a 200 with an {@code application/json} body
     */
    public static FleetResponse json(String json) {
        return new FleetResponse(200, "application/json", json);
    }

    /**
     * @param next another status
     * @return this answer with that status
     */
    public FleetResponse withStatus(int next) {
        return new FleetResponse(next, contentType, body);
    }
}
