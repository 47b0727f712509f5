package dev.meshless.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Generic operations on {@link Spec}s, by their fields: layering one over another, reading a
 * setting by path, and listing what changed between two. Works on any specification, so adding a
 * setting to one needs nothing here.
 */
public final class Specs {

    private static final Map<Class<?>, List<Field>> FIELDS = new ConcurrentHashMap<>();

    private Specs() {
    }

    /**
     * Layers one specification over another: each setting comes from {@code over} when set there,
     * else from {@code under}; nested specifications are layered the same way, and so are the
     * entries of a map of specifications, key by key. A list or other map is taken whole from the
     * layer that sets it. The result shares no mutable state with either input, and neither changes.
     * The two may be of different types in one line of inheritance (a per-key override, a
     * {@code RateLimitSpec}, over its limit): the result is of the more specific type, and a setting
     * one of them does not have counts as not set there.
     *
     * @param over the more specific layer (a service's section), or {@code null}
     * @param under the layer underneath (the defaults), not {@code null}
     * @param <T> the specification's type
     * @return a new specification
     */
    @SuppressWarnings("unchecked")
    public static <T extends Spec> T merge(T over, T under) {
        Objects.requireNonNull(under, "under");
        Class<?> type = over != null && under.getClass().isInstance(over) ? over.getClass() : under.getClass();
        T merged = (T) newInstance(type);
        for (Field f : fields(type)) {
            Object below = readIfDeclared(f, under);
            Object above = readIfDeclared(f, over);
            Object value;
            if (below instanceof Spec || above instanceof Spec) {
                value = merge((Spec) above, below != null ? (Spec) below : (Spec) newInstance(above.getClass()));
            } else if (isMapOfSpecs(above) || isMapOfSpecs(below)) {
                value = mergeEntries((Map<?, ?>) above, (Map<?, ?>) below);
            } else {
                value = copy(above != null ? above : below);
            }
            write(f, merged, value);
        }
        return merged;
    }

    /** Two maps of specifications, key by key: an entry of {@code over} layered over the same key's. */
    private static Map<Object, Object> mergeEntries(Map<?, ?> over, Map<?, ?> under) {
        Map<Object, Object> merged = new LinkedHashMap<>();
        if (under != null) {
            under.forEach((key, value) -> merged.put(key, copy(value)));
        }
        if (over != null) {
            over.forEach((key, value) -> merged.merge(key, copy(value), (below, above) -> below instanceof Spec b
                    && above instanceof Spec a ? merge(a, b) : above));
        }
        return merged;
    }

    /** A value no layer shares: collections are copied, specifications layered over nothing. */
    private static Object copy(Object value) {
        if (value instanceof Spec spec) {
            return merge(null, spec);
        }
        if (value instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        if (value instanceof Set<?> set) {
            return new LinkedHashSet<>(set);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((key, v) -> copy.put(key, copy(v)));
            return copy;
        }
        return value;
    }

    /**
     * Hands a setting to a builder when it is set; used by the mappings of specifications onto
     * builders, so that a setting left out keeps the builder's default.
     *
     * @param value the setting, or {@code null} when not set
     * @param setter the builder's setter
     * @param <T> the setting's type
     */
    public static <T> void apply(T value, Consumer<? super T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    /**
     * Runs the mapping of a nested specification, so that a failure names the setting by its path
     * from the enclosing one.
     *
     * @param prefix the nested specification's path, for example {@code outlierDetection}
     * @param mapping its mapping
     * @param <T> what the mapping builds
     * @return what it built
     * @throws InvalidConfigurationException with the path under {@code prefix}
     */
    public static <T> T under(String prefix, Supplier<T> mapping) {
        try {
            return mapping.get();
        } catch (InvalidConfigurationException e) {
            throw e.under(prefix);
        }
    }

    /**
     * @param spec a specification
     * @param path a setting's path, such as {@code retry.maxAttempts} or {@code limits[api].burst}
     * @return the value there, or {@code null} when it or anything on the way is not set
     * @throws IllegalArgumentException when the path names no setting of the specification
     */
    public static Object get(Object spec, String path) {
        Object at = spec;
        for (String segment : Paths.segments(path)) {
            if (at == null) {
                return null;
            }
            if (Paths.isKey(segment)) {
                String key = Paths.keyOf(segment);
                if (at instanceof Map<?, ?> map) {
                    at = map.get(key);
                } else if (at instanceof List<?> list) {
                    int i = Integer.parseInt(key);
                    at = i < list.size() ? list.get(i) : null;
                } else {
                    throw new IllegalArgumentException("path '" + path + "': " + segment + " follows a value that"
                            + " is neither a map nor a list");
                }
            } else {
                at = read(field(at.getClass(), segment, path), at);
            }
        }
        return at;
    }

    /**
     * Sets one setting of a specification by its name, for readers that fill a specification from
     * a document by the settings' names (the what-if simulator's JSON).
     *
     * @param spec a specification
     * @param setting the setting's name, one of {@link #settings}
     * @param value the value, of the setting's type, or {@code null} for not set
     * @throws IllegalArgumentException when the specification has no such setting or the value
     *     is not of its type
     */
    public static void set(Spec spec, String setting, Object value) {
        Field f = field(spec.getClass(), setting, setting);
        if (value != null && !f.getType().isInstance(value)) {
            throw new IllegalArgumentException(spec.getClass().getSimpleName() + "." + setting + " is a "
                    + f.getType().getSimpleName() + ", not a " + value.getClass().getSimpleName());
        }
        write(f, spec, value);
    }

    /**
     * @param spec a specification, or {@code null}
     * @param path a setting's path
     * @return whether the specification sets it
     */
    public static boolean isSet(Object spec, String path) {
        return spec != null && get(spec, path) != null;
    }

    /**
     * @param before a specification
     * @param after another of the same type
     * @return the paths of the settings whose values differ, in field order; a map-valued setting
     *     of specifications is compared key by key
     */
    public static Set<String> changes(Spec before, Spec after) {
        Set<String> changed = new LinkedHashSet<>();
        diff("", before, after, changed);
        return changed;
    }

    /**
     * @param type a specification's type
     * @return its settings and nested specifications, by name, in declaration order
     */
    public static Map<String, Class<?>> settings(Class<? extends Spec> type) {
        Map<String, Class<?>> settings = new LinkedHashMap<>();
        for (Field f : fields(type)) {
            settings.put(f.getName(), f.getType());
        }
        return settings;
    }

    private static void diff(String path, Object before, Object after, Set<String> changed) {
        if (before instanceof Spec || after instanceof Spec) {
            Class<?> type = (before != null ? before : after).getClass();
            for (Field f : fields(type)) {
                diff(Paths.join(path, f.getName()), before == null ? null : read(f, before),
                        after == null ? null : read(f, after), changed);
            }
        } else if (isMapOfSpecs(before) || isMapOfSpecs(after)) {
            Set<Object> keys = new LinkedHashSet<>();
            Map<?, ?> b = before == null ? Map.of() : (Map<?, ?>) before;
            Map<?, ?> a = after == null ? Map.of() : (Map<?, ?>) after;
            keys.addAll(b.keySet());
            keys.addAll(a.keySet());
            for (Object key : keys) {
                diff(Paths.key(path, key), b.get(key), a.get(key), changed);
            }
        } else if (!Objects.equals(before, after)) {
            changed.add(path);
        }
    }

    private static boolean isMapOfSpecs(Object value) {
        return value instanceof Map<?, ?> map && map.values().stream().anyMatch(Spec.class::isInstance);
    }

    private static Field field(Class<?> type, String name, String path) {
        for (Field f : fields(type)) {
            if (f.getName().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("path '" + path + "': " + type.getSimpleName() + " has no setting '"
                + name + "'");
    }

    private static List<Field> fields(Class<?> type) {
        return FIELDS.computeIfAbsent(type, t -> {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = t; c != null && c != Object.class; c = c.getSuperclass()) {
                List<Field> own = new ArrayList<>();
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers()) && !f.isSynthetic()) {
                        f.setAccessible(true);
                        own.add(f);
                    }
                }
                fields.addAll(0, own);
            }
            return List.copyOf(fields);
        });
    }

    private static Object read(Field f, Object target) {
        try {
            return f.get(target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + f, e);
        }
    }

    private static Object readIfDeclared(Field f, Object target) {
        return target != null && f.getDeclaringClass().isInstance(target) ? read(f, target) : null;
    }

    private static void write(Field f, Object target, Object value) {
        try {
            f.set(target, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot write " + f, e);
        }
    }

    private static Object newInstance(Class<?> type) {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getName() + " needs a public no-argument constructor to be a Spec", e);
        }
    }
}
