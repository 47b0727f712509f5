package dev.meshless.consul.testing;

import dev.meshless.consul.ConsulAgentConfig;
import dev.meshless.consul.ConsulConfig;
import java.time.Duration;
import java.util.Map;

/** Configurations for tests: no environment, short timeouts, quick retries. */
public final class Configs {

    private Configs() {
    }

    /**
     * @param address the agent's URL
     * @param datacenters datacenters to watch through it; none means all it lists
     * @return an agent config that ignores the process environment
     */
    public static ConsulAgentConfig agent(String address, String... datacenters) {
        return ConsulAgentConfig.builder().environment(Map.of()).address(address).datacenters(datacenters)
                .connectTimeout(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(2)).build();
    }

    /**
     * @param address the agent's URL
     * @return a registry config for real-time tests: 10 s blocking queries, retries within 50 ms,
     *     rate limit 2 then 1 per 50 ms, confirmation of empty answers after 20 ms
     */
    public static ConsulConfig.Builder fast(String address) {
        return ConsulConfig.builder().agent(agent(address))
                .wait(Duration.ofSeconds(10))
                .rateLimitInterval(Duration.ofMillis(50))
                .errorBackoffInitial(Duration.ofMillis(50))
                .errorBackoffMax(Duration.ofMillis(200))
                .emptyConfirmationDelay(Duration.ofMillis(20))
                .snapshotWriteDelay(Duration.ZERO);
    }
}
