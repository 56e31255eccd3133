package dev.opskit.examples;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.data.GcReport;
import dev.opskit.data.RetentionPolicy;
import dev.opskit.data.Rows;
import dev.opskit.examples.Churn.Customer;
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
import dev.opskit.pipeline.Dataset;
import dev.opskit.s3.S3BlobStore;
import dev.opskit.store.BlobInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two processes share one workspace: metadata in PostgreSQL, blobs (dataset versions and model artifacts) in an S3
 * bucket. This process commits datasets and registers and promotes models; a second JVM, which it starts, serves the
 * production model through a {@link LiveModel}, follows the promotion, collects garbage, and checks that every blob
 * the workspace still names reads back intact.
 *
 * <p>The workspace opens in one statement:
 *
 * <pre>{@code
 * try (Workspace ws = Workspace.postgres(dataSource(jdbcUrl), S3BlobStore.at("s3://team-ml/opskit?region=eu-west-1"))) {
 * }</pre>
 *
 * <p>Against a real bucket, with credentials from the SDK's default chain (environment, profile or role):
 *
 * <pre>
 * export AWS_REGION=eu-west-1 AWS_PROFILE=ml-team
 * ./mvnw -q -pl ops-examples -am package -DskipTests -Dexample=SharedWorkspaceOnPostgresAndS3 \
 *     -Dexec.args="jdbc:postgresql://db.internal:5432/opskit?user=opskit s3://team-ml/opskit-example"
 * </pre>
 *
 * <p>Against MinIO or another S3-compatible service, name its endpoint in the URI:
 * {@code s3://bucket/prefix?endpoint=http%3A%2F%2F127.0.0.1%3A9000&pathStyle=true&region=us-east-1}.
 */
public final class SharedWorkspaceOnPostgresAndS3 {
  static final String MODEL = "s3-churn";
  static final ModelCodec<Model> CODEC = ModelCodecs.json(Model.class);
  static final Dataset<Rows<Customer>> CUSTOMERS = Datasets.jsonLines("shared/customers", Customer.class);

  private SharedWorkspaceOnPostgresAndS3() {}

  /**
   * Runs the trainer, which starts the server; with {@code serve} as the first argument, runs the server.
   *
   * @param args {@code jdbc-url s3-uri} for the trainer, {@code serve jdbc-url s3-uri} for the server
   * @throws Exception if the server process cannot be started or fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("serve")) {
      serve(args[1], args[2]);
      return;
    }
    if (args.length != 2) {
      System.err.println("usage: SharedWorkspaceOnPostgresAndS3 <jdbc:postgresql://...> <s3://bucket/prefix?...>");
      System.exit(2);
    }
    train(args[0], args[1], System.out);
  }

  /**
   * Commits three versions of a dataset, registers and promotes a model, starts the server process, promotes a
   * better model, and waits for the server to follow, collect garbage and check the blobs.
   *
   * @param jdbcUrl the JDBC URL of the shared PostgreSQL database
   * @param s3Uri the shared bucket and prefix
   * @param out where to print
   */
  static void train(String jdbcUrl, String s3Uri, PrintStream out) throws IOException, InterruptedException {
    Actor trainer = Actor.of("trainer");
    S3BlobStore blobs = S3BlobStore.at(s3Uri); // the workspace takes it over and closes it
    try (Workspace ws = Workspace.postgres(dataSource(jdbcUrl), blobs);
         ModelRegistry registry = ModelRegistry.in(ws)) {
      Catalog catalog = Catalog.in(ws);
      Rows<Customer> customers = null;
      for (int day = 1; day <= 3; day++) {
        customers = Churn.generate(1000 * day, day);
        DatasetVersion v = catalog.commit(CUSTOMERS, customers);
        out.printf(Locale.ROOT, "[trainer] committed %s@%s: %d rows, %d bytes, blob %s%n", CUSTOMERS.name(),
            v.id().substring(0, 12), v.rows(), v.size(), blobs.keyOf(v.id()));
      }
      Rows<Features> features = Churn.features(Churn.clean(customers));

      ModelVersion first = register(registry, Churn.train(features, 5, 0.5), features, trainer, out);
      promote(registry, first, trainer, out);

      Process server = startServer(jdbcUrl, s3Uri);
      BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(),
          StandardCharsets.UTF_8));
      relay(serverOut, "serving v" + first.number(), out);

      ModelVersion better = register(registry, Churn.train(features, 300, 0.5), features, trainer, out);
      promote(registry, better, trainer, out);
      String line;
      while ((line = serverOut.readLine()) != null) {
        out.println("  [server] " + line);
      }
      if (!server.waitFor(60, TimeUnit.SECONDS)) {
        server.destroyForcibly();
        throw new IllegalStateException("the server process did not exit; its output is above");
      }
      if (server.exitValue() != 0) {
        throw new IllegalStateException("the server process failed with exit code " + server.exitValue()
            + "; its output is above");
      }
      Rows<Customer> latest = catalog.read(CUSTOMERS, catalog.latest(CUSTOMERS.name()).orElseThrow().id());
      out.printf(Locale.ROOT, "[trainer] after the server's collection: latest %s has %d rows; v%d still loads%n",
          CUSTOMERS.name(), latest.count(), better.number());
      registry.load("models:/" + MODEL + "/" + better.number(), CODEC);
    }
  }

  static ModelVersion register(ModelRegistry registry, Model model, Rows<Features> features, Actor actor,
      PrintStream out) {
    double auc = Churn.auc(model, features);
    ModelVersion v = registry.registration(MODEL, model, CODEC)
        .provenance(Provenance.builder().metric("auc", auc).build()).by(actor).register();
    out.printf(Locale.ROOT, "[trainer] registered %s v%d, auc %.4f, artifact in S3%n", MODEL, v.number(), auc);
    return v;
  }

  static void promote(ModelRegistry registry, ModelVersion v, Actor actor, PrintStream out) {
    registry.promote(MODEL, v.number()).to(Stage.PRODUCTION).as(actor).reason("shared workspace on S3 example")
        .gates(Gates.metricAtLeast("auc", 0.7)).execute();
    out.printf(Locale.ROOT, "[trainer] promoted %s v%d to PRODUCTION%n", MODEL, v.number());
  }

  /**
   * The second process: serves the production model, follows the promotion, then collects garbage (keeping the
   * latest dataset version) and reads back every blob the workspace still has, each checked against its id.
   */
  static void serve(String jdbcUrl, String s3Uri) throws InterruptedException, IOException {
    Features customer = new Features("c90002", -0.6, 0.4, 0.6, false, true);
    S3BlobStore blobs = S3BlobStore.at(s3Uri); // the workspace takes it over and closes it
    try (Workspace ws = Workspace.postgres(dataSource(jdbcUrl), blobs);
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

      GcReport gc = Catalog.in(ws).gc(RetentionPolicy.keepLast(1).withGracePeriod(Duration.ZERO)).run();
      System.out.printf(Locale.ROOT, "collected %d dataset versions and %d blobs (%d bytes)%n",
          gc.versions().size(), gc.blobs().size(), gc.bytes());
      List<BlobInfo> left = new ArrayList<>();
      blobs.forEach(left::add);
      long bytes = 0;
      for (BlobInfo info : left) {
        try (InputStream in = blobs.open(info.id())) {
          bytes += in.transferTo(java.io.OutputStream.nullOutputStream());
        }
      }
      System.out.printf(Locale.ROOT, "checked %d blobs left in the bucket (%d bytes): all match their ids%n",
          left.size(), bytes);
    }
  }

  /** The data source a host would take from its pool; here the driver's own, from the URL. */
  static DataSource dataSource(String jdbcUrl) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(jdbcUrl);
    return ds;
  }

  private static Process startServer(String jdbcUrl, String s3Uri) throws IOException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java));
    for (String property : List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.region")) {
      String value = System.getProperty(property);
      if (value != null) {
        command.add("-D" + property + "=" + value); // so that the server sees the credentials this JVM was given
      }
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        SharedWorkspaceOnPostgresAndS3.class.getName(), "serve", jdbcUrl, s3Uri));
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
}
