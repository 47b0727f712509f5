package dev.meshless.ratelimit.redis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} (Debian's package) for tests: started on a free 127.0.0.1 port with a
 * temporary directory and no persistence, stopped (or killed, and started again on the same port) by
 * the test. Use it through {@link RedisServerExtension}. Not thread-safe.
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(20);

    private final Path dir;
    /** The option that takes the second port ({@code --tls-port}, {@code --cluster-port}), or null. */
    private final String secondPortOption;
    private final List<String> options;
    private int port;
    private int secondPort;
    private Process process;

    private RedisServer(Path dir, String secondPortOption, List<String> options) {
        this.dir = dir;
        this.secondPortOption = secondPortOption;
        this.options = options;
    }

    /**
     * Starts a server on a free loopback port.
     *
     * @return the running server
     * @throws IOException when it cannot start; the message says how to install redis-server
     */
    public static RedisServer start() throws IOException {
        return start(null, List.of());
    }

    /**
     * Starts a server that also listens for TLS on a second free loopback port (Debian's redis-server
     * is built with TLS), with the given PEM files, requiring a client certificate signed by the CA.
     *
     * @param certificate the server's certificate
     * @param key its unencrypted key
     * @param ca the CA that signed it and the clients' certificates
     * @return the running server
     * @throws IOException when it cannot start
     */
    public static RedisServer startTls(Path certificate, Path key, Path ca) throws IOException {
        return start("--tls-port", List.of("--tls-cert-file", certificate.toString(), "--tls-key-file",
                key.toString(), "--tls-ca-cert-file", ca.toString(), "--tls-auth-clients", "yes"));
    }

    /**
     * Starts a node for a Redis Cluster, its cluster bus on a second free loopback port; it is not part
     * of a cluster until {@link RedisCluster} forms one.
     *
     * @return the running node
     * @throws IOException when it cannot start
     */
    public static RedisServer startClusterNode() throws IOException {
        return start("--cluster-port", List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", "2000"));
    }

    private static RedisServer start(String secondPortOption, List<String> options) throws IOException {
        RedisServer server = new RedisServer(Files.createTempDirectory("meshless-redis"), secondPortOption, options);
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                 ServerSocket second = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                server.port = free.getLocalPort();
                server.secondPort = secondPortOption == null ? 0 : second.getLocalPort();
            }
            try {
                server.launch();
                return server;
            } catch (IOException e) {
                last = e; // the port was taken in between: try another
            }
        }
        server.deleteDir();
        throw last;
    }

    private void launch() throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(executable(), "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--logfile", dir.resolve("redis.log").toString()));
        if (secondPortOption != null) {
            command.addAll(List.of(secondPortOption, String.valueOf(secondPort)));
        }
        command.addAll(options);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue() + " on port " + port + ": "
                        + Files.readString(dir.resolve("redis.log")));
            }
            if (pings()) {
                return;
            }
            try {
                process.waitFor(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while redis-server started", e);
            }
        }
        process.destroyForcibly();
        throw new IOException("redis-server did not answer PING on port " + port + " within " + STARTUP);
    }

    private static String executable() throws IOException {
        return executable("redis-server");
    }

    /**
     * @param name a program of Debian's redis packages ({@code redis-server}, {@code redis-cli})
     * @return its path
     * @throws IOException when it is not installed
     */
    static String executable(String name) throws IOException {
        List<String> dirs = new java.util.ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "")
                .split(java.io.File.pathSeparator)));
        dirs.addAll(List.of("/usr/bin", "/usr/local/bin", "/usr/sbin"));
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            if (Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        throw new IOException(name + " is not installed; the tests of exact rate limits run against a real"
                + " one (Debian: apt-get install redis-server; .ci/run installs it)");
    }

    private boolean pings() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int n = in.read(reply);
            return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** @return the port it listens on, the same after {@link #restart()} */
    public int port() {
        return port;
    }

    /** @return the TLS port of a server started with {@link #startTls}, else 0 */
    public int tlsPort() {
        return "--tls-port".equals(secondPortOption) ? secondPort : 0;
    }

    /** @return {@code redis://127.0.0.1:port} */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** @return whether the process is running */
    public boolean running() {
        return process != null && process.isAlive();
    }

    /** Kills the server at once (SIGKILL), as a crash would: connections drop, buckets are lost. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Starts the server again on the same port, empty.
     *
     * @throws IOException when it cannot start
     */
    public void restart() throws IOException {
        kill();
        launch();
    }

    /** Stops the server and deletes its directory. */
    @Override
    public void close() {
        kill();
        deleteDir();
    }

    private void deleteDir() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }
}
