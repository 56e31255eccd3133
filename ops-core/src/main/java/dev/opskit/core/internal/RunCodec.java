package dev.opskit.core.internal;

import dev.opskit.pipeline.Dataset;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepError;
import dev.opskit.run.StepReason;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns run reports into the JSON bodies of "run" records and back. Writing streams through Jackson's generator, with
 * instants as epoch microseconds, because a run of a hundred thousand steps is written in one go when it ends.
 */
final class RunCodec {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private RunCodec() {}

  /** The header of a run that has just started: its steps are recorded when it ends. */
  static String encodeStart(RunReport run) {
    return encode(run, false);
  }

  static String encode(RunReport run) {
    return encode(run, true);
  }

  private static String encode(RunReport run, boolean withSteps) {
    StringWriter out = new StringWriter(withSteps ? 128 + 96 * run.steps().size() : 256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringProperty("id", run.id());
      g.writeStringProperty("pipeline", run.pipeline());
      g.writeStringProperty("status", run.status().name());
      g.writeNumberProperty("startedAt", micros(run.startedAt()));
      if (run.endedAt().isPresent()) {
        g.writeNumberProperty("endedAt", micros(run.endedAt().get()));
      }
      g.writeStringProperty("executor", run.executor());
      if (run.resumedFrom().isPresent()) {
        g.writeStringProperty("resumedFrom", run.resumedFrom().get());
      }
      g.writeArrayPropertyStart("steps");
      if (withSteps) {
        for (StepRecord r : run.steps()) {
          g.writeStartObject();
          g.writeStringProperty("step", r.step());
          g.writeStringProperty("status", r.status().name());
          if (r.attempts() > 0) {
            g.writeNumberProperty("attempts", r.attempts());
          }
          if (r.startedAt() != null) {
            g.writeNumberProperty("startedAt", micros(r.startedAt()));
          }
          if (r.endedAt() != null) {
            g.writeNumberProperty("endedAt", micros(r.endedAt()));
          }
          StepError e = r.error();
          if (e != null) {
            g.writeObjectPropertyStart("error");
            g.writeStringProperty("type", e.type());
            g.writeStringProperty("message", e.message());
            g.writeStringProperty("stackTrace", e.stackTrace());
            g.writeEndObject();
          }
          if (!r.note().isEmpty()) {
            g.writeStringProperty("note", r.note());
          }
          if (!r.outputs().isEmpty()) {
            g.writeObjectPropertyStart("outputs");
            for (Map.Entry<String, String> o : r.outputs().entrySet()) {
              g.writeStringProperty(o.getKey(), o.getValue());
            }
            g.writeEndObject();
          }
          if (r.fingerprint() != null) {
            g.writeStringProperty("fingerprint", r.fingerprint());
          }
          if (r.worker() != null) {
            g.writeStringProperty("worker", r.worker());
          }
          StepReason why = r.reason();
          if (why != null) {
            g.writeObjectPropertyStart("reason");
            g.writeStringProperty("kind", why.kind().name());
            if (!why.subject().isEmpty()) {
              g.writeStringProperty("subject", why.subject());
            }
            if (!why.before().isEmpty()) {
              g.writeStringProperty("before", why.before());
            }
            if (!why.after().isEmpty()) {
              g.writeStringProperty("after", why.after());
            }
            g.writeEndObject();
          }
          g.writeEndObject();
        }
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toString();
  }

  static RunReport decode(String body, Map<String, Object> values, Function<Dataset<?>, @Nullable Object> loader) {
    JsonNode doc = JSON.readTree(body);
    List<StepRecord> steps = new ArrayList<>();
    for (JsonNode s : doc.get("steps")) {
      JsonNode e = s.get("error");
      Map<String, String> outputs = new LinkedHashMap<>();
      JsonNode o = s.get("outputs");
      if (o != null) {
        o.properties().forEach(entry -> outputs.put(entry.getKey(), entry.getValue().asString()));
      }
      steps.add(new StepRecord(s.get("step").asString(), StepStatus.valueOf(s.get("status").asString()),
          s.has("attempts") ? s.get("attempts").asInt() : 0, instant(s.get("startedAt")), instant(s.get("endedAt")),
          e == null ? null : StepError.of(e.get("type").asString(), e.get("message").asString(),
              e.get("stackTrace").asString()),
          s.has("note") ? s.get("note").asString() : "", outputs,
          s.has("fingerprint") ? s.get("fingerprint").asString() : null, null, null, reason(s.get("reason")),
          s.has("worker") ? s.get("worker").asString() : null));
    }
    return new RunReport(doc.get("id").asString(), doc.get("pipeline").asString(),
        RunStatus.valueOf(doc.get("status").asString()), instant(doc.get("startedAt")), instant(doc.get("endedAt")),
        doc.get("executor").asString(), doc.has("resumedFrom") ? doc.get("resumedFrom").asString() : null, steps,
        values, loader);
  }

  /** A stored reason; one of a kind this release does not know is dropped rather than failing the whole report. */
  private static @Nullable StepReason reason(@Nullable JsonNode r) {
    if (r == null || !r.has("kind")) {
      return null;
    }
    StepReason.Kind kind;
    try {
      kind = StepReason.Kind.valueOf(r.get("kind").asString());
    } catch (IllegalArgumentException unknown) {
      return null;
    }
    return new StepReason(kind, text(r, "subject"), text(r, "before"), text(r, "after"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode n = node.get(field);
    return n == null ? "" : n.asString();
  }

  private static long micros(Instant i) {
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  private static @Nullable Instant instant(@Nullable JsonNode micros) {
    if (micros == null || micros.isNull()) {
      return null;
    }
    long m = micros.asLong();
    return Instant.ofEpochSecond(Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1000L);
  }
}
