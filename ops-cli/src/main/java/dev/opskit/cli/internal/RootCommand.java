package dev.opskit.cli.internal;

import org.jspecify.annotations.Nullable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code opskit} command: the options every subcommand shares, and the list of subcommands. */
@Command(name = "opskit", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class,
    usageHelpAutoWidth = true,
    description = "Look at an opskit workspace: runs, datasets, models, audit; reports and the console.",
    subcommands = {RunCommands.Runs.class, RunCommands.RunGroup.class, RunCommands.Plan.class,
        DataCommands.Datasets.class, DataCommands.Versions.class, DataCommands.Export.class, DataCommands.Diff.class, DataCommands.Drift.class,
        DataCommands.LineageCommand.class, DataCommands.Gc.class, ModelCommands.Models.class,
        ModelCommands.ModelGroup.class, RegistryCommands.Search.class, ModelCommands.Compare.class,
        ModelCommands.AuditGroup.class,
        ViewCommands.ReportCommand.class, ViewCommands.ConsoleCommand.class,
        AutoComplete.GenerateCompletion.class},
    footer = {"", "The workspace is ./.opskit unless --workspace or OPSKIT_WORKSPACE says otherwise.",
        "Exit codes: 0 ok, 1 failure (one line says what to do), 2 usage error.", "", "Examples:",
        "  opskit runs --pipeline churn-training --status FAILED",
        "  opskit run show 01J9Z... --json | jq '.steps[].status'",
        "  opskit --workspace jdbc:postgresql://db/opskit?user=ci --blobs /mnt/opskit/blobs models",
        "  opskit model promote churn 7 --to PRODUCTION --as alice --reason 'beats v6'",
        "  opskit report run 01J9Z... -o run.html",
        "  source <(opskit generate-completion)"})
public final class RootCommand {
  @Option(names = {"-w", "--workspace"}, scope = ScopeType.INHERIT, paramLabel = "DIR|JDBC-URL",
      defaultValue = "${env:OPSKIT_WORKSPACE:-.opskit}",
      description = "The workspace: a directory, or jdbc:postgresql://... with --blobs (default: ${DEFAULT-VALUE}).")
  String workspace = ".opskit";

  @Option(names = "--blobs", scope = ScopeType.INHERIT, paramLabel = "DIR|S3-URI", defaultValue = "${env:OPSKIT_BLOBS}",
      description = "A PostgreSQL workspace's blobs: a directory, or s3://BUCKET/PREFIX?region=... (needs ops-s3).")
  @Nullable String blobs;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON for scripts instead of tables.")
  boolean json;

  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
      description = "Print stack traces and debug logging.")
  boolean verbose;

  @Nullable Session session;

  /** The version printed by {@code --version}: the jar's Implementation-Version. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = RootCommand.class.getPackage().getImplementationVersion();
      return new String[] {"opskit " + (v == null ? "(development build)" : v),
          "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")};
    }
  }
}
