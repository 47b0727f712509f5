package dev.meshless.consul.testing;

import dev.meshless.consul.ConsulAgentConfig;
import dev.meshless.consul.ConsulConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

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

    /**
     * @param config a configuration object ({@code ConsulConfig}, {@code ConsulRegistrationConfig} …)
     * @return every public accessor's value, agents described the same way, so that two configurations
     *     can be compared setting by setting
     */
    public static Map<String, Object> describe(Object config) {
        Map<String, Object> out = new TreeMap<>();
        for (Method m : config.getClass().getMethods()) {
            if (m.getParameterCount() > 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class
                    || m.getName().equals("toString") || m.getName().equals("hashCode")) {
                continue;
            }
            try {
                Object value = m.invoke(config);
                out.put(m.getName(), value instanceof ConsulAgentConfig agent ? describe(agent) : value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }
}
