package dev.opskit.benchmarks.soak;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import dev.opskit.ml.promotion.PromotionReport;
import dev.opskit.ml.serving.LiveModel;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import dev.opskit.store.StoreConflictException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The soak's mixed workload on one workspace, as a team would run it: registering and promoting models and moving
 * aliases; committing and reading small dataset versions; searching and resolving {@code models:/} URIs; running a
 * 5-step pipeline of which 2 steps are cached; and reading a {@code LiveModel} in a loop.
 *
 * <p>Each thread runs {@link #SEQUENCE} in a loop; a pass through it works on one model (the threads start on
 * different models and alternate), registering one version, promoting it once and pointing the alias at it; datasets are
 * taken in turn. A {@code StoreConflictException} (a {@code PromotionConflictException} among them) is retried up to
 * {@value #ATTEMPTS} times in all; one still raised then is a documented conflict, counted apart from errors (a
 * promotion that then has no version of its pass to promote is skipped and counted with them). Every
 * acknowledged write is printed as an {@code ACK} line, so that the coordinator can check it is there at the end:
 * {@code ACK kind=register model=<m> number=<n>}, {@code ACK kind=commit dataset=<d> id=<id>}, {@code ACK kind=promote
 * model=<m> number=<n> stage=<stage>}.
 */
final class Workload {
  /** The models every thread registers, promotes and resolves. */
  static final List<String> MODELS = List.of("soak-a", "soak-b");

  /** The datasets every thread commits and reads. */
  static final List<Dataset<Sample>> DATASETS = List.of(Datasets.json("soak/d0", Sample.class),
      Datasets.json("soak/d1", Sample.class), Datasets.json("soak/d2", Sample.class));

  /** The order in which a thread runs the kinds; reads outnumber writes, as in a serving team's day. */
  static final List<Kind> SEQUENCE = List.of(Kind.REGISTER, Kind.LATEST, Kind.COMMIT, Kind.READ, Kind.SEARCH,
      Kind.RESOLVE, Kind.LIVE, Kind.PROMOTE, Kind.VERSIONS, Kind.LATEST, Kind.ALIAS, Kind.READ, Kind.PIPELINE,
      Kind.RESOLVE, Kind.LIVE);

  static final int ATTEMPTS = 3;
  static final Actor ACTOR = Actor.of("soak");
  static final ModelCodec<Weights> CODEC = ModelCodecs.json(Weights.class);
  static final String ALIAS = "champion";

  /** A small model artifact. */
  record Weights(String name, double[] w, double bias) {}

  /** A small dataset value. */
  record Sample(String writer, long seq, double value, List<Integer> bins) {}

  static final Dataset<String> TICK = Datasets.json("soak/pipe/tick", String.class);
  static final Dataset<List<Integer>> BASE = Datasets.json("soak/pipe/base",
      new dev.opskit.pipeline.TypeRef<List<Integer>>() {});
  static final Dataset<Integer> FEATURES = Datasets.json("soak/pipe/features", Integer.class);
  static final Dataset<String> FRESH = Datasets.json("soak/pipe/fresh", String.class);
  static final Dataset<String> SCORE = Datasets.json("soak/pipe/score", String.class);
  static final Dataset<Integer> REPORT = Datasets.json("soak/pipe/report", Integer.class);

  /**
   * The pipeline: {@code base -> features} depends on nothing that changes, so both are cached after the first run;
   * {@code fresh -> score -> report} reads the run's tick, a new value each run, so those three run every time.
   */
  static final Pipeline PIPELINE = Pipeline.builder("soak-pipeline").external(TICK)
      .step("base", s -> s.writes(BASE).apply(Workload::base))
      .step("features", s -> s.reads(BASE).writes(FEATURES).apply(b -> b.stream().mapToInt(Integer::intValue).sum()))
      .step("fresh", s -> s.reads(TICK).writes(FRESH).apply(t -> t + "/fresh"))
      .step("score", s -> s.reads(FEATURES, FRESH).writes(SCORE).apply((f, x) -> x + "/" + f))
      .step("report", s -> s.reads(SCORE).writes(REPORT).apply(String::length))
      .build();

  private static List<Integer> base() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      out.add(i * i % 97);
    }
    return out;
  }

  private final Workspace workspace;
  private final ModelRegistry registry;
  private final Catalog catalog;
  private final Recorder recorder;
  private final PrintStream acks;
  private final String writer;
  private final Map<String, LiveModel<Weights>> live = new ConcurrentHashMap<>();

  /**
   * Creates the workload of one worker JVM.
   *
   * @param workspace the workspace
   * @param registry its registry
   * @param recorder where measurements go
   * @param acks where acknowledged writes and first errors are printed
   * @param writer names this worker in written values, for example {@code w1}
   */
  Workload(Workspace workspace, ModelRegistry registry, Recorder recorder, PrintStream acks, String writer) {
    this.workspace = workspace;
    this.registry = registry;
    this.catalog = Catalog.in(workspace);
    this.recorder = recorder;
    this.acks = acks;
    this.writer = writer;
    for (String m : MODELS) {
      live.put(m, registry.live(m, Stage.PRODUCTION, CODEC));
    }
  }

  /**
   * Prepares a fresh workspace: each model gets version 1, in production and under the alias; each dataset a first
   * version; and the pipeline runs once, so that its first two steps are cached from then on.
   *
   * @param registry the registry
   * @param catalog the catalog
   * @param workspace the workspace
   * @param acks where the acknowledged writes are printed
   */
  static void prepare(ModelRegistry registry, Catalog catalog, Workspace workspace, PrintStream acks) {
    for (String m : MODELS) {
      ModelVersion v = register(registry, m, 0);
      ack(acks, "ACK kind=register model=" + m + " number=" + v.number());
      PromotionReport r = registry.promote(m, v.number()).to(Stage.PRODUCTION).as(ACTOR).execute();
      ack(acks, "ACK kind=promote model=" + m + " number=" + r.version() + " stage=" + r.to());
      registry.setAlias(m, ALIAS, v.number(), ACTOR);
    }
    for (Dataset<Sample> d : DATASETS) {
      DatasetVersion v = catalog.commit(d, new Sample("prepare", 0, 0, List.of(1, 2, 3)));
      ack(acks, "ACK kind=commit dataset=" + d.name() + " id=" + v.id());
    }
    Run run = workspace.runner().plan(PIPELINE).input(TICK, "prepare").run();
    if (!run.succeeded()) {
      throw new IllegalStateException("the soak pipeline failed while preparing the workspace: " + run.summary());
    }
  }

  private static ModelVersion register(ModelRegistry registry, String model, long n) {
    double f = n * 0.6180339887498949;
    double auc = 0.5 + (f - Math.floor(f)) / 2;
    double[] w = new double[16];
    for (int i = 0; i < w.length; i++) {
      w[i] = (i + 1) / 17.0 + auc;
    }
    return registry.registration(model, new Weights(model, w, auc), CODEC)
        .provenance(Provenance.builder().metric("auc", auc).param("n", n).build()).by(ACTOR).register();
  }

  private static void ack(PrintStream out, String line) {
    synchronized (out) {
      out.println(line);
    }
  }

  /** A promotion skipped because the pass's registration ended in a documented conflict. */
  private static final class NothingToPromote extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NothingToPromote(String message) {
      super(message, null, false, false);
    }
  }

  /** What one thread remembers between operations. */
  private final class Thread {
    final int id;
    final Map<String, Integer> newest = new java.util.HashMap<>();
    final java.util.Set<String> promoted = new java.util.HashSet<>();
    /** The pass whose registration ended in a documented conflict, so that it has no version of its own to promote. */
    long registrationLost = -1;
    long seq;
    long pass;
    int position;

    Thread(int id) {
      this.id = id;
    }

    /** The model of this pass through the sequence: each pass registers, promotes and aliases one version. */
    String model() {
      return MODELS.get((int) ((pass + id) % MODELS.size()));
    }

    int newest(String model) {
      return newest.getOrDefault(model, 1);
    }
  }

  /**
   * Runs one thread's loop until told to stop.
   *
   * @param thread the thread's number in this worker
   * @param running whether to go on; checked between operations
   * @return how many operations ended (successful or not)
   */
  long loop(int thread, BooleanSupplier running) {
    return loop(thread, running, 0);
  }

  /**
   * Runs one thread's loop until told to stop, starting an operation every {@code intervalNanos} at most (0: each as
   * soon as the last ended). A paced operation's time counts from when it was due, so that a store that falls behind
   * shows in the latencies rather than only in fewer operations; a thread more than ten intervals behind starts
   * counting again from now, so one long stall is not followed by a burst.
   *
   * @param thread the thread's number in this worker
   * @param running whether to go on; checked between operations
   * @param intervalNanos the time between the starts of two operations of this thread, or 0 for no pacing
   * @return how many operations ended (successful or not)
   */
  long loop(int thread, BooleanSupplier running, long intervalNanos) {
    Thread t = new Thread(thread);
    long done = 0;
    long due = System.nanoTime();
    while (running.getAsBoolean()) {
      Kind kind = SEQUENCE.get(t.position);
      t.position = (t.position + 1) % SEQUENCE.size();
      t.seq++;
      if (t.position == 0) {
        t.pass++;
      }
      long start = System.nanoTime();
      if (intervalNanos > 0) {
        due += intervalNanos;
        if (due > start) {
          LockSupport.parkNanos(due - start);
          while (System.nanoTime() < due) {
            LockSupport.parkNanos(due - System.nanoTime());
          }
        } else if (start - due > 10 * intervalNanos) {
          due = start;
        }
        start = due;
      }
      for (int attempt = 1; ; attempt++) {
        try {
          once(kind, t);
          recorder.ok(kind, System.nanoTime() - start);
          break;
        } catch (StoreConflictException e) {
          if (attempt < ATTEMPTS) {
            continue;
          }
          recorder.fault(kind, true, e);
          if (kind == Kind.REGISTER) {
            t.registrationLost = t.pass;
          }
          break;
        } catch (NothingToPromote e) {
          // the consequence of this pass's documented registration conflict, counted with the conflicts
          recorder.fault(kind, true, e);
          break;
        } catch (RuntimeException e) {
          recorder.fault(kind, false, e);
          firstError(kind, e);
          break;
        }
      }
      done++;
    }
    return done;
  }

  private final Map<String, Boolean> reported = new ConcurrentHashMap<>();

  private void firstError(Kind kind, Throwable e) {
    if (reported.putIfAbsent(kind + e.getClass().getName(), true) == null) {
      synchronized (acks) {
        acks.println("ERRORTEXT kind=" + kind.label() + " class=" + e.getClass().getSimpleName());
        e.printStackTrace(acks);
      }
    }
  }

  private void once(Kind kind, Thread t) {
    String m = t.model();
    switch (kind) {
      case REGISTER -> {
        ModelVersion v = register(registry, m, t.seq * 31 + t.id);
        t.newest.put(m, v.number());
        ack(acks, "ACK kind=register model=" + m + " number=" + v.number());
      }
      case PROMOTE -> {
        // The version this pass registered, promoted once: to STAGING every third pass, else to PRODUCTION (which
        // archives the incumbent in the same transaction, so the model always has one).
        int n = t.newest(m);
        if (t.registrationLost == t.pass) {
          throw new NothingToPromote("thread " + t.id + " registered no version of " + m + " in this pass: its "
              + "registration ended in a documented conflict");
        }
        if (t.promoted.contains(m + "/" + n)) {
          throw new IllegalStateException("thread " + t.id + " would promote " + m + " v" + n + " twice: its "
              + "registration in this pass failed");
        }
        Stage stage = t.pass % 3 == 2 ? Stage.STAGING : Stage.PRODUCTION;
        PromotionReport r = registry.promote(m, n).to(stage).as(ACTOR).execute();
        t.promoted.add(m + "/" + n);
        ack(acks, "ACK kind=promote model=" + m + " number=" + r.version() + " stage=" + r.to());
      }
      case ALIAS -> registry.setAlias(m, ALIAS, t.newest(m), ACTOR);
      case COMMIT -> {
        Dataset<Sample> d = DATASETS.get((int) (t.seq % DATASETS.size()));
        DatasetVersion v = catalog.commit(d, new Sample(writer + "-t" + t.id, t.seq, t.seq * 0.5,
            List.of((int) t.seq % 7, t.id, 3)));
        ack(acks, "ACK kind=commit dataset=" + d.name() + " id=" + v.id());
      }
      case READ -> {
        Dataset<Sample> d = DATASETS.get((int) (t.seq % DATASETS.size()));
        DatasetVersion v = catalog.latest(d.name()).orElseThrow(() -> new IllegalStateException(
            "dataset " + d.name() + " has no latest version, though the set-up committed one"));
        catalog.read(d, v.id());
      }
      case SEARCH -> registry.search().model(m).filter("metrics.auc > 0.8").orderByMetric("auc", false).limit(20)
          .list();
      case LATEST -> registry.resolve("models:/" + m + "/latest");
      case RESOLVE -> {
        String uri = switch ((int) (t.seq % 3)) {
          case 0 -> "models:/" + m + "/production";
          case 1 -> "models:/" + m + "@" + ALIAS;
          default -> "models:/" + m + "/" + t.newest(m);
        };
        registry.resolve(uri);
      }
      case VERSIONS -> registry.versions(m, 50, 0);
      case PIPELINE -> {
        Run run = workspace.runner().plan(PIPELINE).input(TICK, writer + "-t" + t.id + "-" + t.seq).run();
        if (!run.succeeded()) {
          throw new IllegalStateException("the soak pipeline's run " + run.id() + " did not succeed: "
              + run.summary());
        }
      }
      case LIVE -> {
        LiveModel<Weights> l = live.get(m);
        double sum = 0;
        for (int i = 0; i < 1_000; i++) {
          sum += l.get().bias();
        }
        if (l.version() < 1 || sum <= 0) {
          throw new IllegalStateException("live model " + m + " serves nothing: version " + l.version());
        }
      }
    }
  }

  /** Closes the live models. */
  void close() {
    live.values().forEach(LiveModel::close);
  }
}
