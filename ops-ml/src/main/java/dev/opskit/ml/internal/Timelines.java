package dev.opskit.ml.internal;

import dev.opskit.ml.ModelTimeline;
import dev.opskit.ml.ModelTimeline.Change;
import dev.opskit.ml.ModelTimeline.Kind;
import dev.opskit.ml.Stage;
import dev.opskit.ml.access.Action;
import dev.opskit.ml.audit.AuditRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a model's stage and alias timeline by replaying its audit trail. The replay keeps each version's stage, so
 * that a version archived by another's promotion, or by the deletion of its model, is recorded with the stage it left.
 * Stateless; thread-safe.
 */
final class Timelines {
  private Timelines() {}

  /**
   * Replays a trail.
   *
   * @param model the model's current name
   * @param records its trail, in order (the trails of former names first)
   * @return the timeline
   */
  static ModelTimeline of(String model, List<AuditRecord> records) {
    Fold fold = new Fold();
    records.forEach(fold::apply);
    return fold.timeline(model);
  }

  /**
   * A replay that goes on from where it stopped: {@link #apply} each record in order, {@link #timeline} at any point.
   * Not thread-safe.
   */
  static final class Fold {
    private final List<Change> out = new ArrayList<>();
    private final Map<Integer, String> stages = new HashMap<>();

    void apply(AuditRecord r) {
      String action = r.action();
      if (action.equals(Action.PROMOTE.name()) || action.equals(Action.DEMOTE.name())
          || action.equals(Action.ROLLBACK.name())) {
        String to = r.after().getOrDefault("stage", "");
        out.add(stage(r, r.version(), r.before().getOrDefault("stage", ""), to, r));
        stages.put(r.version(), to);
        archived(r, stages, out);
      } else if (action.equals(Action.DELETE_MODEL.name())) {
        archived(r, stages, out);
      } else if (action.equals(Action.DELETE.name())) {
        String from = r.before().getOrDefault("stage", "");
        if (!from.isEmpty() && !from.equals(Stage.NONE.name())) {
          // a deleted version leaves its stage list
          out.add(stage(r, r.version(), from, "", r));
        }
        stages.remove(r.version());
      } else if (action.equals(Action.SET_ALIAS.name())) {
        out.add(alias(r, r.after().getOrDefault("alias", ""), r.before().getOrDefault("version", ""),
            r.after().getOrDefault("version", "")));
      } else if (action.equals("REMOVE_ALIAS")) {
        out.add(alias(r, r.before().getOrDefault("alias", ""), r.before().getOrDefault("version", ""), ""));
      }
    }

    ModelTimeline timeline(String model) {
      return new ModelTimeline(model, out);
    }
  }

  /** The versions a record archived (an incumbent of a promotion, or every staged version of a deleted model). */
  private static void archived(AuditRecord r, Map<Integer, String> stages, List<Change> out) {
    String list = r.after().getOrDefault("archived", "");
    if (list.isEmpty()) {
      return;
    }
    for (String n : list.split(",")) {
      int number = Integer.parseInt(n.trim());
      String from = stages.getOrDefault(number, "");
      out.add(new Change(Kind.STAGE, r.action(), r.sequence(), number, null, from, Stage.ARCHIVED.name(), r.actor(),
          r.at(), r.reason(), List.of()));
      stages.put(number, Stage.ARCHIVED.name());
    }
  }

  private static Change stage(AuditRecord r, int version, String from, String to, AuditRecord evidence) {
    return new Change(Kind.STAGE, r.action(), r.sequence(), version, null, from, to, r.actor(), r.at(), r.reason(),
        evidence.gates());
  }

  private static Change alias(AuditRecord r, String alias, String from, String to) {
    return new Change(Kind.ALIAS, r.action(), r.sequence(), r.version(), alias, from, to, r.actor(), r.at(),
        r.reason(), List.of());
  }
}
