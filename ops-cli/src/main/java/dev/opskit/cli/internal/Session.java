package dev.opskit.cli.internal;

import dev.opskit.Workspace;
import dev.opskit.cli.CliExtension;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;

/**
 * One invocation's state: where it prints, the options every command shares, the extensions found on the class path,
 * and the workspace and registry, opened on first use and closed at the end. Not thread-safe; one per invocation.
 */
final class Session implements AutoCloseable {
  private final PrintWriter out;
  private final PrintWriter err;
  private final RootCommand options;
  private @Nullable List<CliExtension> extensions;
  private @Nullable Workspace workspace;
  private @Nullable ModelRegistry registry;

  Session(PrintWriter out, PrintWriter err, RootCommand options) {
    this.out = out;
    this.err = err;
    this.options = options;
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  Output output() {
    return new Output(out, options.json);
  }

  boolean verbose() {
    return options.verbose;
  }

  List<CliExtension> extensions() {
    if (extensions == null) {
      List<CliExtension> found = new ArrayList<>();
      ServiceLoader.load(CliExtension.class, Thread.currentThread().getContextClassLoader()).forEach(found::add);
      extensions = List.copyOf(found);
    }
    return extensions;
  }

  /** The pipelines the extensions define, by name. */
  Map<String, Pipeline> pipelines() {
    Map<String, Pipeline> all = new LinkedHashMap<>();
    for (CliExtension e : extensions()) {
      for (Pipeline p : e.pipelines()) {
        Pipeline old = all.putIfAbsent(p.name(), p);
        if (old != null && old != p) {
          throw new CliException("two extensions define a pipeline named '" + p.name() + "'; keep one of them on "
              + "OPSKIT_CLASSPATH");
        }
      }
    }
    return all;
  }

  /** The dataset of that name in the extensions' pipelines, with its codec. */
  Optional<Dataset<?>> dataset(String name) {
    for (Pipeline p : pipelines().values()) {
      Dataset<?> d = p.datasets().get(name);
      if (d != null) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  Workspace workspace() {
    if (workspace == null) {
      workspace = WorkspaceOpener.open(options.workspace, options.blobs, extensions());
    }
    return workspace;
  }

  ModelRegistry registry() {
    if (registry == null) {
      registry = ModelRegistry.in(workspace());
    }
    return registry;
  }

  /** Closes the registry and the workspace if they were opened. Idempotent; the console's stop hook calls it too. */
  @Override
  public synchronized void close() {
    ModelRegistry r = registry;
    Workspace w = workspace;
    registry = null;
    workspace = null;
    try {
      if (r != null) {
        r.close();
      }
    } finally {
      if (w != null) {
        w.close();
      }
    }
  }
}
