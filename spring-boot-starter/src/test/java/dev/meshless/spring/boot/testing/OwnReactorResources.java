package dev.meshless.spring.boot.testing;

import java.time.Duration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Gives a test application Reactor Netty resources of its own — event loops and a connection pool —
 * that it disposes itself when it closes, in place of Spring Boot's {@code ReactorResourceFactory},
 * which stands for the JVM's global {@code HttpResources}.
 *
 * <p>Why: the tests of a module share one JVM, and Boot's factory disposes the global resources when
 * its application closes. For global resources Reactor Netty 1.3 ({@code HttpResources
 * .disposeLoopsAndConnectionsLater}, {@code TcpResources._disposeLater}) shuts the event loops down
 * <em>while</em> the pool closes its idle connections on those same loops, and Spring's
 * {@code ReactorResourceFactory.stop()} waits for both with {@code block()}, the pool's part without
 * a bound. With a quiet period of zero a loop can run a connection's {@code close()} and terminate
 * before the pool has put its listener on the close's future; Netty then cannot deliver the
 * notification ("Failed to submit a listener notification task. Event loop shut down?") and the
 * close of the application waits for ever, with no loop left to wake it. Resources of its own are
 * disposed the other way round: {@code stop()} disposes the pool first, while its loops still run,
 * then the loops, within the shutdown timeout. So the quiet period stays zero and an application
 * still closes in milliseconds.
 *
 * <p>Clients built on {@code WebClient.builder()} or {@code WebClient.create()}, as Spring Cloud's
 * documentation declares them, use the global resources directly, whatever the factory; an
 * application with this factory leaves those alone when it closes.
 */
public final class OwnReactorResources {

    private OwnReactorResources() {
    }

    /**
     * Registers the factory; as an {@code ApplicationContextInitializer} of a
     * {@code SpringApplicationBuilder} or an {@code ApplicationContextRunner}. Boot's own factory
     * backs off ({@code @ConditionalOnMissingBean}).
     *
     * @param context an application context that is not refreshed yet
     */
    public static void register(ConfigurableApplicationContext context) {
        ((GenericApplicationContext) context).registerBean("reactorResourceFactory", ReactorResourceFactory.class,
                OwnReactorResources::factory);
    }

    /** @return a factory of resources of its own, disposed without a quiet period */
    private static ReactorResourceFactory factory() {
        ReactorResourceFactory own = new ReactorResourceFactory();
        own.setUseGlobalResources(false);
        own.setShutdownQuietPeriod(Duration.ZERO);
        return own;
    }
}
