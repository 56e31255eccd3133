package dev.opskit.benchmarks;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a suite gets from {@link BenchMain}: the mode, the JMH settings that go with it, where to write files, and where
 * to log progress. Used by one thread.
 */
public final class SuiteContext {
  private final boolean quick;
  private final Path outputDirectory;
  private final PrintStream log;
  private final JmhSettings jmh;
  private final List<String> notes = new ArrayList<>();
  private final List<Double> loads = new ArrayList<>();

  /**
   * Creates a context.
   *
   * @param quick whether the run is the short one ({@code --quick})
   * @param outputDirectory where reports and logs go, usually {@code ops-benchmarks/target}
   * @param log where progress goes; never standard output, which carries only {@code BENCH} lines
   */
  public SuiteContext(boolean quick, Path outputDirectory, PrintStream log) {
    this.quick = quick;
    this.outputDirectory = outputDirectory;
    this.log = log;
    this.jmh = quick ? JmhSettings.QUICK : JmhSettings.FULL;
  }

  /**
   * Tells whether this is a quick run.
   *
   * @return true for {@code --quick}
   */
  public boolean quick() {
    return quick;
  }

  /**
   * Returns where reports and logs go.
   *
   * @return the directory
   */
  public Path outputDirectory() {
    return outputDirectory;
  }

  /**
   * Returns the JMH settings of this mode.
   *
   * @return the settings
   */
  public JmhSettings jmh() {
    return jmh;
  }

  /**
   * Logs a progress line.
   *
   * @param line the line
   */
  public void log(String line) {
    log.println(line);
    log.flush();
  }

  /**
   * Records a note for the report, such as a variant that was skipped and why; it is logged too.
   *
   * @param note the note
   */
  public void note(String note) {
    notes.add(note);
    log("NOTE " + note);
  }

  /**
   * Samples the one-minute system load average, for the report: a benchmark that shared two cores with a busy build
   * says so. Notes a warning when the load exceeds the number of cores.
   *
   * @param when what is about to happen or just ended, for the note
   */
  public void sampleLoad(String when) {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    if (load < 0) {
      return;
    }
    loads.add(load);
    int cores = Runtime.getRuntime().availableProcessors();
    if (load > cores) {
      note(String.format(Locale.ROOT, "machine busy %s: load average %.1f on %d cores; figures measured now are "
          + "unreliable", when, load, cores));
    }
  }

  /**
   * Returns the load averages sampled so far.
   *
   * @return the samples, in order
   */
  public List<Double> loads() {
    return List.copyOf(loads);
  }

  /**
   * Returns the notes recorded so far.
   *
   * @return the notes
   */
  public List<String> notes() {
    return List.copyOf(notes);
  }
}
