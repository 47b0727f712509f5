package dev.meshless.ratelimit.redis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster for tests: {@code size} {@link RedisServer#startClusterNode() nodes} on free
 * loopback ports (each with its bus on another), every one a primary, joined by
 * {@code redis-cli --cluster create} (Debian's redis-tools, which redis-server depends on), and waited
 * for until each node reports {@code cluster_state:ok}. Not thread-safe.
 */
public final class RedisCluster implements AutoCloseable {

    private static final Duration FORMING = Duration.ofSeconds(60);

    private final List<RedisServer> nodes;

    private RedisCluster(List<RedisServer> nodes) {
        this.nodes = nodes;
    }

    /**
     * @param size how many primaries, at least 3 (redis-cli's minimum)
     * @return the cluster, its slots all assigned and its state ok on every node
     * @throws IOException when a node cannot start or the cluster does not form in time
     */
    public static RedisCluster start(int size) throws IOException {
        List<RedisServer> nodes = new ArrayList<>();
        RedisCluster cluster = new RedisCluster(nodes);
        try {
            for (int i = 0; i < size; i++) {
                nodes.add(RedisServer.startClusterNode());
            }
            List<String> command = new ArrayList<>(List.of(RedisServer.executable("redis-cli"), "--cluster", "create"));
            cluster.nodes().forEach(command::add);
            command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Process create = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(create.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!create.waitFor(FORMING.toSeconds(), TimeUnit.SECONDS) || create.exitValue() != 0) {
                throw new IOException("redis-cli --cluster create failed: " + output);
            }
            long deadline = System.nanoTime() + FORMING.toNanos();
            for (RedisServer node : nodes) {
                while (!stateOk(node.port())) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("the cluster did not reach cluster_state:ok within " + FORMING);
                    }
                    TimeUnit.MILLISECONDS.sleep(20); // polling a condition, with a deadline
                }
            }
            return cluster;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cluster.close();
            throw new IOException("interrupted while the cluster formed", e);
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private static boolean stateOk(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("CLUSTER INFO\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            byte[] buffer = new byte[4096];
            while (reply.indexOf("cluster_known_nodes") < 0) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                reply.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
            }
            return reply.indexOf("cluster_state:ok") >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** @return the nodes' addresses, {@code 127.0.0.1:port} */
    public List<String> nodes() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.port()).toList();
    }

    /** Stops every node and deletes their directories. */
    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }
}
