package io.ferry.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logging for client verbs: what conf/logback.xml says, set up in code, since reading the XML cost a short command
 * a tenth of its time. Daemons get the file, and so does a client verb run with {@code -Dferry.log.client=false}
 * ({@link Ferry} decides; logback finds this class through the ServiceLoader, before any file). The same levels can
 * be raised with {@code -Dferry.log.level}, {@code -Dferry.log.zk} and {@code -Dferry.log.root}.
 */
public final class ClientLogging extends ContextAwareBase implements Configurator {
    /** Set by {@link Ferry#main} for a client verb. */
    static final String CLIENT = "ferry.log.client";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (!Boolean.getBoolean(CLIENT)) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %msg%n");
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
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static Level level(String property, String fallback) {
        return Level.toLevel(System.getProperty(property), Level.toLevel(fallback));
    }
}
