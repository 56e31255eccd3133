package dev.opskit.cli.internal;

import dev.opskit.Page;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.ml.Stage;
import dev.opskit.ml.VersionComparison;
import dev.opskit.ml.audit.AuditLog;
import dev.opskit.ml.audit.AuditedModel;
import dev.opskit.ml.promotion.GateResult;
import dev.opskit.ml.promotion.Promotion;
import dev.opskit.ml.promotion.PromotionRejectedException;
import dev.opskit.ml.promotion.PromotionReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code models}, {@code model show|promote|approve|rollback}, {@code compare} and {@code audit verify} (every
 * trail by default, deleted models' and names renamed away included; the other
 * registry commands are in {@link RegistryCommands}). Writes go
 * through the workspace's registry, so the same Authorizer (from a CliExtension) and the same audit trail as the API;
 * each needs an explicit {@code --as ACTOR}.
 */
final class ModelCommands {
  private ModelCommands() {}

  /** The error for a model that does not exist: it names some that do, as the registry's own errors do. */
  static ModelNotFoundException unknownModel(ModelRegistry registry, String name) {
    List<String> known = registry.models(10, 0).items().stream().map(RegisteredModel::name).toList();
    return new ModelNotFoundException(name, known);
  }

  static Map<String, Object> modelRow(RegisteredModel m) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("name", m.name());
    row.put("latestVersion", m.latestVersion());
    row.put("updated", m.updatedAt());
    row.put("created", m.createdAt());
    row.put("description", m.description());
    row.put("tags", m.tags());
    return row;
  }

  static Map<String, Object> versionRow(ModelVersion v) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("version", v.number());
    row.put("status", v.status());
    row.put("stage", v.stage());
    row.put("aliases", v.aliases());
    row.put("metrics", new java.util.TreeMap<>(v.provenance().metrics()));
    row.put("params", new java.util.TreeMap<>(v.provenance().params()));
    row.put("run", v.provenance().pipelineRun());
    row.put("registeredBy", v.registeredBy());
    row.put("created", v.createdAt());
    row.put("uri", v.uri());
    return row;
  }

  static List<Map<String, Object>> gateRows(List<GateResult> gates) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (GateResult g : gates) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("gate", g.gate());
      row.put("passed", g.passed());
      row.put("message", g.message());
      row.put("evidence", g.evidence());
      rows.add(row);
    }
    return rows;
  }

  @Command(name = "models", mixinStandardHelpOptions = true, description = "List registered models.",
      footer = {"", "Examples:", "  opskit models", "  opskit models --json"})
  static final class Models extends Base {
    @Option(names = "--limit", defaultValue = "50", description = "At most this many (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--offset", defaultValue = "0", description = "Skip this many first.")
    long offset;

    @Override
    int run(Session s) {
      Page<RegisteredModel> page = s.registry().models(limit, offset);
      s.output().rows(page.items().stream().map(ModelCommands::modelRow).toList(), "no models in this workspace",
          "name", "latestVersion", "updated", "description");
      s.output().more(page);
      return OK;
    }
  }

  @Command(name = "model", mixinStandardHelpOptions = true, description = "Look at or change one model.",
      subcommands = {Show.class, Promote.class, Approve.class, Rollback.class, RegistryCommands.Alias.class,
          RegistryCommands.Unalias.class})
  static final class ModelGroup {}

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Show a model: facts, versions with stage, aliases and metrics, and its audit trail's verification.",
      footer = {"", "Examples:", "  opskit model show churn", "  opskit model show churn --json"})
  static final class Show extends Base {
    @Parameters(paramLabel = "MODEL", description = "The model's name.")
    String name;

    @Option(names = "--limit", defaultValue = "20", description = "At most this many versions (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int run(Session s) {
      ModelRegistry registry = s.registry();
      RegisteredModel m = registry.model(name).orElseThrow(() -> unknownModel(registry, name));
      Page<ModelVersion> versions = registry.versions(name, limit, 0);
      Optional<String> problem = registry.audit(name).verify();
      Map<String, Object> value = modelRow(m);
      value.put("aliases", registry.aliases(name));
      value.put("auditVerified", problem.isEmpty());
      value.put("auditProblem", problem.orElse(null));
      List<Map<String, Object>> rows = versions.items().stream().map(ModelCommands::versionRow).toList();
      value.put("versions", rows);
      Output o = s.output();
      o.object(value, () -> {
        Map<String, Object> facts = new LinkedHashMap<>(value);
        facts.remove("versions");
        facts.remove("auditProblem");
        facts.put("audit", problem.map(p -> "FAILED: " + p).orElse("verified"));
        facts.remove("auditVerified");
        o.facts(facts);
        o.writer().println();
        o.table(rows, "version", "status", "stage", "aliases", "metrics", "registeredBy", "created");
      });
      return problem.isEmpty() ? OK : FAILED;
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true,
      description = {"Promote a version to a stage through the model's gates, as ACTOR.", "Audited; the "
          + "workspace's Authorizer (from a CliExtension) decides who may."},
      footer = {"", "Examples:", "  opskit model promote churn 7 --to STAGING --as alice --reason 'weekly retrain'",
          "  opskit model promote churn 7 --to PRODUCTION --as alice --dry-run"})
  static final class Promote extends Base {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model's name.")
    String name;

    @Parameters(index = "1", paramLabel = "VERSION", description = "The version number.")
    int version;

    @Option(names = "--to", required = true, paramLabel = "STAGE", description = "${COMPLETION-CANDIDATES}.")
    Stage stage;

    @Option(names = "--as", required = true, paramLabel = "ACTOR", description = "Who promotes (required).")
    String actor;

    @Option(names = "--reason", defaultValue = "", description = "Why; kept in the audit trail.")
    String reason;

    @Option(names = "--dry-run", description = "Evaluate the gates and report, changing nothing.")
    boolean dryRun;

    @Override
    int run(Session s) {
      Promotion p = s.registry().promote(name, version).to(stage).as(Actor.of(actor));
      if (!reason.isEmpty()) {
        p = p.reason(reason);
      }
      PromotionReport report;
      boolean rejected = false;
      try {
        report = dryRun ? p.dryRun() : p.execute();
      } catch (PromotionRejectedException e) {
        report = e.report();
        rejected = true;
      }
      boolean passed = !rejected && report.failures().isEmpty();
      print(s, report, rejected);
      if (!passed) {
        s.err().println("opskit: " + name + " v" + version + (dryRun ? " would be" : " was") + " rejected by "
            + report.failures().size() + " gate(s); see the gates above");
        return FAILED;
      }
      return OK;
    }
  }

  static void print(Session s, PromotionReport report, boolean rejected) {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("model", report.model());
    value.put("version", report.version());
    value.put("from", report.from());
    value.put("to", report.to());
    value.put("actor", report.actor().id());
    value.put("reason", report.reason());
    value.put("dryRun", report.dryRun());
    value.put("rejected", rejected);
    value.put("archived", report.archived());
    value.put("at", report.at());
    value.put("gates", gateRows(report.gates()));
    Output o = s.output();
    o.object(value, () -> {
      o.writer().println(Output.printable(report.summary().lines().findFirst().orElse("")));
      if (!report.gates().isEmpty()) {
        o.table(gateRows(report.gates()), "gate", "passed", "message");
      }
    });
  }

  @Command(name = "approve", mixinStandardHelpOptions = true,
      description = {"Approve a version for its next promotion to a stage, as ACTOR. Audited.", "Counts toward a "
          + "policy's distinct approvers until that promotion, which uses it up."},
      footer = {"", "Examples:", "  opskit model approve churn 7 --stage PRODUCTION --as bob --reason 'reviewed the eval'"})
  static final class Approve extends Base {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model's name.")
    String name;

    @Parameters(index = "1", paramLabel = "VERSION", description = "The version number.")
    int version;

    @Option(names = "--stage", required = true, paramLabel = "STAGE", description = "${COMPLETION-CANDIDATES}.")
    Stage stage;

    @Option(names = "--as", required = true, paramLabel = "ACTOR", description = "Who approves (required).")
    String actor;

    @Option(names = "--reason", required = true, description = "Why (required; kept in the audit trail).")
    String reason;

    @Override
    int run(Session s) {
      s.registry().approve(name, version, stage, Actor.of(actor), reason);
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("model", name);
      value.put("version", version);
      value.put("stage", stage);
      value.put("approvedBy", Actor.of(actor).id());
      s.output().object(value, () -> s.out().println("approved " + name + " v" + version + " for " + stage + " as "
          + Output.printable(Actor.of(actor).id())));
      return OK;
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true,
      description = "Put the previous PRODUCTION version back, as ACTOR: a promotion, audited like any other.",
      footer = {"", "Examples:", "  opskit model rollback churn --as alice --reason 'v8 misbehaves'"})
  static final class Rollback extends Base {
    @Parameters(paramLabel = "MODEL", description = "The model's name.")
    String name;

    @Option(names = "--as", required = true, paramLabel = "ACTOR", description = "Who rolls back (required).")
    String actor;

    @Option(names = "--reason", required = true, description = "Why (required; kept in the audit trail).")
    String reason;

    @Override
    int run(Session s) {
      print(s, s.registry().rollback(name, Actor.of(actor), reason), false);
      return OK;
    }
  }

  @Command(name = "compare", mixinStandardHelpOptions = true,
      description = {"Compare versions of a model side by side.", "Metrics, parameters (* marks those that differ), stages."},
      footer = {"", "Examples:", "  opskit compare churn 3 5 7", "  opskit compare churn 3 5 --json"})
  static final class Compare extends Base {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model's name.")
    String name;

    @Parameters(index = "1..*", arity = "2..*", paramLabel = "VERSION", description = "Two or more version numbers.")
    List<Integer> versions = new ArrayList<>();

    @Override
    int run(Session s) {
      VersionComparison c = s.registry().compare(name, versions.stream().mapToInt(Integer::intValue).toArray());
      List<Map<String, Object>> rows = new ArrayList<>();
      List<String> columns = new ArrayList<>(List.of("field"));
      c.columns().forEach(col -> columns.add("v" + col.version().number()));
      rows.add(line("stage", c, v -> v.stage().name()));
      rows.add(line("aliases", c, v -> String.join(",", v.aliases())));
      for (String metric : c.metricNames()) {
        Map<Integer, Double> values = c.metric(metric);
        rows.add(line("metric " + metric, c, v -> values.get(v.number())));
      }
      for (String param : c.paramNames()) {
        Map<Integer, String> values = c.param(param);
        rows.add(line((c.differingParams().contains(param) ? "*param " : "param ") + param, c,
            v -> values.get(v.number())));
      }
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("model", name);
      value.put("versions", c.columns().stream().map(col -> versionRow(col.version())).toList());
      value.put("differingParams", c.differingParams());
      s.output().object(value, () -> s.output().table(rows, columns.toArray(String[]::new)));
      return OK;
    }

    private static Map<String, Object> line(String field, VersionComparison c,
        java.util.function.Function<ModelVersion, @Nullable Object> f) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("field", field);
      c.columns().forEach(col -> row.put("v" + col.version().number(), f.apply(col.version())));
      return row;
    }
  }

  @Command(name = "audit", mixinStandardHelpOptions = true, description = "Read and check audit trails.",
      subcommands = {RegistryCommands.AuditShow.class, Verify.class})
  static final class AuditGroup {}

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Verify audit trails; exits 1 if one fails.", "Checks the hash chain, and that the trail "
          + "explains every version, stage and alias. By default every trail: registered models', deleted models' "
          + "and those of names renamed away; the STATE column says which."},
      footer = {"", "Examples:", "  opskit audit verify", "  opskit audit verify churn --json"})
  static final class Verify extends Base {
    @Parameters(arity = "0..*", paramLabel = "MODEL", description = "The models to verify (a deleted one's name "
        + "too); all trails by default.")
    List<String> models = new ArrayList<>();

    @Override
    int run(Session s) {
      ModelRegistry registry = s.registry();
      List<AuditedModel> trails = new ArrayList<>();
      if (models.isEmpty()) {
        long offset = 0;
        while (true) {
          Page<AuditedModel> page = registry.auditedModels(500, offset);
          trails.addAll(page.items());
          if (!page.hasMore() || page.isEmpty()) {
            break;
          }
          offset = page.nextOffset();
        }
      } else {
        for (String name : models) {
          trails.add(trailOf(registry, name));
        }
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      List<Map<String, Object>> table = new ArrayList<>();
      List<String> failed = new ArrayList<>();
      for (AuditedModel trail : trails) {
        AuditLog audit = registry.audit(trail.name());
        Optional<String> problem = audit.verify();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("model", trail.name());
        row.put("state", trail.state());
        row.put("since", trail.since());
        row.put("renamedTo", trail.renamedTo());
        row.put("records", audit.records().size());
        row.put("verified", problem.isEmpty());
        row.put("problem", problem.orElse(null));
        rows.add(row);
        Map<String, Object> line = new LinkedHashMap<>(row);
        line.put("state", stateText(trail));
        table.add(line);
        if (problem.isPresent()) {
          failed.add(trail.name() + (trail.state() == AuditedModel.State.REGISTERED ? ""
              : " (" + stateText(trail) + ")"));
        }
      }
      s.output().rows(s.output().json() ? rows : table, "no audit trails in this workspace: nothing to verify",
          "model", "state", "records", "verified", "problem");
      if (!failed.isEmpty()) {
        s.err().println(Output.printable("opskit: " + failed.size() + " of " + trails.size() + " audit trail(s) "
            + "failed verification: " + String.join(", ", failed)));
        return FAILED;
      }
      return OK;
    }
  }

  /**
   * The trail kept under a name and what became of its model; for a name with none, the registry's error, which
   * suggests close names.
   */
  static AuditedModel trailOf(ModelRegistry registry, String name) {
    return registry.auditedModel(name).orElseGet(() -> {
      registry.audit(name); // throws ModelNotFoundException for a name with nothing recorded
      return registry.auditedModel(name).orElseThrow(); // recorded since the first look
    });
  }

  /** What became of a trail's model, for a table cell: {@code deleted 2026-09-01 10:00:00}. */
  static String stateText(AuditedModel trail) {
    return switch (trail.state()) {
      case REGISTERED -> "registered";
      case DELETED -> "deleted " + Output.cell(trail.since());
      case RENAMED -> "renamed to " + trail.renamedTo();
      case NO_MODEL -> "no model";
    };
  }

  /** The line above the trail of a name no model has now, saying why and where the rest is. */
  static String stateNote(AuditedModel trail) {
    String name = trail.name();
    return switch (trail.state()) {
      case REGISTERED -> "";
      case DELETED -> "model '" + name + "' was deleted at " + Output.cell(trail.since()) + " UTC; its trail stays "
          + "readable and verifiable (opskit audit verify " + name + ")";
      case RENAMED -> "model '" + name + "' was renamed to '" + trail.renamedTo() + "' at " + Output.cell(trail.since())
          + " UTC; this is the trail kept under '" + name + "', up to the rename; the model's whole trail is under "
          + "its new name: opskit audit show " + trail.renamedTo();
      case NO_MODEL -> "no model has ever had the name '" + name + "'; its trail records a stored policy or refusals";
    };
  }
}
