package dev.meshless.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Runs a benchmark's Meshless side on the core of another build — a {@code meshless-core} jar built
 * from an earlier commit — beside the current one, so that one JMH run, with one set of settings on
 * one machine, measures before and after.
 *
 * <p>The other core and the benchmark classes that use it ({@link MeshlessCall}, {@link Topology})
 * are loaded in a class loader of their own, child first: every {@code dev.meshless} class resolves
 * to the other core, and one it lacks fails to load rather than mixing in the current one.
 * Everything else (Resilience4j, Micrometer, the JDK) is shared with the current build, so both
 * measure against the same libraries. The measured object is handed over as a {@link Supplier},
 * a JDK type both sides share.
 */
final class OtherBuild {

    /** The system property naming the other build's core jar. */
    static final String CORE_JAR = "meshless.baseline.core";

    private OtherBuild() {
    }

    /**
     * @param variant the {@link MeshlessCall} variant
     * @return a {@link MeshlessCall} of that variant, built on the core named by {@value #CORE_JAR}
     * @throws IllegalStateException when the property is missing or the jar cannot be loaded
     */
    static <C extends Supplier<Integer> & AutoCloseable> C meshlessCall(String variant) {
        String jar = System.getProperty(CORE_JAR);
        if (jar == null || jar.isBlank() || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("build=baseline needs -D" + CORE_JAR + "=<a meshless-core jar>"
                    + " (pass it with -jvmArgsAppend), but it was " + (jar == null ? "not set" : "'" + jar + "'"));
        }
        try {
            return meshlessCall(Path.of(jar).toUri().toURL(), variant);
        } catch (MalformedURLException e) {
            throw new IllegalStateException("could not load the other build from " + jar, e);
        }
    }

    /**
     * @param core the other build's core: its jar, or its classes directory
     * @param variant the {@link MeshlessCall} variant
     * @return a {@link MeshlessCall} of that variant, built on that core
     */
    @SuppressWarnings("unchecked")
    static <C extends Supplier<Integer> & AutoCloseable> C meshlessCall(URL core, String variant) {
        try {
            ClassLoader loader = new ChildFirst(core, OtherBuild.class.getClassLoader());
            return (C) loader.loadClass(MeshlessCall.class.getName()).getConstructor(String.class).newInstance(variant);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the other build's setup failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not load the other build from " + core, e);
        }
    }

    /** Loads {@code dev.meshless} classes itself: the core from its jar, the benchmark's own from the parent's bytes. */
    private static final class ChildFirst extends URLClassLoader {

        private static final String MESHLESS = "dev.meshless.";
        private static final String BENCHMARKS = "dev.meshless.benchmarks.";

        ChildFirst(URL core, ClassLoader parent) {
            super(new URL[] {core}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(MESHLESS)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = name.startsWith(BENCHMARKS) ? defineFromParent(name) : findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        /** A benchmark class, defined here so that its references resolve to the other core. */
        private Class<?> defineFromParent(String name) throws ClassNotFoundException {
            String resource = name.replace('.', '/') + ".class";
            try (InputStream in = getParent().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
