package dev.meshless.config;

/**
 * Marks a specification: a plain object of nullable settings (and nested specifications) that a
 * binder, a JSON or YAML reader or a test fills, with a public no-argument constructor and a
 * getter and setter per setting. A {@code null} setting is "not set here": {@link Specs#merge}
 * takes it from the specification underneath, and the builder's default applies when no layer
 * sets it. Nested specifications are never {@code null}. Specifications do no checking; the one
 * mapping of each onto its builder does, and names the setting by its path.
 *
 * <p>A specification's {@code builtIn()}, where it has one, states the builder's defaults for
 * documentation and metadata. Do not layer it under a specification that is then mapped: the
 * builder would see every setting as given, and a rule between two settings names the one given.
 */
public interface Spec {
}
