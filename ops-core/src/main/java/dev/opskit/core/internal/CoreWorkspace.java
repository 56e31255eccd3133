package dev.opskit.core.internal;

import dev.opskit.OpsException;
import dev.opskit.Workspace;
import dev.opskit.WorkspaceKey;
import dev.opskit.run.Executor;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.Run;
import dev.opskit.run.RunListener;
import dev.opskit.run.RunQuery;
import dev.opskit.run.Runner;
import dev.opskit.run.StepWorker;
import dev.opskit.spi.DataPlane;
import dev.opskit.spi.DataPlaneProvider;
import dev.opskit.spi.WorkspaceConfig;
import dev.opskit.store.BlobStore;
import dev.opskit.store.MetadataStore;
import dev.opskit.time.Scheduler;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** The workspace: shared configuration plus the runs in progress. Thread-safe. */
final class CoreWorkspace implements Workspace {
  private final WorkspaceConfig config;
  private final RunEnvironment env;
  private final Executor defaultExecutor;
  private final @Nullable SystemScheduler ownScheduler;
  private final Supplier<String> ids;
  private final Map<String, RunExecution> active = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Map<WorkspaceKey<?>, Object> shared = new ConcurrentHashMap<>();
  private final Runner runner;

  private final MetadataStore metadata;
  private final BlobStore blobs;
  private final @Nullable DataPlane dataPlane;

  CoreWorkspace(WorkspaceConfig config, MetadataStore metadata, BlobStore blobs) {
    this.config = config;
    this.metadata = metadata;
    this.blobs = blobs;
    RunStore store = new RunStore(metadata, config.storage() instanceof WorkspaceConfig.InMemory);
    Scheduler scheduler = config.scheduler();
    if (scheduler == null) {
      ownScheduler = new SystemScheduler();
      scheduler = ownScheduler;
    } else {
      ownScheduler = null;
    }
    this.env = new RunEnvironment(config.clock(), scheduler, config.random(), store);
    Executor executor = config.executor();
    this.defaultExecutor = executor == null ? Executor.direct() : executor;
    Supplier<String> idSource = config.ids();
    this.ids = idSource == null ? new Ulid(config.clock(), config.random()) : idSource;
    this.runner = new DefaultRunner(this);
    DataPlane plane = null;
    for (DataPlaneProvider provider : ServiceLoader.load(DataPlaneProvider.class, CoreWorkspace.class.getClassLoader())) {
      plane = provider.open(this);
      break;
    }
    this.dataPlane = plane;
    if (plane != null) {
      store.attach(plane);
    }
  }

  /** The catalog that versions datasets with codecs, when {@code ops-data} is on the class path. */
  @Nullable DataPlane dataPlane() {
    return dataPlane;
  }

  @Override
  public Runner runner() {
    checkOpen();
    return runner;
  }

  @Override
  public RunQuery runs() {
    checkOpen();
    return env.store().query();
  }

  @Override
  public Optional<Run> run(String runId) {
    checkOpen();
    return env.store().find(runId).map(r -> (Run) r);
  }

  @Override
  public MetadataStore metadata() {
    return metadata;
  }

  @Override
  public BlobStore blobs() {
    return blobs;
  }

  @Override
  public StepWorker worker(PipelineRegistry pipelines) {
    checkOpen();
    return new LocalStepWorker(this, pipelines);
  }

  @Override
  public Clock clock() {
    return config.clock();
  }

  @Override
  public <T> Optional<T> attribute(WorkspaceKey<T> key) {
    return config.attribute(key);
  }

  @Override
  public <T> T shared(WorkspaceKey<T> key, Supplier<? extends T> create) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(create, "create");
    return key.type().cast(shared.computeIfAbsent(key, k -> Objects.requireNonNull(create.get(),
        () -> "the object created for workspace key '" + k.name() + "' is null")));
  }

  RunEnvironment env() {
    return env;
  }

  Executor defaultExecutor() {
    return defaultExecutor;
  }

  List<RunListener> listeners() {
    return config.listeners();
  }

  String newRunId() {
    return ids.get();
  }

  void started(RunExecution run) {
    active.put(run.runId(), run);
  }

  void ended(RunExecution run) {
    active.remove(run.runId());
  }

  Optional<RunExecution> activeRun(String runId) {
    return Optional.ofNullable(active.get(runId));
  }

  void checkOpen() {
    if (closed.get()) {
      throw new OpsException("the workspace is closed; open a new one");
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (RunExecution run : active.values()) {
      run.stop(true, "the workspace was closed");
    }
    if (config.ownsExecutor()) {
      defaultExecutor.close();
    }
    if (ownScheduler != null) {
      ownScheduler.close();
    }
    if (config.storage() instanceof WorkspaceConfig.Given) {
      return; // the caller made the stores and closes them
    }
    try {
      metadata.close();
    } finally {
      blobs.close();
    }
  }

  @Override
  public String toString() {
    return "Workspace[" + metadata.describe() + ", " + blobs.describe() + "]";
  }
}
