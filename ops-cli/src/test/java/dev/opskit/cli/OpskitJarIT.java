package dev.opskit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.cli.CliProcess.Result;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.Stage;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.store.StoredRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jar, run as a process against a populated local workspace: output and exit codes. */
class OpskitJarIT {
  @TempDir
  static Path home;

  static Path ws;
  static CliFixture.Populated fixture;
  static List<DatasetVersion> orders;

  @BeforeAll
  static void populate() {
    ws = home.resolve("ws");
    try (Workspace w = Workspace.local(ws)) {
      fixture = CliFixture.populate(w);
      orders = Catalog.in(w).history("shop/orders", 10, 0).items();
    }
    assertThat(orders).hasSize(2);
  }

  static Result opskit(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--workspace", ws.toString()));
    all.addAll(List.of(args));
    return CliProcess.run(home, all.toArray(String[]::new));
  }

  @Test
  void runsListsEveryRunNewestFirstAsATable() throws Exception {
    Result r = opskit("runs");
    assertThat(r.code()).as(r.toString()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("ID").contains("PIPELINE", "STATUS", "STARTED", "DURATION");
    assertThat(lines).hasSize(4);
    assertThat(lines.get(1)).contains(fixture.failed().id(), "broken", "FAILED");
    assertThat(lines.get(3)).contains(fixture.first().id(), "shop", "SUCCEEDED");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void runsFiltersAndPrintsJsonForScripts() throws Exception {
    Result r = opskit("runs", "--pipeline", "shop", "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out().strip()).startsWith("[").endsWith("]")
        .contains("\"id\": \"" + fixture.first().id() + "\"", "\"id\": \"" + fixture.second().id() + "\"",
            "\"status\": \"SUCCEEDED\"")
        .doesNotContain(fixture.failed().id());
  }

  @Test
  void runShowShowsStepsAndTheErrorWithoutTerminalEscapes() throws Exception {
    Result ok = opskit("run", "show", fixture.first().id());
    assertThat(ok.code()).as(ok.toString()).isZero();
    assertThat(ok.out()).contains("ingest", "totals", "SUCCEEDED", "STEP", "ATTEMPTS");
    Result failed = opskit("run", "show", fixture.failed().id());
    assertThat(failed.code()).as(failed.toString()).isZero();
    assertThat(failed.out()).contains("explode", "FAILED", "boom").doesNotContain("\u001b");
    // the skipped step's line says why it did not run
    assertThat(failed.out().lines().filter(l -> l.startsWith("after")).findFirst().orElseThrow())
        .contains("SKIPPED", "upstream step 'explode' failed");
  }

  @Test
  void anUnknownRunIsOneLineWithTheFix() throws Exception {
    Result r = opskit("run", "show", "no-such-run");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip()).isEqualTo("opskit: no run 'no-such-run' in this workspace: list the runs with "
        + "`opskit runs`");
  }

  @Test
  void aMissingWorkspaceFailsWithTheFixAndCreatesNothing() throws Exception {
    Path missing = home.resolve("nowhere");
    Result r = CliProcess.run(home, "runs", "--workspace", missing.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip()).startsWith("opskit: no opskit workspace at " + missing)
        .contains("--workspace DIR", "OPSKIT_WORKSPACE").doesNotContain("\tat ");
    assertThat(r.err().lines()).hasSize(1);
    assertThat(missing).doesNotExist();
    Result dflt = CliProcess.run(home, "models");
    assertThat(dflt.code()).isEqualTo(1);
    assertThat(dflt.err()).contains("no opskit workspace at " + home.resolve(".opskit"));
  }

  @Test
  void usageErrorsExitTwoWithOneLineAndTheHelpToRead() throws Exception {
    Result unknown = opskit("runz");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).startsWith("opskit: Unmatched argument at index 2: 'runz' (see 'opskit --help')")
        .contains("Did you mean", "runs");
    Result badStatus = opskit("runs", "--status", "GREEN");
    assertThat(badStatus.code()).isEqualTo(2);
    assertThat(badStatus.err()).contains("GREEN", "SUCCEEDED", "opskit runs --help");
    Result noActor = opskit("model", "promote", "churn", "1", "--to", "STAGING");
    assertThat(noActor.code()).isEqualTo(2);
    assertThat(noActor.err()).contains("Missing required option: '--as=ACTOR'", "opskit model promote --help");
    Result gc = opskit("gc");
    assertThat(gc.code()).isEqualTo(2);
    assertThat(gc.err()).contains("--dry-run");
    Result group = opskit("model");
    assertThat(group.code()).isEqualTo(2);
    assertThat(group.err()).contains("Missing required subcommand");
    // a value the library refuses is the user's input too: a usage error, with the command's help
    Result zero = opskit("runs", "--limit", "0");
    assertThat(zero.code()).as(zero.toString()).isEqualTo(2);
    assertThat(zero.err()).contains("0", "opskit runs --help").doesNotContain("--verbose shows where");
    Result since = opskit("runs", "--since", "yesterday");
    assertThat(since.code()).isEqualTo(2);
    assertThat(since.err()).contains("'yesterday'", "2026-01-31", "2026-01-31T08:00:00Z")
        .doesNotContain("java.time");
  }

  @Test
  void aWorkspaceHeldByAnotherProcessIsNamedWithWhatToDoInstead() throws Exception {
    Path held = home.resolve("held");
    try (Workspace app = Workspace.local(held)) {
      assertThat(app.runs().count()).isZero(); // this process holds the workspace while the command line tries
      Result r = CliProcess.run(home, "--workspace", held.toString(), "runs");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err().strip()).startsWith("opskit: the workspace at " + held.toAbsolutePath().normalize()
          + " is open in another process").contains("Console.serve", "jdbc:postgresql").doesNotContain("AUTO_SERVER");
    }
  }

  @Test
  void sinceTakesADayOrAnInstant() throws Exception {
    Result day = opskit("runs", "--since", "2000-01-01", "--json");
    assertThat(day.code()).as(day.toString()).isZero();
    assertThat(day.out()).contains(fixture.first().id());
    Result future = opskit("runs", "--since", "2999-01-01T00:00:00Z", "--json");
    assertThat(future.code()).as(future.toString()).isZero();
    assertThat(future.out()).doesNotContain(fixture.first().id());
  }

  @Test
  void helpHasExamplesAndCompletionIsGenerated() throws Exception {
    Result help = CliProcess.run(home, "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("Usage: opskit", "Examples:", "opskit runs --pipeline", "Exit codes: 0 ok");
    Result sub = CliProcess.run(home, "model", "promote", "--help");
    assertThat(sub.code()).isZero();
    assertThat(sub.out()).contains("--as=ACTOR", "Examples:", "opskit model promote churn 7");
    Result completion = CliProcess.run(home, "generate-completion");
    assertThat(completion.code()).isZero();
    assertThat(completion.out()).contains("complete -F", "opskit").contains("runs", "datasets", "audit");
  }

  @Test
  void datasetsVersionsLineageDiffAndDrift() throws Exception {
    Result datasets = opskit("datasets");
    assertThat(datasets.code()).as(datasets.toString()).isZero();
    assertThat(datasets.out()).contains("shop/orders", "shop/total", orders.get(0).shortId());

    Result versions = opskit("versions", "shop/orders");
    assertThat(versions.code()).as(versions.toString()).isZero();
    assertThat(versions.out()).contains(orders.get(0).shortId(), orders.get(1).shortId(), "400", "COMMITTED");
    Result none = opskit("versions", "shop/nothing");
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err().strip()).isEqualTo("opskit: no dataset 'shop/nothing' in this workspace: no version of it "
        + "was ever committed; list the datasets with `opskit datasets`");

    java.nio.file.Path exported = Files.createTempDirectory("opskit-export").resolve("orders.jsonl");
    Result export = opskit("export", "shop/orders", orders.get(1).shortId(), "-o", exported.toString());
    assertThat(export.code()).as(export.toString()).isZero();
    assertThat(export.out()).contains(orders.get(1).id(), exported.toString());
    assertThat(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(Files.readAllBytes(exported)))).isEqualTo(orders.get(1).id());
    Result latest = opskit("export", "shop/orders", "latest", "-o", exported.toString(), "--json");
    assertThat(latest.code()).as(latest.toString()).isZero();
    assertThat(latest.out()).contains("\"version\": \"" + orders.get(0).id() + "\"");
    Result typo = opskit("export", "shop/ordrs", "latest", "-o", exported.toString());
    assertThat(typo.code()).isEqualTo(1);
    assertThat(typo.err()).contains("no usable version of dataset 'shop/ordrs'");

    String older = orders.get(1).id();
    String newer = orders.get(0).id();
    Result lineage = opskit("lineage", "shop/total", opskit("versions", "shop/total", "--json").out()
        .lines().filter(l -> l.contains("\"id\"")).findFirst().orElseThrow().split("\"")[3]);
    assertThat(lineage.code()).as(lineage.toString()).isZero();
    assertThat(lineage.out()).contains("shop/orders@", "shop/total@", "totals");

    Result diff = opskit("diff", "shop/orders", older, newer);
    assertThat(diff.code()).as(diff.toString()).isZero();
    assertThat(diff.out()).contains("olderRows", "400", "amount", "COLUMN");

    Result drift = opskit("drift", "shop/orders", older, newer, "--max-psi", "0.0001");
    assertThat(drift.code()).as(drift.toString()).isEqualTo(1);
    assertThat(drift.out()).contains("amount", "NUMERIC", "PSI");
    assertThat(drift.err()).contains("drift above --max-psi");
    Result same = opskit("drift", "shop/orders", older, older, "--max-psi", "0.0001", "--json");
    assertThat(same.code()).as(same.toString()).isZero();
    assertThat(same.out()).contains("\"maxPsi\": 0.0");
  }

  @Test
  void modelsModelShowCompareAndAudit() throws Exception {
    Result models = opskit("models");
    assertThat(models.code()).as(models.toString()).isZero();
    assertThat(models.out()).contains("churn", "NAME", "<script>alert(1)</script>?second line");

    Result show = opskit("model", "show", "churn");
    assertThat(show.code()).as(show.toString()).isZero();
    assertThat(show.out()).contains("PRODUCTION", "champion", "auc=0.8600", "verified");

    Result compare = opskit("compare", "churn", "1", "2");
    assertThat(compare.code()).as(compare.toString()).isZero();
    assertThat(compare.out()).contains("metric auc", "0.8100", "0.8600", "*param epochs", "25", "300");

    Result verify = opskit("audit", "verify", "--json");
    assertThat(verify.code()).as(verify.toString()).isZero();
    assertThat(verify.out()).contains("\"model\": \"churn\"", "\"state\": \"REGISTERED\"", "\"verified\": true");

    Result unknown = opskit("model", "show", "nope");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("nope", "registered models include [churn").doesNotContain("\tat ");
    // a name nothing was recorded under fails, naming the names that have a trail
    Result unknownTrail = opskit("audit", "verify", "nope");
    assertThat(unknownTrail.code()).isEqualTo(1);
    assertThat(unknownTrail.out()).isEmpty();
    assertThat(unknownTrail.err().strip()).isEqualTo("opskit: no registered model 'nope', and none was deleted or "
        + "renamed away under that name: it has no audit trail; known names with an audit trail: [churn] "
        + "(--verbose shows where)");
  }

  @Test
  void searchFindsVersionsByAnMlflowFilterAndAMalformedOneIsAUsageError() throws Exception {
    Result auc = opskit("search", "metrics.auc > 0.85", "--json");
    assertThat(auc.code()).as(auc.toString()).isZero();
    assertThat(auc.out()).contains("\"model\": \"churn\"", "\"version\": 2").doesNotContain("\"version\": 1");
    Result all = opskit("search", "--order-by", "metrics.auc asc");
    assertThat(all.code()).as(all.toString()).isZero();
    List<String> lines = all.out().lines().toList();
    assertThat(lines.get(0)).startsWith("MODEL").contains("VERSION", "STAGE", "METRICS");
    assertThat(lines.get(1)).contains("auc=0.8100");
    assertThat(lines.get(2)).contains("auc=0.8600", "champion");
    Result typo = opskit("search", "stage = 'PRODUTION'");
    assertThat(typo.code()).as(typo.toString()).isEqualTo(2);
    assertThat(typo.err()).contains("PRODUTION", "PRODUCTION", "opskit search --help");
    Result none = opskit("search", "metrics.auc > 0.99");
    assertThat(none.code()).isZero();
    assertThat(none.out().strip()).isEqualTo("no version matches");
  }

  @Test
  void auditShowListsTheTrailNewestFirstAndAliasesAreSetAndRemovedThroughIt() throws Exception {
    Result set = opskit("model", "alias", "churn", "challenger", "1", "--as", "Bob");
    assertThat(set.code()).as(set.toString()).isZero();
    assertThat(set.out().strip()).isEqualTo("@challenger of churn -> v1");
    Result removed = opskit("model", "unalias", "churn", "challenger", "--as", "Bob");
    assertThat(removed.code()).as(removed.toString()).isZero();
    assertThat(removed.out().strip()).isEqualTo("removed @challenger of churn");
    Result again = opskit("model", "unalias", "churn", "challenger", "--as", "Bob");
    assertThat(again.out().strip()).isEqualTo("churn has no alias @challenger; nothing changed");
    Result noActor = opskit("model", "alias", "churn", "challenger", "1");
    assertThat(noActor.code()).isEqualTo(2);

    Result trail = opskit("audit", "show", "churn", "--limit", "3");
    assertThat(trail.code()).as(trail.toString()).isZero();
    List<String> lines = trail.out().lines().toList();
    assertThat(lines.get(0)).startsWith("SEQUENCE").contains("ACTOR", "ACTION", "CHANGE", "REASON");
    // newest first: the removal, then the alias set before it
    assertThat(lines.get(1)).contains("REMOVE_ALIAS", "alias challenger: v1 -> (removed)");
    assertThat(lines.get(2)).contains("SET_ALIAS", "alias challenger: (none) -> v1");
    assertThat(trail.out()).contains("(more: --offset 3)");
    Result json = opskit("audit", "show", "churn", "--limit", "1000", "--json");
    assertThat(json.out()).contains("\"action\": \"REGISTER\"", "\"reason\": \"beats v1\"", "\"hash\": ");
    Result unknown = opskit("audit", "show", "chrun");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("no registered model 'chrun'", "did you mean 'churn'?");
  }

  @Test
  void auditVerifiesAndShowsTheTrailsOfDeletedAndRenamedModels() throws Exception {
    Path gone = home.resolve("gone");
    try (Workspace w = Workspace.local(gone); ModelRegistry models = ModelRegistry.in(w)) {
      Actor ci = Actor.of("ci");
      ModelCodec<Double> codec = ModelCodecs.json(Double.class);
      for (int i = 1; i <= 3; i++) {
        models.register("dev-churn", (double) i, codec, ci);
      }
      models.setVersionTag("dev-churn", 2, "validated", "yes", ci);
      models.setAlias("dev-churn", "champion", 2, ci);
      models.renameModel("dev-churn", "churn-experiments", ci);
      models.register("churn-experiments", 4.0, codec, ci);
      models.setAlias("churn-experiments", "champion", 4, ci);
      models.register("prod-churn", 1.0, codec, ci);
      models.register("prod-churn", 2.0, codec, ci);
      models.promote("prod-churn", 2).to(Stage.PRODUCTION).as(ci).execute();
      models.deleteModel("prod-churn", ci, true);
    }

    // all by default: the deleted model's trail and the renamed-away name's are verified too, and said to be
    Result all = gone("audit", "verify");
    assertThat(all.code()).as(all.toString()).isZero();
    List<String> lines = all.out().lines().toList();
    assertThat(lines.get(0)).startsWith("MODEL").contains("STATE", "RECORDS", "VERIFIED");
    assertThat(lines).hasSize(4);
    assertThat(lines.get(1)).startsWith("churn-experiments").contains("registered", "true");
    assertThat(lines.get(2)).startsWith("dev-churn").contains("renamed to churn-experiments", "true");
    assertThat(lines.get(3)).startsWith("prod-churn").contains("deleted 20", "true");
    Result one = gone("audit", "verify", "prod-churn", "--json");
    assertThat(one.code()).as(one.toString()).isZero();
    assertThat(one.out()).contains("\"model\": \"prod-churn\"", "\"state\": \"DELETED\"", "\"verified\": true");

    // the deleted model's trail reads, newest first, saying what the deletion did
    Result deleted = gone("audit", "show", "prod-churn");
    assertThat(deleted.code()).as(deleted.toString()).isZero();
    List<String> shown = deleted.out().lines().toList();
    assertThat(shown.get(0)).startsWith("model 'prod-churn' was deleted at 20")
        .contains("opskit audit verify prod-churn");
    assertThat(shown.get(1)).startsWith("SEQUENCE").doesNotContain("MODEL");
    assertThat(shown.get(2)).contains("DELETE_MODEL", "model deleted with its 2 version(s); archived versions: v2");
    assertThat(shown.get(3)).contains("PROMOTE", "stage: NONE -> PRODUCTION");

    // a renamed model's trail names the name each record was written under; the alias moved from v2 to v4
    Result renamed = gone("audit", "show", "churn-experiments");
    assertThat(renamed.code()).as(renamed.toString()).isZero();
    List<String> trail = renamed.out().lines().toList();
    assertThat(trail.get(0)).startsWith("MODEL").contains("SEQUENCE", "CHANGE");
    assertThat(trail.get(1)).startsWith("churn-experiments").contains("SET_ALIAS", "alias champion: v2 -> v4");
    assertThat(trail.get(3)).startsWith("churn-experiments").contains("RENAME_MODEL",
        "renamed from dev-churn (its trail up to record 6)");
    assertThat(trail.get(4)).startsWith("dev-churn").contains("RENAME_MODEL", "renamed to churn-experiments");
    assertThat(trail.get(5)).startsWith("dev-churn").contains("SET_ALIAS", "alias champion: (none) -> v2");
    assertThat(trail.get(6)).startsWith("dev-churn").contains("SET_TAG", "tag validated: (none) -> yes");
    Result old = gone("audit", "show", "dev-churn");
    assertThat(old.code()).as(old.toString()).isZero();
    assertThat(old.out().lines().findFirst().orElseThrow()).startsWith("model 'dev-churn' was renamed to "
        + "'churn-experiments' at 20").endsWith("opskit audit show churn-experiments");

    // tampering with the deleted model's trail is caught, by the check of all trails and of that one
    try (Workspace w = Workspace.local(gone)) {
      w.metadata().transact(tx -> {
        StoredRecord promote = tx.require("model-audit", "prod-churn/000000000003");
        return tx.update(promote, promote.body().replace("\"ci\"", "\"mallory\""), promote.attributes());
      });
    }
    Result tampered = gone("audit", "verify");
    assertThat(tampered.code()).as(tampered.toString()).isEqualTo(1);
    assertThat(tampered.out().lines().filter(l -> l.startsWith("prod-churn")).findFirst().orElseThrow())
        .contains("deleted 20", "false", "audit record 3 of model 'prod-churn' was edited");
    assertThat(tampered.err().strip()).startsWith("opskit: 1 of 3 audit trail(s) failed verification: prod-churn "
        + "(deleted 20");
    Result tamperedOne = gone("audit", "verify", "prod-churn");
    assertThat(tamperedOne.code()).as(tamperedOne.toString()).isEqualTo(1);
  }

  private static Result gone(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--workspace", home.resolve("gone").toString()));
    all.addAll(List.of(args));
    return CliProcess.run(home, all.toArray(String[]::new));
  }

  @Test
  void promoteAndApproveGoThroughTheRegistryAndTheAuditTrail() throws Exception {
    Result dry = opskit("model", "promote", "churn", "1", "--to", "STAGING", "--as", "Alice", "--dry-run");
    assertThat(dry.code()).as(dry.toString()).isZero();
    Result promote = opskit("model", "promote", "churn", "1", "--to", "STAGING", "--as", "Alice", "--reason",
        "second opinion");
    assertThat(promote.code()).as(promote.toString()).isZero();
    assertThat(promote.out()).contains("STAGING");
    Result approve = opskit("model", "approve", "churn", "1", "--stage", "PRODUCTION", "--as", "bob", "--reason",
        "looked at it");
    assertThat(approve.code()).as(approve.toString()).isZero();
    Result show = opskit("model", "show", "churn", "--json");
    assertThat(show.out()).contains("\"stage\": \"STAGING\"", "\"auditVerified\": true");
    Result report = opskit("report", "model", "churn", "-o", "model.html");
    assertThat(report.code()).as(report.toString()).isZero();
    String html = Files.readString(home.resolve("model.html"));
    assertThat(html).contains("second opinion", "Alice", "looked at it", "bob");
  }

  @Test
  void gcDryRunReportsAndDeletesNothing() throws Exception {
    Result gc = opskit("gc", "--dry-run", "--keep-last", "1", "--grace", "PT0S", "--json");
    assertThat(gc.code()).as(gc.toString()).isZero();
    assertThat(gc.out()).contains("\"dryRun\": true", "\"versionsKept\"");
    assertThat(opskit("versions", "shop/orders").out()).contains(orders.get(1).shortId());
  }

  @Test
  void reportWritesOneSelfContainedFileAndPrintsItsPath() throws Exception {
    Result r = opskit("report", "run", fixture.second().id());
    assertThat(r.code()).as(r.toString()).isZero();
    Path file = Path.of(r.out().strip());
    assertThat(file).isEqualTo(home.resolve("opskit-run-" + fixture.second().id() + ".html")).exists();
    String html = Files.readString(file);
    assertThat(html).contains("Content-Security-Policy", "default-src &#39;none&#39;", "ingest", "totals",
        "class=\"edge\"").doesNotContain("http://", "https://", "<script");
  }

  @Test
  void reportRunsComparesRunsSideBySide() throws Exception {
    Result r = opskit("report", "runs", fixture.first().id(), fixture.second().id(), "-o", "runs.html", "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("\"file\": \"" + home.resolve("runs.html") + "\"", "\"title\": \"Compare runs\"");
    assertThat(Files.readString(home.resolve("runs.html"))).contains(fixture.first().id(), fixture.second().id(),
        "ingest", "totals", "shop/orders");
    Result one = opskit("report", "runs", fixture.first().id());
    assertThat(one.code()).isEqualTo(2);
  }

  @Test
  void planExplainsARegisteredPipelineFromTheClassPath() throws Exception {
    Result without = opskit("plan", "shop");
    assertThat(without.code()).isEqualTo(1);
    assertThat(without.err()).contains("no pipeline definitions on the class path", "OPSKIT_CLASSPATH");
    String testClasses = Path.of(CliFixture.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
    Result plan = CliProcess.runWithClassPath(home, testClasses, "plan", "shop", "--workspace", ws.toString());
    assertThat(plan.code()).as(plan.toString()).isZero();
    assertThat(plan.out()).contains("STEP", "ingest", "totals");
  }

  @Test
  void theLauncherScriptFindsTheJarInACheckoutAndAddsOpskitClassPath() throws Exception {
    Path script = Path.of("src/main/dist/bin/opskit").toAbsolutePath();
    assertThat(script).isExecutable();
    Result runs = CliProcess.start(home, List.of(script.toString(), "runs", "--workspace", ws.toString()), Map.of());
    assertThat(runs.code()).as(runs.toString()).isZero();
    assertThat(runs.out()).contains(fixture.first().id());
    String testClasses = Path.of(CliFixture.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
    Result plan = CliProcess.start(home, List.of(script.toString(), "plan", "shop", "--workspace", ws.toString()),
        Map.of("OPSKIT_JAR", CliProcess.jar().toString(), "OPSKIT_CLASSPATH", testClasses));
    assertThat(plan.code()).as(plan.toString()).isZero();
    assertThat(plan.out()).contains("ingest", "totals");
    Result noJar = CliProcess.start(home, List.of(script.toString(), "runs"), Map.of("OPSKIT_JAR",
        home.resolve("missing.jar").toString()));
    assertThat(noJar.code()).isEqualTo(1);
    assertThat(noJar.err()).contains("no opskit jar found: set OPSKIT_JAR");
  }

  @Test
  void consoleServesUntilStopped() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(CliProcess.java().toString(), "-jar", CliProcess.jar().toString(),
        "console", "--port", "0", "--workspace", ws.toString()).directory(home.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    try {
      BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = CompletableFuture.supplyAsync(() -> {
        try {
          return reader.readLine();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).get(CliProcess.TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(line).startsWith("opskit console at http://127.0.0.1:");
      URI uri = URI.create(line.split(" ")[3]);
      HttpResponse<String> runs = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
          .send(HttpRequest.newBuilder(uri.resolve("/runs")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(runs.statusCode()).isEqualTo(200);
      assertThat(runs.body()).contains(fixture.first().id());
    } finally {
      p.destroy();
      assertThat(p.waitFor(CliProcess.TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }
    // The stop hook closed the workspace: another process can open it.
    assertThat(opskit("runs").code()).isZero();
  }
}
