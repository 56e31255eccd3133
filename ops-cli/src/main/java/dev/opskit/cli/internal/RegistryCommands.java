package dev.opskit.cli.internal;

import dev.opskit.Page;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.audit.AuditedModel;
import dev.opskit.ml.search.ModelSearch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code search} (versions across models, by an MLflow-style filter), {@code audit show} (a model's trail, newest
 * first, a deleted model's included) and {@code model alias|unalias} (audited writes, each with an explicit
 * {@code --as ACTOR}).
 */
final class RegistryCommands {
  private RegistryCommands() {}

  @Command(name = "search", mixinStandardHelpOptions = true,
      description = {"Find model versions by a filter, as MLflow's search_model_versions does.",
          "Fields: name, version, stage, alias, metrics.<m>, params.<p>, tags.<t>, run_id, pipeline_run_id, source; "
              + "=, !=, <, <=, >, >=, in (...), like, ilike; joined by 'and'. Newest updated first unless --order-by."},
      footer = {"", "Examples:", "  opskit search \"metrics.auc > 0.8 and stage = 'PRODUCTION'\"",
          "  opskit search \"name ilike 'churn%'\" --order-by 'metrics.auc desc' --limit 5",
          "  opskit search \"tags.team in ('risk', 'growth')\" --json"})
  static final class Search extends Base {
    @Parameters(paramLabel = "FILTER", arity = "0..1", description = "The conditions; none lists every version.")
    String filter = "";

    @Option(names = "--order-by", paramLabel = "KEY", split = ",",
        description = "Order keys such as 'metrics.auc desc' or 'created_at' (name, number, created_at, updated_at, "
            + "metrics.<m>; asc or desc).")
    List<String> orderBy = new ArrayList<>();

    @Mixin
    final Paging paging = new Paging();

    @Override
    int run(Session s) {
      ModelSearch search = s.registry().search().limit(paging.limit).offset(paging.offset);
      if (!filter.isBlank()) {
        search = search.filter(filter);
      }
      if (!orderBy.isEmpty()) {
        search = search.orderBy(orderBy.toArray(String[]::new));
      }
      Page<ModelVersion> page = search.list();
      List<Map<String, Object>> rows = new ArrayList<>();
      for (ModelVersion v : page.items()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("model", v.model());
        row.putAll(ModelCommands.versionRow(v));
        rows.add(row);
      }
      s.output().rows(rows, filter.isBlank() ? "no model versions in this workspace" : "no version matches",
          "model", "version", "stage", "aliases", "metrics", "created");
      s.output().more(page);
      return OK;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = {"Show a model's audit trail, newest record first.",
          "Who did what to which version, when, from what to what, and why; `audit verify` checks the chain. A "
              + "deleted model's trail shows too, and a name renamed away shows its trail up to the rename. After a "
              + "rename, the MODEL column says which name each record was written under (sequences count per name)."},
      footer = {"", "Examples:", "  opskit audit show churn", "  opskit audit show churn --limit 100 --json"})
  static final class AuditShow extends Base {
    @Parameters(paramLabel = "MODEL", description = "The model's name, or a deleted one's.")
    String name;

    @Mixin
    final Paging paging = new Paging();

    @Override
    int run(Session s) {
      ModelRegistry registry = s.registry();
      AuditedModel trail = ModelCommands.trailOf(registry, name);
      Page<AuditRecord> page = registry.audit(name).records(paging.limit, paging.offset);
      List<Map<String, Object>> rows = new ArrayList<>();
      boolean otherNames = false;
      for (AuditRecord r : page.items()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("model", r.model());
        row.put("sequence", r.sequence());
        row.put("at", r.at());
        row.put("actor", r.actor());
        row.put("action", r.action());
        row.put("version", r.version() == 0 ? null : r.version());
        row.put("change", AuditChanges.describe(r));
        row.put("reason", r.reason().isEmpty() ? null : r.reason());
        row.put("before", r.before());
        row.put("after", r.after());
        row.put("gates", ModelCommands.gateRows(r.gates()));
        row.put("hash", r.hash());
        rows.add(row);
        otherNames |= !r.model().equals(name);
      }
      Output o = s.output();
      if (!o.json() && trail.state() != AuditedModel.State.REGISTERED) {
        o.writer().println(Output.printable(ModelCommands.stateNote(trail)));
      }
      // A renamed model's trail runs on into the old name's, whose sequences start at 1 again: name each record's.
      String[] columns = otherNames
          ? new String[] {"model", "sequence", "at", "actor", "action", "version", "change", "reason"}
          : new String[] {"sequence", "at", "actor", "action", "version", "change", "reason"};
      o.rows(rows, "no audit records", columns);
      o.more(page);
      return OK;
    }
  }

  @Command(name = "alias", mixinStandardHelpOptions = true,
      description = {"Point an alias of a model at a version, as ACTOR.", "Audited; the workspace's Authorizer (from "
          + "a CliExtension) decides who may. An alias that points elsewhere moves."},
      footer = {"", "Examples:", "  opskit model alias churn champion 7 --as alice"})
  static final class Alias extends Base {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model's name.")
    String name;

    @Parameters(index = "1", paramLabel = "ALIAS", description = "The alias, such as champion.")
    String alias;

    @Parameters(index = "2", paramLabel = "VERSION", description = "The version number it is to point at.")
    int version;

    @Option(names = "--as", required = true, paramLabel = "ACTOR", description = "Who sets it (required).")
    String actor;

    @Override
    int run(Session s) {
      int before = s.registry().setAlias(name, alias, version, Actor.of(actor));
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("model", name);
      value.put("alias", alias);
      value.put("version", version);
      value.put("previous", before == 0 ? null : before);
      value.put("actor", Actor.of(actor).id());
      s.output().object(value, () -> s.out().println(Output.printable("@" + alias + " of " + name + " -> v" + version
          + (before == 0 ? "" : before == version ? " (already there)" : " (was v" + before + ")"))));
      return OK;
    }
  }

  @Command(name = "unalias", mixinStandardHelpOptions = true,
      description = {"Remove an alias of a model, as ACTOR.", "Audited; exits 0 whether or not the alias existed, "
          + "and says which."},
      footer = {"", "Examples:", "  opskit model unalias churn challenger --as alice"})
  static final class Unalias extends Base {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model's name.")
    String name;

    @Parameters(index = "1", paramLabel = "ALIAS", description = "The alias.")
    String alias;

    @Option(names = "--as", required = true, paramLabel = "ACTOR", description = "Who removes it (required).")
    String actor;

    @Override
    int run(Session s) {
      boolean removed = s.registry().removeAlias(name, alias, Actor.of(actor));
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("model", name);
      value.put("alias", alias);
      value.put("removed", removed);
      s.output().object(value, () -> s.out().println(Output.printable(removed ? "removed @" + alias + " of " + name
          : name + " has no alias @" + alias + "; nothing changed")));
      return OK;
    }
  }
}
