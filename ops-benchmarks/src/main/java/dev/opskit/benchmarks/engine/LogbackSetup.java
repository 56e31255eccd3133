package dev.opskit.benchmarks.engine;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.OutputStream;
import org.slf4j.LoggerFactory;

/** Logback set up as a host would for opskit at INFO, writing into a stream that discards the bytes. */
final class LogbackSetup {
  private LogbackSetup() {}

  /** Sends the {@code dev.opskit} loggers at INFO through a pattern with the run's MDC keys, to nowhere. */
  static void opskitAtInfoDiscarded() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%X{opskit.run} %X{opskit.pipeline} %X{opskit.step}] %logger{36}"
        + " - %msg%n");
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setName("discard");
    appender.setEncoder(encoder);
    appender.setOutputStream(OutputStream.nullOutputStream());
    appender.start();
    Logger opskit = context.getLogger("dev.opskit");
    opskit.setLevel(Level.INFO);
    opskit.setAdditive(false);
    opskit.addAppender(appender);
  }
}
