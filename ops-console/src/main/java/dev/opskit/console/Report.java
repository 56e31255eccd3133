package dev.opskit.console;

import dev.opskit.Names;
import dev.opskit.Workspace;
import dev.opskit.console.internal.report.CompareSection;
import dev.opskit.console.internal.report.ModelSection;
import dev.opskit.console.internal.report.ReportPage;
import dev.opskit.console.internal.report.RunSection;
import dev.opskit.console.internal.report.RunsCompareSection;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One-file HTML reports over a workspace: a run, a model, model versions side by side, or runs side by side. Each report is one
 * self-contained page, with its style sheet and its charts (SVG) inline, that makes no request at all: a
 * Content-Security-Policy in the page forbids every script, image, font and connection. A CI job can attach it as an
 * artifact; a reviewer can open it from an email, offline.
 *
 * <pre>{@code
 * Report.Document report = Report.of(workspace).run(run.id());
 * Path file = report.writeTo(Path.of("target/run-report.html"));
 * }</pre>
 *
 * <p>Immutable and thread-safe when the workspace is. A report reads the workspace through the same public queries as
 * the console, a fixed number of reads whatever its size; a model report shows the model's newest
 * 200 versions.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class Report {
  private final Workspace workspace;
  private final Map<String, Pipeline> pipelines;

  private Report(Workspace workspace, Map<String, Pipeline> pipelines) {
    this.workspace = workspace;
    this.pipelines = pipelines;
  }

  /**
   * Starts reports over a workspace.
   *
   * @param workspace the workspace to read; the report does not close it
   * @return the reports
   */
  public static Report of(Workspace workspace) {
    return new Report(Objects.requireNonNull(workspace, "workspace"), Map.of());
  }

  /**
   * Returns reports that know pipeline definitions, so a run's graph shows its edges; without one, a run's steps are
   * drawn as unconnected boxes, since a run record does not say what each step reads.
   *
   * @param definitions the pipelines
   * @return new reports with these definitions added
   * @throws IllegalArgumentException if two different definitions have the same name
   */
  public Report pipelines(Pipeline... definitions) {
    Objects.requireNonNull(definitions, "definitions");
    Map<String, Pipeline> all = new LinkedHashMap<>(pipelines);
    for (Pipeline p : definitions) {
      Objects.requireNonNull(p, "pipeline");
      Pipeline old = all.putIfAbsent(p.name(), p);
      if (old != null && old != p) {
        throw new IllegalArgumentException("two pipeline definitions are named '" + p.name()
            + "'; give the report one of them");
      }
    }
    return new Report(workspace, Map.copyOf(all));
  }

  /**
   * Reports one run: its facts, pipeline graph coloured by status, timeline, and step table with each step's
   * attempts, duration, cache reason, outputs and error.
   *
   * @param runId the run's id
   * @return the report
   * @throws IllegalArgumentException if the workspace has no such run
   */
  public Document run(String runId) {
    Objects.requireNonNull(runId, "runId");
    Run run = workspace.run(runId).orElseThrow(() -> new IllegalArgumentException("no run " + Names.quote(runId)
        + " in this workspace; list its runs with workspace.runs().list() or `opskit runs`"));
    String title = "Run " + run.id();
    return document(title, RunSection.render(run, pipelines.get(run.pipeline()), workspace.clock().instant()));
  }

  /**
   * Reports one model: its facts, the result of verifying its audit trail, its versions with stage, aliases and
   * metrics, a chart of each metric over the versions, and its promotion history with every gate's evidence.
   *
   * @param name the model's name
   * @return the report
   * @throws ModelNotFoundException if the workspace has no such model
   */
  public Document model(String name) {
    Objects.requireNonNull(name, "name");
    try (ModelRegistry registry = ModelRegistry.in(workspace)) {
      return document("Model " + name, ModelSection.render(registry, name));
    }
  }

  /**
   * Reports versions of a model side by side: their metrics (with a chart), parameters (those that differ marked),
   * inputs and stage changes.
   *
   * @param model the model's name
   * @param versions two or more version numbers, in the order to show them
   * @return the report
   * @throws IllegalArgumentException if fewer than two versions are given
   * @throws ModelNotFoundException if the workspace has no such model
   */
  public Document compare(String model, int... versions) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(versions, "versions");
    if (versions.length < 2) {
      throw new IllegalArgumentException("compare needs two or more versions of '" + model + "', got "
          + Arrays.toString(versions));
    }
    try (ModelRegistry registry = ModelRegistry.in(workspace)) {
      return document("Compare " + model, CompareSection.render(registry.compare(model, versions)));
    }
  }

  /**
   * Reports runs side by side: their facts, each step's status, duration and reason in every run, and the version of
   * each output every run produced; rows where the runs differ are marked.
   *
   * @param runIds two or more run ids, in the order to show them
   * @return the report
   * @throws IllegalArgumentException if fewer than two ids are given, or the workspace has no run of one of them
   */
  public Document compareRuns(String... runIds) {
    Objects.requireNonNull(runIds, "runIds");
    if (runIds.length < 2) {
      throw new IllegalArgumentException("comparing runs needs two or more run ids, got " + Arrays.toString(runIds));
    }
    List<Run> runs = new ArrayList<>();
    for (String id : runIds) {
      Objects.requireNonNull(id, "run id");
      runs.add(workspace.run(id).orElseThrow(() -> new IllegalArgumentException("no run " + Names.quote(id)
          + " in this workspace; list its runs with workspace.runs().list() or `opskit runs`")));
    }
    return document("Compare runs", RunsCompareSection.render(runs));
  }

  private Document document(String title, String body) {
    return new Document(title, ReportPage.page(title, body, workspace.clock().instant()));
  }

  /**
   * One report: a complete HTML page.
   *
   * @param title the page's title, such as {@code Run 5f3c...}
   * @param html the whole page, one self-contained file
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  public record Document(String title, String html) {
    /**
     * Checks the components.
     *
     * @param title the title
     * @param html the page
     */
    public Document {
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(html, "html");
    }

    /**
     * Writes the page to a file, UTF-8, atomically: to a temporary file in the same directory, then renamed. Missing
     * parent directories are created.
     *
     * @param file the file, such as {@code target/report.html}
     * @return the file's absolute path
     * @throws UncheckedIOException if the file cannot be written
     */
    public Path writeTo(Path file) {
      Objects.requireNonNull(file, "file");
      Path target = file.toAbsolutePath();
      Path tmp = null;
      try {
        Files.createDirectories(target.getParent());
        tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        Files.writeString(tmp, html, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
      } catch (IOException e) {
        if (tmp != null) {
          try {
            Files.deleteIfExists(tmp);
          } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        throw new UncheckedIOException("cannot write the report to " + target + ": " + e.getMessage(), e);
      }
    }
  }
}
