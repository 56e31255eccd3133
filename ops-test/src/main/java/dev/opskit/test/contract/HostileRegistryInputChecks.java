package dev.opskit.test.contract;

import static dev.opskit.test.contract.HostileInputContract.CI;
import static dev.opskit.test.contract.HostileInputContract.CODEC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Stage;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.test.contract.HostileInputContract.Weights;
import dev.opskit.time.ManualClock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks of hostile input to the registry that {@link HostileInputContract} runs: model names, aliases (and the
 * reserved rule), {@code models:/} URIs (only their strict ASCII form resolves, and no {@link NumberFormatException}
 * leaks), principals (recorded as given, counted by canonical id), and reasons, descriptions, tags, filters and
 * idempotency keys, each refused naming the field or read back exactly.
 */
final class HostileRegistryInputChecks extends HostileInputChecks {
  /** The strict form of a model URI, ASCII only, against which what the registry resolves is checked. */
  private static final Pattern STRICT_URI = Pattern.compile(
      "models:/([A-Za-z0-9][A-Za-z0-9._-]{0,127})(?:/([0-9]{1,10}|(?i:latest|staging|production))"
          + "|@([A-Za-z0-9][A-Za-z0-9._-]{0,127}))");

  private final ModelRegistry registry;
  private final ManualClock clock;

  HostileRegistryInputChecks(ModelRegistry registry, ManualClock clock, HostileAttempts attempts) {
    super(attempts);
    this.registry = registry;
    this.clock = clock;
  }

  void modelNamesAreRefusedNamingTheModelOrRoundTrip() {
    for (String s : HostileInputs.strings()) {
      attempt("createModel", s, List.of("model"), () -> {
        registry.createModel(s, "", Map.of(), CI);
        assertThat(registry.model(s)).map(m -> m.name()).hasValue(s);
      });
      attempt("model", s, List.of("model"), () -> registry.model(s));
      attempt("versions", s, List.of("model"), () -> registry.versions(s, 10, 0));
      attempt("version", s, List.of("model"), () -> registry.version(s, 1));
      attempt("aliases", s, List.of("model"), () -> registry.aliases(s));
      attempt("audit", s, List.of("model"), () -> registry.audit(s).records());
      attempt("promote", s, List.of("model"), () -> registry.promote(s, 1));
      attempt("search.model", s, List.of("model"), () -> registry.search().model(s).list());
      attempt("deleteVersion", s, List.of("model"), () -> registry.deleteVersion(s, 99, CI, false));
      attempt("live", s, List.of("model"), () -> registry.live(s, Stage.PRODUCTION, CODEC).close());
      attempt("registration", s, List.of("model"), () -> {
        ModelVersion v = registry.registration(s, new Weights(2), CODEC).by(CI).register();
        assertThat(v.model()).isEqualTo(s);
        assertThat(registry.version(s, v.number()).model()).isEqualTo(s);
      });
      attempt("updateModel", s, List.of("model"), () -> registry.updateModel(s, "", CI));
      attempt("latestVersions", s, List.of("model"), () -> registry.latestVersions(s));
      attempt("compare", s, List.of("model"), () -> assertThat(registry.compare(s, 1).columns())
          .extracting(c -> c.version().model()).containsExactly(s));
      attempt("timeline", s, List.of("model"), () -> assertThat(registry.timeline(s).model()).isEqualTo(s));
      attempt("setModelTag", s, List.of("model"), () -> registry.setModelTag(s, "k", "v", CI));
      attempt("copyVersion", s, List.of("model"), () -> {
        ModelVersion copy = registry.copyVersion("base", 1, s, CI);
        assertThat(registry.version(s, copy.number()).source()).contains("models:/base/1");
      });
      int n = ++renamed;
      attempt("renameModel", s, List.of("model"), () -> {
        registry.renameModel(s, "renamed-" + n, CI);
        assertThat(registry.model("renamed-" + n)).isPresent();
        assertThat(registry.audit("renamed-" + n).verify()).isEmpty();
        assertThatThrownBy(() -> registry.resolve("models:/" + s + "/1")).isInstanceOf(ModelNotFoundException.class);
      });
      attempt("deleteModel", s, List.of("model"), () -> registry.deleteModel(s, CI, true));
      attempt("searchModels.filter", s, List.of("filter"), () -> registry.searchModels()
          .filter("name = '" + s + "' and tags.team ilike " + s).list());
    }
  }

  private int renamed;

  void aliasesAreRefusedNamingTheAliasOrTheReservedRuleOrRoundTrip() {
    for (String s : HostileInputs.strings()) {
      boolean reserved = HostileInputs.reserved(s);
      List<String> names = reserved ? List.of("reserved") : List.of("alias");
      attempt("setAlias", s, names, () -> {
        registry.setAlias("base", s, 1, CI);
        assertThat(registry.aliases("base")).containsEntry(s, 1);
        assertThat(registry.resolve("models:/base@" + s).number()).isEqualTo(1);
        assertThat(registry.search().alias(s).list().items()).extracting(ModelVersion::number).containsExactly(1);
        assertThat(registry.audit("base").aliasAt(s, clock.instant())).hasValue(1);
        assertThat(registry.removeAlias("base", s, CI)).isTrue();
      });
      attempt("removeAlias", s, names, () -> assertThat(registry.removeAlias("base", s, CI)).isFalse());
      attempt("live(alias)", s, names, () -> registry.live("base", s, CODEC).close());
      attempt("search.alias", s, names, () -> registry.search().alias(s).list());
      attempt("aliasAt", s, names, () -> registry.audit("base").aliasAt(s, clock.instant()));
    }
  }

  void modelUrisResolveOnlyInTheirStrictAsciiFormAndNeverLeakNumberFormatException() {
    for (String uri : HostileInputs.modelUris()) {
      Matcher strict = STRICT_URI.matcher(uri);
      boolean valid = strict.matches() && !(strict.group(3) != null && HostileInputs.reserved(strict.group(3)))
          && !(strict.group(2) != null && strict.group(2).chars().allMatch(c -> c >= '0' && c <= '9')
              && (Long.parseLong(strict.group(2)) < 1 || Long.parseLong(strict.group(2)) > Integer.MAX_VALUE));
      attempt("resolve", uri, List.of("model uri"), () -> {
        ModelVersion v = registry.resolve(uri);
        assertThat(valid).as("resolved %s to v%d, but the URI is not in its strict ASCII form", uri, v.number())
            .isTrue();
        assertThat(v.model()).isEqualTo(strict.group(1));
      });
      attempt("load", uri, List.of("model uri"), () -> registry.load(uri, CODEC));
    }
  }

  void principalsAreRefusedOrRecordedAsGivenAndCountedByCanonicalId() {
    Set<String> approved = new HashSet<>();
    int reviewer = 0;
    for (String s : HostileInputs.strings()) {
      attempt("Actor.of", s, List.of("principal"), () -> {
        Actor actor = Actor.of(s);
        String id = actor.id();
        boolean registeredIt = id.equals(CI.id());
        boolean again = !approved.add(id) && !registeredIt;
        try {
          registry.approve("base", 1, Stage.PRODUCTION, actor, "ok");
          assertThat(registeredIt || again).as("approved though %s", registeredIt ? "it registered the version"
              : "an actor of the same canonical id had approved already").isFalse();
          AuditRecord last = lastAudit();
          assertThat(last.actor()).as("the audit keeps the principal as given").isEqualTo(s);
        } catch (IllegalStateException e) {
          assertThat(registeredIt || again).as("refused: %s", e.getMessage()).isTrue();
        }
      });
      int n = ++reviewer;
      attempt("registration.by", s, List.of("principal"), () -> {
        ModelVersion v = registry.registration("by-" + n, new Weights(n), CODEC).by(Actor.of(s)).register();
        assertThat(v.registeredBy()).isEqualTo(s);
      });
    }
    // The gate counts each canonical id once: exactly the distinct ids that approved.
    assertThat(approvalsGatePasses(approved.size())).as("%d distinct approvers", approved.size()).isTrue();
    assertThat(approvalsGatePasses(approved.size() + 1)).isFalse();
  }

  void reasonsDescriptionsAndTagsAreRefusedNamingTheFieldOrRoundTrip() {
    int i = 0;
    for (String s : HostileInputs.strings()) {
      int n = ++i;
      attempt("approve.reason", s, List.of("reason"), () -> {
        registry.approve("base", 1, Stage.STAGING, Actor.of("reviewer-" + n), s);
        assertThat(lastAudit().reason()).isEqualTo(s);
      });
      attempt("promote.reason", s, List.of("reason"), () -> registry.promote("base", 1).to(Stage.STAGING).as(CI)
          .reason(s).dryRun());
      attempt("createModel.description", s, List.of("description"), () -> {
        registry.createModel("described-" + n, s, Map.of(), CI);
        assertThat(registry.model("described-" + n).orElseThrow().description()).isEqualTo(s);
      });
      attempt("setModelTag.value", s, List.of("tag"), () -> {
        registry.setModelTag("base", "note", s, CI);
        assertThat(registry.model("base").orElseThrow().tags()).containsEntry("note", s);
      });
      attempt("setVersionTag.key", s, List.of("tag key"), () -> {
        registry.setVersionTag("base", 1, s, "v", CI);
        assertThat(registry.version("base", 1).tags()).containsEntry(s, "v");
        assertThat(registry.deleteVersionTag("base", 1, s, CI)).isTrue();
      });
      attempt("updateModel.description", s, List.of("description"), () -> {
        registry.updateModel("base", s, CI);
        assertThat(registry.model("base").orElseThrow().description()).isEqualTo(s);
      });
      attempt("createModel.tags key", s, List.of("tag key"), () -> {
        registry.createModel("tagged-" + n, "", Map.of(s, "v"), CI);
        assertThat(registry.model("tagged-" + n).orElseThrow().tags()).containsExactly(Map.entry(s, "v"));
      });
      attempt("registration.tags value", s, List.of("tag"), () -> {
        ModelVersion v = registry.registration("tagged", new Weights(n), CODEC).tags(Map.of("k", s)).by(CI)
            .register();
        assertThat(registry.version("tagged", v.number()).tags()).containsEntry("k", s);
      });
      attempt("registration.tags key", s, List.of("tag key"), () -> {
        ModelVersion v = registry.registration("keyed", new Weights(n), CODEC).tags(Map.of(s, "v")).by(CI)
            .register();
        assertThat(registry.version("keyed", v.number()).tags()).containsEntry(s, "v");
        assertThat(registry.search().tag(s, "v").list().items()).extracting(ModelVersion::number)
            .contains(v.number());
      });
      attempt("search.tag", s, List.of("tag"), () -> registry.search().tag(s, s).list());
      attempt("search.metric", s, List.of("metric"), () -> registry.search().metric(s, ">", 0).list());
      attempt("search.filter", s, List.of("filter", "condition", "tag", "stage", "model", "metric", "alias",
          "number"), () -> registry.search().filter("tags.team = '" + s + "' and stage = " + s).list());
      attempt("registration.idempotencyKey", s, List.of("idempotency key"), () -> {
        ModelVersion v = registry.registration("idem", new Weights(n), CODEC).idempotencyKey(s).by(CI).register();
        assertThat(registry.registration("idem", new Weights(n), CODEC).idempotencyKey(s).by(CI).register()
            .number()).isEqualTo(v.number());
      });
    }
  }

  private boolean approvalsGatePasses(int required) {
    String gate = "approvals(" + required + ")";
    return registry.promote("base", 1).to(Stage.PRODUCTION).as(CI).gates(dev.opskit.ml.promotion.Gates.approvals(required))
        .dryRun().gates().stream().filter(g -> g.gate().equals(gate)).findFirst().orElseThrow().passed();
  }

  private AuditRecord lastAudit() {
    List<AuditRecord> records = registry.audit("base").records();
    return records.get(records.size() - 1);
  }
}
