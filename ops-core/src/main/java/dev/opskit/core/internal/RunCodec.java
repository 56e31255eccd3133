package dev.opskit.core.internal;

import dev.opskit.pipeline.Dataset;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepError;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/** Turns run reports into the JSON bodies of "run" records and back. */
final class RunCodec {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private RunCodec() {}

  /** The stored form of a run. Field names are the stored format: change them only with a migration. */
  record RunDoc(String id, String pipeline, String status, String startedAt, @Nullable String endedAt,
      String executor, @Nullable String resumedFrom, List<StepDoc> steps) {}

  /** The stored form of a step record. */
  record StepDoc(String step, String status, int attempts, @Nullable String startedAt, @Nullable String endedAt,
      @Nullable ErrorDoc error, String note, Map<String, String> outputs, @Nullable String fingerprint) {}

  /** The stored form of a step error. */
  record ErrorDoc(String type, String message, String stackTrace) {}

  static String encode(RunReport run) {
    List<StepDoc> steps = new ArrayList<>(run.steps().size());
    for (StepRecord r : run.steps()) {
      StepError e = r.error();
      steps.add(new StepDoc(r.step(), r.status().name(), r.attempts(), text(r.startedAt()), text(r.endedAt()),
          e == null ? null : new ErrorDoc(e.type(), e.message(), e.stackTrace()), r.note(), r.outputs(),
          r.fingerprint()));
    }
    return JSON.writeValueAsString(new RunDoc(run.id(), run.pipeline(), run.status().name(),
        run.startedAt().toString(), run.endedAt().map(Instant::toString).orElse(null), run.executor(),
        run.resumedFrom().orElse(null), steps));
  }

  static RunReport decode(String body, Map<String, Object> values, Function<Dataset<?>, @Nullable Object> loader) {
    RunDoc doc = JSON.readValue(body, RunDoc.class);
    List<StepRecord> steps = new ArrayList<>(doc.steps().size());
    for (StepDoc s : doc.steps()) {
      ErrorDoc e = s.error();
      steps.add(new StepRecord(s.step(), StepStatus.valueOf(s.status()), s.attempts(), instant(s.startedAt()),
          instant(s.endedAt()), e == null ? null : StepError.of(e.type(), e.message(), e.stackTrace()), s.note(),
          s.outputs() == null ? Map.of() : s.outputs(), s.fingerprint()));
    }
    return new RunReport(doc.id(), doc.pipeline(), RunStatus.valueOf(doc.status()), Instant.parse(doc.startedAt()),
        instant(doc.endedAt()), doc.executor(), doc.resumedFrom(), steps, values, loader);
  }

  private static @Nullable String text(@Nullable Instant i) {
    return i == null ? null : i.toString();
  }

  private static @Nullable Instant instant(@Nullable String s) {
    return s == null ? null : Instant.parse(s);
  }
}
