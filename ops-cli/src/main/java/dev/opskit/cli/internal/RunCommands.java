package dev.opskit.cli.internal;

import dev.opskit.Page;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.PlannedStep;
import dev.opskit.run.Run;
import dev.opskit.run.RunPlan;
import dev.opskit.run.RunQuery;
import dev.opskit.run.RunRequest;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepError;
import dev.opskit.run.StepRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runs}, {@code run show} and {@code plan}. */
final class RunCommands {
  private RunCommands() {}

  static Map<String, Object> runRow(Run r) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", r.id());
    row.put("pipeline", r.pipeline());
    row.put("status", r.status());
    row.put("started", r.startedAt());
    row.put("ended", r.endedAt().orElse(null));
    row.put("duration", r.duration().orElse(null));
    row.put("executor", r.executor());
    row.put("resumedFrom", r.resumedFrom().orElse(null));
    return row;
  }

  @Command(name = "runs", mixinStandardHelpOptions = true, description = "List runs, newest first.",
      footer = {"", "Examples:", "  opskit runs", "  opskit runs --pipeline churn-training --status FAILED --limit 5",
          "  opskit runs --since 2026-01-01 --json", "  opskit runs --since 2026-01-31T08:00:00Z"})
  static final class Runs extends Base {
    @Option(names = "--pipeline", paramLabel = "NAME", description = "Only this pipeline's runs.")
    @Nullable String pipeline;

    @Option(names = "--status", paramLabel = "STATUS", description = "Only runs in this state: ${COMPLETION-CANDIDATES}.")
    @Nullable RunStatus status;

    @Option(names = "--since", paramLabel = "WHEN", converter = Times.class,
        description = "Only runs started at or after: a day (2026-01-31, from its start in UTC) or an instant "
            + "(2026-01-31T08:00:00Z).")
    @Nullable Instant since;

    @Mixin
    final Paging paging = new Paging();

    @Override
    int run(Session s) {
      RunQuery q = s.workspace().runs().limit(paging.limit).offset(paging.offset);
      if (pipeline != null) {
        q = q.pipeline(pipeline);
      }
      if (status != null) {
        q = q.status(status);
      }
      if (since != null) {
        q = q.startedAfter(since);
      }
      Page<Run> page = q.list();
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Run r : page) {
        rows.add(runRow(r));
      }
      s.output().rows(rows, "no runs" + (pipeline == null && status == null ? " in this workspace" : " match"),
          "id", "pipeline", "status", "started", "duration");
      s.output().more(page);
      return OK;
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true, description = "Look at one run.",
      subcommands = {Show.class})
  static final class RunGroup {}

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Show a run: its facts and its steps (status, attempts, duration, why, outputs, error).",
      footer = {"", "Examples:", "  opskit run show 01J9ZQ4K8M7...", "  opskit run show 01J9ZQ4K8M7... --json"})
  static final class Show extends Base {
    @Parameters(paramLabel = "RUN-ID", description = "The run's id (see: opskit runs).")
    String id;

    @Override
    int run(Session s) {
      Run r = s.workspace().run(id).orElseThrow(() -> new CliException("no run '" + Output.printable(id)
          + "' in this workspace: list the runs with `opskit runs`"));
      Map<String, Object> value = runRow(r);
      List<Map<String, Object>> steps = new ArrayList<>();
      for (StepRecord step : r.steps()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("step", step.step());
        row.put("status", step.status());
        row.put("attempts", step.attempts());
        row.put("started", step.startedAt());
        row.put("duration", step.duration().orElse(null));
        // a skipped or cancelled step has no reason to run, but a note says why it did not (an upstream failure)
        row.put("why", step.reason() != null ? step.reason().message() : step.note().isEmpty() ? null : step.note());
        row.put("note", step.note().isEmpty() ? null : step.note());
        row.put("outputs", step.outputs());
        StepError error = step.error();
        row.put("error", error == null ? null : error.summary());
        steps.add(row);
      }
      value.put("steps", steps);
      Output o = s.output();
      o.object(value, () -> {
        Map<String, Object> facts = new LinkedHashMap<>(value);
        facts.remove("steps");
        o.facts(facts);
        o.writer().println();
        o.table(steps, "step", "status", "attempts", "duration", "why", "error");
      });
      return OK;
    }
  }

  @Command(name = "plan", mixinStandardHelpOptions = true,
      description = {"Explain what running a pipeline would do now.", "Which steps run and why, which are reused.",
          "The pipeline comes from your application: a CliExtension on OPSKIT_CLASSPATH (see docs/cli.md)."},
      footer = {"", "Examples:", "  OPSKIT_CLASSPATH=target/app.jar opskit plan churn-training",
          "  opskit plan churn-training --from features --json"})
  static final class Plan extends Base {
    @Parameters(paramLabel = "PIPELINE", description = "The pipeline's name.")
    String pipeline;

    @Option(names = "--from", paramLabel = "STEP", split = ",", description = "Only these steps and what follows.")
    List<String> from = new ArrayList<>();

    @Option(names = "--to", paramLabel = "STEP", split = ",", description = "Only these steps and what they need.")
    List<String> to = new ArrayList<>();

    @Option(names = "--only", paramLabel = "STEP", split = ",", description = "Only these steps.")
    List<String> only = new ArrayList<>();

    @Override
    int run(Session s) {
      Map<String, Pipeline> known = s.pipelines();
      Pipeline p = known.get(pipeline);
      if (p == null) {
        throw new CliException(known.isEmpty()
            ? "no pipeline definitions on the class path: a workspace records runs, not code; put your application's "
                + "jar with a dev.opskit.cli.CliExtension on OPSKIT_CLASSPATH (see docs/cli.md)"
            : "no pipeline named '" + Output.printable(pipeline) + "' among " + known.keySet()
                + " from the class path's CliExtensions");
      }
      RunRequest request = s.workspace().runner().plan(p);
      if (!from.isEmpty()) {
        request = request.from(from.toArray(String[]::new));
      }
      if (!to.isEmpty()) {
        request = request.to(to.toArray(String[]::new));
      }
      if (!only.isEmpty()) {
        request = request.only(only.toArray(String[]::new));
      }
      RunPlan plan = request.explain();
      List<Map<String, Object>> rows = new ArrayList<>();
      for (PlannedStep step : plan.steps()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("step", step.step());
        row.put("runs", step.runs());
        row.put("why", step.reason().message());
        row.put("outputs", step.outputs());
        rows.add(row);
      }
      s.output().rows(rows, "the plan selects no step", "step", "runs", "why");
      return OK;
    }
  }
}
