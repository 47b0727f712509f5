package dev.meshless.ratelimit.redis.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one real {@link RedisServer} per test class (on a free loopback port, in a temporary
 * directory) and stops it after the class; tests receive it as a parameter:
 * <pre>{@code
 * @ExtendWith(RedisServerExtension.class)
 * class SomeTest {
 *     @Test void works(RedisServer redis) { ... redis.uri() ... }
 * }
 * }</pre>
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            RedisServerExtension.class);

    /** Created by JUnit. */
    public RedisServerExtension() {
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        context.getStore(NAMESPACE).put(RedisServer.class, RedisServer.start());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        RedisServer server = context.getStore(NAMESPACE).remove(RedisServer.class, RedisServer.class);
        if (server != null) {
            server.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RedisServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).get(RedisServer.class, RedisServer.class);
    }
}
