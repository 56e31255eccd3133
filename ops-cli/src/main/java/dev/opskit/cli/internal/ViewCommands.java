package dev.opskit.cli.internal;

import dev.opskit.console.Console;
import dev.opskit.console.ConsoleServer;
import dev.opskit.console.Report;
import dev.opskit.pipeline.Pipeline;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code report run|model|compare} and {@code console}. */
final class ViewCommands {
  private ViewCommands() {}

  @Command(name = "report", mixinStandardHelpOptions = true,
      description = {"Write a one-file HTML report and print its path.", "Inline CSS and SVG; the page makes no request."},
      subcommands = {RunReport.class, ModelReport.class, CompareReport.class, RunsReport.class})
  static final class ReportCommand {}

  abstract static class Writes extends Base {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write it (default: ${DEFAULT-VALUE}).",
        defaultValue = "")
    String output;

    abstract Report.Document document(Report report);

    abstract String defaultName();

    @Override
    int run(Session s) {
      Report report = Report.of(s.workspace()).pipelines(s.pipelines().values().toArray(Pipeline[]::new));
      Report.Document doc = document(report);
      Path file = doc.writeTo(Path.of(output.isEmpty() ? defaultName() : output));
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("title", doc.title());
      value.put("file", file.toString());
      value.put("bytes", doc.html().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
      s.output().object(value, () -> s.out().println(file));
      return OK;
    }

    static String safe(String name) {
      return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true, description = "Report a run: graph, timeline, steps.",
      footer = {"", "Examples:", "  opskit report run 01J9ZQ4K8M7... -o target/run.html"})
  static final class RunReport extends Writes {
    @Parameters(paramLabel = "RUN-ID", description = "The run's id.")
    String id;

    @Override
    Report.Document document(Report report) {
      return report.run(id);
    }

    @Override
    String defaultName() {
      return "opskit-run-" + safe(id) + ".html";
    }
  }

  @Command(name = "model", mixinStandardHelpOptions = true,
      description = "Report a model: versions, metrics chart, promotions with gate evidence, verified audit trail.",
      footer = {"", "Examples:", "  opskit report model churn"})
  static final class ModelReport extends Writes {
    @Parameters(paramLabel = "MODEL", description = "The model's name.")
    String name;

    @Override
    Report.Document document(Report report) {
      return report.model(name);
    }

    @Override
    String defaultName() {
      return "opskit-model-" + safe(name) + ".html";
    }
  }

  @Command(name = "compare", mixinStandardHelpOptions = true, description = "Report model versions side by side.",
      footer = {"", "Examples:", "  opskit report compare churn 3 5 7 -o compare.html"})
  static final class CompareReport extends Writes {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model's name.")
    String name;

    @Parameters(index = "1..*", arity = "2..*", paramLabel = "VERSION", description = "Two or more version numbers.")
    List<Integer> versions = new ArrayList<>();

    @Override
    Report.Document document(Report report) {
      return report.compare(name, versions.stream().mapToInt(Integer::intValue).toArray());
    }

    @Override
    String defaultName() {
      return "opskit-compare-" + safe(name) + ".html";
    }
  }

  @Command(name = "runs", mixinStandardHelpOptions = true,
      description = "Report runs side by side: each step's status and reason, each output's version.",
      footer = {"", "Examples:", "  opskit report runs 01J9ZQ4K8M7... 01J9ZR2B1C3... -o runs.html"})
  static final class RunsReport extends Writes {
    @Parameters(arity = "2..*", paramLabel = "RUN-ID", description = "Two or more run ids.")
    List<String> ids = new ArrayList<>();

    @Override
    Report.Document document(Report report) {
      return report.compareRuns(ids.toArray(String[]::new));
    }

    @Override
    String defaultName() {
      return "opskit-runs-" + safe(ids.get(0)) + "-and-" + (ids.size() - 1) + ".html";
    }
  }

  @Command(name = "console", mixinStandardHelpOptions = true,
      description = {"Serve the read-only web console until Ctrl-C.", "Binds 127.0.0.1 unless --address says otherwise; "
          + "then set a token."},
      footer = {"", "Examples:", "  opskit console", "  opskit console --port 8090",
          "  OPSKIT_CONSOLE_TOKEN=$(openssl rand -hex 16) opskit console --address 0.0.0.0"})
  static final class ConsoleCommand extends Base {
    @Option(names = "--port", defaultValue = "8090", description = "The port, 0 for any free one (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--address", defaultValue = "127.0.0.1", description = "The address to bind (default ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--token", defaultValue = "${env:OPSKIT_CONSOLE_TOKEN}", paramLabel = "TOKEN",
        description = "Require this access token (or OPSKIT_CONSOLE_TOKEN); at least 16 characters.")
    @Nullable String token;

    @Override
    int run(Session s) {
      Console.Builder builder = Console.builder(s.workspace()).port(port).address(address)
          .pipelines(s.pipelines().values().toArray(Pipeline[]::new));
      if (token != null && !token.isEmpty()) {
        builder.token(token);
      }
      ConsoleServer server = builder.serve();
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        // Ctrl-C: stop serving and close the workspace cleanly before the JVM halts.
        server.close();
        s.close();
        stopped.countDown();
      }, "opskit-console-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      s.out().println("opskit console at " + server.uri() + (token == null ? "" : "?token=...")
          + "  (Ctrl-C stops it)");
      s.out().flush();
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        server.close();
      }
      return OK;
    }
  }
}
