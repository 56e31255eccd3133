package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.OpsException;
import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.data.Rows;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.ml.tracking.Tracking;
import dev.opskit.pipeline.Dataset;
import dev.opskit.store.StoreException;
import dev.opskit.time.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apiguardian.api.API;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestReporter;

/**
 * Hostile input on every public entry point that takes a name, an id, a URI, a path or a file, as an abstract JUnit 5
 * suite: the strings of {@link HostileInputs} (SQL and path meta-characters, controls, bidi and zero-width characters,
 * look-alikes, non-ASCII digits, reserved words, huge numbers, empty and over-long strings) go to the registry, the
 * catalog, tracking, pipelines and the workspace. Each input must be either accepted and read back exactly, or refused
 * with an {@link IllegalArgumentException} (or the documented not-found {@link OpsException}) whose message names the
 * parameter and shows no raw control or bidi character. A {@link StoreException}, a {@link NumberFormatException}, any
 * other exception, or a look-alike that resolves as something else fails the suite, which lists every failure at once.
 * opskit runs it on in-memory, H2 and PostgreSQL workspaces.
 *
 * <pre>{@code
 * class MyStoreHostileInputTest extends HostileInputContract {
 *   @Override
 *   protected Workspace createWorkspace(ManualClock clock) {
 *     return Workspace.builder().clock(clock).openPostgres(myDataSource, blobDir);
 *   }
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class HostileInputContract {
  /** A model of the tests. */
  public record Weights(double bias) {}

  /** A row of the tests. */
  public record Row(String id, int n) {}

  static final ModelCodec<Weights> CODEC = ModelCodecs.json(Weights.class);
  static final Actor CI = Actor.of("ci");
  static final Dataset<Rows<Row>> DATA = Datasets.jsonLines("base/data", Row.class);
  static final Dataset<Rows<Row>> OUT = Datasets.jsonLines("base/out", Row.class);

  /** The clock of every workspace of the suite. */
  protected final ManualClock clock = ManualClock.at(Instant.parse("2026-09-01T00:00:00Z"));
  private Workspace workspace;
  private ModelRegistry registry;
  private Catalog catalog;
  private Tracking tracking;
  private DatasetVersion data;
  private final HostileAttempts attempts = new HostileAttempts();

  /** Creates the contract; subclasses supply the workspace. */
  protected HostileInputContract() {}

  /**
   * Creates an empty workspace for one test.
   *
   * @param clock the clock it must use
   * @return the workspace
   */
  protected abstract Workspace createWorkspace(ManualClock clock);

  /**
   * Returns a directory under which the suite may open local workspaces in directories of hostile names, or empty to
   * skip that part (a suite for another store has nothing local to open).
   *
   * @return the directory
   */
  protected Optional<Path> localWorkspaceRoot() {
    return Optional.empty();
  }

  /**
   * Returns how many inputs the suite has tried so far on this backend: one per entry point and input.
   *
   * @return the count
   */
  protected final long inputsTried() {
    return attempts.tried;
  }

  /** Opens the workspace, with a model {@code base} of one READY version aliased {@code champion}, and a dataset. */
  @BeforeEach
  void open() {
    workspace = createWorkspace(clock);
    registry = ModelRegistry.in(workspace);
    catalog = Catalog.in(workspace);
    tracking = Tracking.in(workspace);
    ModelVersion v = registry.registration("base", new Weights(1), CODEC).by(CI).register();
    registry.setAlias("base", "champion", v.number(), CI);
    data = catalog.commit(DATA, Rows.of(new Row("a", 1)));
    attempts.failures.clear();
  }

  /** Closes them, and fails with every failure of the test. */
  @AfterEach
  void close() {
    try {
      assertThat(attempts.failures).as("%d entry points mishandled hostile input", attempts.failures.size()).isEmpty();
    } finally {
      if (registry != null) {
        registry.close();
      }
      if (workspace != null) {
        workspace.close();
      }
      registry = null;
      workspace = null;
    }
  }

  /**
   * Reports the number of inputs tried on this backend.
   *
   * @param reporter where to report it
   */
  @AfterAll
  void report(TestReporter reporter) {
    reporter.publishEntry("hostile inputs tried on " + getClass().getSimpleName(), Long.toString(attempts.tried));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The registry (see HostileRegistryInputChecks)

  @Test
  void modelNamesAreRefusedNamingTheModelOrRoundTrip() {
    registryInputs().modelNamesAreRefusedNamingTheModelOrRoundTrip();
  }

  @Test
  void aliasesAreRefusedNamingTheAliasOrTheReservedRuleOrRoundTrip() {
    registryInputs().aliasesAreRefusedNamingTheAliasOrTheReservedRuleOrRoundTrip();
  }

  @Test
  void modelUrisResolveOnlyInTheirStrictAsciiFormAndNeverLeakNumberFormatException() {
    registryInputs().modelUrisResolveOnlyInTheirStrictAsciiFormAndNeverLeakNumberFormatException();
  }

  @Test
  void principalsAreRefusedOrRecordedAsGivenAndCountedByCanonicalId() {
    registryInputs().principalsAreRefusedOrRecordedAsGivenAndCountedByCanonicalId();
  }

  @Test
  void reasonsDescriptionsAndTagsAreRefusedNamingTheFieldOrRoundTrip() {
    registryInputs().reasonsDescriptionsAndTagsAreRefusedNamingTheFieldOrRoundTrip();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Tracking and run ids (see HostileTrackingInputChecks)

  @Test
  void runIdsExperimentsAndKeysAreRefusedNamingTheFieldOrRoundTrip() {
    trackingInputs().runIdsExperimentsAndKeysAreRefusedNamingTheFieldOrRoundTrip();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Datasets and pipelines (see HostileDatasetInputChecks)

  @Test
  void datasetNamesVersionIdsAndTagsAreRefusedNamingTheFieldOrRoundTrip() {
    datasetInputs().datasetNamesVersionIdsAndTagsAreRefusedNamingTheFieldOrRoundTrip();
  }

  @Test
  void hostileFilesFailTheCommitNamingTheLineOrTheFileAndRecordNothing() throws IOException {
    datasetInputs().hostileFilesFailTheCommitNamingTheLineOrTheFileAndRecordNothing();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Workspace directories

  @Test
  void workspaceDirectoriesOfHostileNamesAreRefusedNamingThePathOrHoldTheirDatabase() throws IOException {
    Optional<Path> root = localWorkspaceRoot();
    if (root.isEmpty()) {
      return;
    }
    for (String s : HostileInputs.directoryNames()) {
      Path parent = Files.createTempDirectory(root.get(), "ws");
      Path dir;
      try {
        dir = parent.resolve(s);
      } catch (InvalidPathException e) {
        continue;
      }
      attempts.attempt("Workspace.local", s, List.of("workspace path", "workspace directory"), () -> {
        try (Workspace local = Workspace.local(dir)) {
          Optional<dev.opskit.store.StoredRecord> none = local.metadata().transact(tx -> tx.get("x", "y"));
          assertThat(none).isEmpty();
        }
        assertThat(Files.list(parent).map(p -> p.getFileName().toString())).as("only the workspace directory")
            .containsExactly(dir.getFileName().toString());
        assertThat(dir.resolve("metadata.mv.db")).isRegularFile();
      });
      if (!Files.exists(dir)) {
        try (Stream<Path> left = Files.list(parent)) {
          if (left.findAny().isPresent()) {
            attempts.failures.add("Workspace.local " + dev.opskit.Names.quote(s)
                + ": refused, yet created files beside it");
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The checks the tests above delegate to, on this test's workspace and the suite's attempts

  private HostileRegistryInputChecks registryInputs() {
    return new HostileRegistryInputChecks(registry, clock, attempts);
  }

  private HostileTrackingInputChecks trackingInputs() {
    return new HostileTrackingInputChecks(workspace, registry, tracking, data, attempts);
  }

  private HostileDatasetInputChecks datasetInputs() {
    return new HostileDatasetInputChecks(catalog, data, attempts);
  }
}
