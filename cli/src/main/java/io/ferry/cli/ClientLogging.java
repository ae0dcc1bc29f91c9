package io.ferry.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Logging for client verbs: what conf/logback.xml says, set up in code. {@link Ferry} names this class as SLF4J's
 * provider for a client verb ({@code -Dslf4j.provider}), so that neither SLF4J nor logback searches the class path
 * for providers and configurators: each search opens every jar, and with parsing the XML that took a short command
 * a quarter of its time. Daemons get the file, and so does a client verb run with {@code -Dferry.log.client=false}.
 * The same levels can be raised with {@code -Dferry.log.level}, {@code -Dferry.log.zk} and {@code -Dferry.log.root}.
 */
public final class ClientLogging implements SLF4JServiceProvider {
    /** {@code false} makes a client verb read conf/logback.xml as daemons do. */
    static final String CLIENT = "ferry.log.client";

    private final LoggerContext context = new LoggerContext();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final LogbackMDCAdapter mdc = new LogbackMDCAdapter(); // SLF4J asks for it before initialize()

    @Override
    public void initialize() {
        context.setName(CoreConstants.DEFAULT_CONTEXT_NAME);
        context.setMDCAdapter(mdc);
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(new Line());
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level("ferry.log.root", "WARN"));
        root.addAppender(stderr);
        context.getLogger("io.ferry").setLevel(level("ferry.log.level", "WARN"));
        context.getLogger("org.apache.zookeeper").setLevel(level("ferry.log.zk", "OFF"));
        context.getLogger("org.apache.curator").setLevel(level("ferry.log.zk", "OFF"));
        context.start();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return context;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    private static Level level(String property, String fallback) {
        return Level.toLevel(System.getProperty(property), Level.toLevel(fallback));
    }

    /**
     * conf/logback.xml's {@code %d{HH:mm:ss.SSS} %-5level %msg%n}, written out: logback's pattern layout and the JDK's
     * date formatting it loads cost a short command 15 ms before it could connect.
     */
    static final class Line extends LayoutBase<ILoggingEvent> {
        @Override
        public String doLayout(ILoggingEvent event) {
            LocalTime t = LocalTime.ofInstant(Instant.ofEpochMilli(event.getTimeStamp()), ZoneId.systemDefault());
            StringBuilder line = new StringBuilder(96);
            digits(line, t.getHour(), 2).append(':');
            digits(line, t.getMinute(), 2).append(':');
            digits(line, t.getSecond(), 2).append('.');
            digits(line, t.getNano() / 1_000_000, 3).append(' ');
            String level = event.getLevel().toString();
            line.append(level).append(" ".repeat(Math.max(1, 6 - level.length())));
            line.append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
            if (event.getThrowableProxy() != null) {
                line.append(ThrowableProxyUtil.asString(event.getThrowableProxy())); // ends with a line separator
            }
            return line.toString();
        }

        private static StringBuilder digits(StringBuilder line, int n, int width) {
            String s = Integer.toString(n);
            return line.append("0".repeat(Math.max(0, width - s.length()))).append(s);
        }
    }
}
