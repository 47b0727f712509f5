package dev.meshless.consul.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event of {@code dev.meshless} at DEBUG and above while open (so that tests can
 * assert on messages and on what must never be logged), and restores the level on close.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.meshless");
    private final Level previous = logger.getLevel();
    private final boolean additive = logger.isAdditive();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        logger.setAdditive(false);
    }

    /** @return every captured event as {@code LEVEL message [throwable chain]} */
    public List<String> lines() {
        return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage() + throwable(
                e.getThrowableProxy())).collect(Collectors.toList());
    }

    /** @return captured lines at WARN or above */
    public List<String> warnings() {
        return lines().stream().filter(l -> l.startsWith("WARN") || l.startsWith("ERROR")).toList();
    }

    /** @return everything captured, one line per event */
    public String text() {
        return String.join("\n", lines());
    }

    private static String throwable(IThrowableProxy t) {
        StringBuilder b = new StringBuilder();
        for (IThrowableProxy p = t; p != null; p = p.getCause()) {
            b.append(" [").append(p.getClassName()).append(": ").append(p.getMessage()).append(']');
        }
        return b.toString();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previous);
        logger.setAdditive(additive);
    }
}
