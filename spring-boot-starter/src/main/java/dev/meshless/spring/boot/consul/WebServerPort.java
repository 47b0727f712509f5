package dev.meshless.spring.boot.consul;

import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * The port of the application context's own embedded web server (never the management server's,
 * which runs in a child context), read once the server has started.
 */
final class WebServerPort {

    private static final boolean WEB_SERVER = ClassUtils.isPresent(
            "org.springframework.boot.web.server.context.WebServerApplicationContext", WebServerPort.class.getClassLoader());

    private WebServerPort() {
    }

    /**
     * @param context the application context
     * @return the port its web server listens on, or -1 when it has none
     */
    static int of(ApplicationContext context) {
        return WEB_SERVER ? Reader.port(context) : -1;
    }

    /** Loaded only when Spring Boot's web server module is on the class path. */
    private static final class Reader {
        static int port(ApplicationContext context) {
            if (context instanceof WebServerApplicationContext web) {
                WebServer server = web.getWebServer();
                return server == null ? -1 : server.getPort();
            }
            return -1;
        }
    }
}
