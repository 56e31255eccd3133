package dev.opskit.examples;

import dev.opskit.Workspace;
import dev.opskit.data.Rows;
import dev.opskit.examples.Churn.Features;
import dev.opskit.examples.Churn.Model;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.serving.LiveModel;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Two processes share one workspace on PostgreSQL. This process trains and promotes; a second JVM, which it starts,
 * serves predictions through a {@link LiveModel} and switches to the new production version as soon as the trainer
 * promotes it, with no restart and no message between them beyond the shared store.
 *
 * <p>The metadata is in PostgreSQL; the blobs are in {@code ./.opskit-shared/blobs}, a directory both processes see
 * (across machines it would be a shared filesystem). The JDBC URL is the first argument, else the environment
 * variable {@code OPSKIT_PG_URL}, else {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}.
 *
 * <p>Run it with {@code ./mvnw -q -pl ops-examples -am package -DskipTests -Dexample=SharedRegistryOnPostgres}.
 */
public final class SharedRegistryOnPostgres {
  static final String MODEL = "shared-churn";
  static final ModelCodec<Model> CODEC = ModelCodecs.json(Model.class);
  static final Path BLOBS = Path.of(".opskit-shared", "blobs");

  private SharedRegistryOnPostgres() {}

  /**
   * Runs the trainer, which starts the server; with {@code serve} as the first argument, runs the server.
   *
   * @param args {@code [jdbc-url]} for the trainer, {@code serve jdbc-url} for the server
   * @throws Exception if the server process cannot be started or fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("serve")) {
      serve(args[1], Path.of(args[2]));
      return;
    }
    String url = args.length > 0 ? args[0]
        : System.getenv().getOrDefault("OPSKIT_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    train(url, BLOBS, System.out);
  }

  /**
   * Trains and promotes twice, while a server process it starts follows production.
   *
   * @param url the JDBC URL of the shared PostgreSQL database
   * @param blobs the blob directory both processes use
   * @param out where to print
   */
  static void train(String url, Path blobs, PrintStream out) throws IOException, InterruptedException {
    Actor trainer = Actor.of("trainer");
    try (Workspace ws = Workspace.postgres(url, blobs); ModelRegistry registry = ModelRegistry.in(ws)) {
      Rows<Features> features = Churn.features(Churn.clean(Churn.generate(3000, 7)));

      ModelVersion first = register(registry, Churn.train(features, 5, 0.5), features, trainer, out);
      promote(registry, first, trainer, out);

      Process server = startServer(url, blobs);
      BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(),
          StandardCharsets.UTF_8));
      relay(serverOut, "serving v" + first.number(), out);

      ModelVersion retrained = register(registry, Churn.train(features, 300, 0.5), features, trainer, out);
      promote(registry, retrained, trainer, out);
      relay(serverOut, "switched to v" + retrained.number(), out);
      String line;
      while ((line = serverOut.readLine()) != null) {
        out.println("  [server] " + line);
      }
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
        throw new IllegalStateException("the server process did not exit; its output is above");
      }
      if (server.exitValue() != 0) {
        throw new IllegalStateException("the server process failed with exit code " + server.exitValue()
            + "; its output is above");
      }
    }
  }

  static ModelVersion register(ModelRegistry registry, Model model, Rows<Features> features, Actor actor,
      PrintStream out) {
    double auc = Churn.auc(model, features);
    ModelVersion v = registry.registration(MODEL, model, CODEC)
        .provenance(Provenance.builder().metric("auc", auc).build()).by(actor).register();
    out.printf(Locale.ROOT, "[trainer] registered %s v%d, auc %.4f%n", MODEL, v.number(), auc);
    return v;
  }

  static void promote(ModelRegistry registry, ModelVersion v, Actor actor, PrintStream out) {
    registry.promote(MODEL, v.number()).to(Stage.PRODUCTION).as(actor).reason("shared registry example")
        .gates(Gates.metricAtLeast("auc", 0.7)).execute();
    out.printf(Locale.ROOT, "[trainer] promoted %s v%d to PRODUCTION%n", MODEL, v.number());
  }

  /** The second process: follows the production version and serves a prediction with each. */
  static void serve(String url, Path blobs) throws InterruptedException {
    Features customer = new Features("c90002", -0.6, 0.4, 0.6, false, true);
    try (Workspace ws = Workspace.postgres(url, blobs);
        ModelRegistry registry = ModelRegistry.builder(ws).pollInterval(Duration.ofMillis(100)).build();
        LiveModel<Model> live = registry.live(MODEL, Stage.PRODUCTION, CODEC)) {
      int serving = live.version();
      System.out.printf(Locale.ROOT, "serving v%d: churn probability %.3f%n", serving, live.get().predict(customer));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (live.version() == serving) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no promotion seen in 60 s");
        }
        Thread.sleep(20);
      }
      System.out.printf(Locale.ROOT, "switched to v%d: churn probability %.3f%n", live.version(),
          live.get().predict(customer));
    }
  }

  private static Process startServer(String url, Path blobs) throws IOException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-cp", classPath(),
        SharedRegistryOnPostgres.class.getName(), "serve", url, blobs.toAbsolutePath().toString()));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** Prints the server's lines until one starts with {@code expected}. */
  private static void relay(BufferedReader serverOut, String expected, PrintStream out) throws IOException {
    String line;
    while ((line = serverOut.readLine()) != null) {
      out.println("  [server] " + line);
      if (line.startsWith(expected)) {
        return;
      }
    }
    throw new UncheckedIOException(new IOException("the server exited before printing '" + expected + "'"));
  }

  /** This program's class path, whether it was started by {@code java -cp} or inside Maven by exec:java. */
  private static String classPath() {
    ClassLoader loader = SharedRegistryOnPostgres.class.getClassLoader();
    if (loader instanceof URLClassLoader) {
      List<String> entries = new ArrayList<>();
      for (URL url : ((URLClassLoader) loader).getURLs()) {
        try {
          entries.add(Paths.get(url.toURI()).toString());
        } catch (java.net.URISyntaxException e) {
          throw new IllegalStateException("unexpected class path entry " + url, e);
        }
      }
      return String.join(File.pathSeparator, entries);
    }
    return System.getProperty("java.class.path");
  }
}
