package dev.meshless.demo;

/**
 * One setting of a caller in the drill, as the report lists it.
 *
 * @param key the property, or what is configured in code
 * @param value its value
 * @param reason why it has that value
 * @param link the documentation (or source) it follows
 */
public record CallerSetting(String key, String value, String reason, String link) {
}
