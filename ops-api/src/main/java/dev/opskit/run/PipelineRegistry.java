package dev.opskit.run;

import dev.opskit.OpsException;
import dev.opskit.pipeline.Pipeline;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * The pipelines a process knows by name. A worker that receives a {@link StepInvocation} looks its pipeline up here:
 * every node runs the same application code and registers the same pipelines, so steps travel by name and never as
 * closures. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class PipelineRegistry {
  private final Map<String, Pipeline> pipelines;

  private PipelineRegistry(Map<String, Pipeline> pipelines) {
    this.pipelines = Collections.unmodifiableMap(pipelines);
  }

  /**
   * Registers pipelines under their names.
   *
   * @param pipelines the pipelines
   * @return the registry
   * @throws IllegalArgumentException if two different pipelines share a name
   */
  public static PipelineRegistry of(Pipeline... pipelines) {
    Objects.requireNonNull(pipelines, "pipelines");
    Map<String, Pipeline> map = new LinkedHashMap<>();
    for (int i = 0; i < pipelines.length; i++) {
      Pipeline p = Objects.requireNonNull(pipelines[i], "pipelines[" + i + "]");
      Pipeline previous = map.putIfAbsent(p.name(), p);
      if (previous != null && previous != p) {
        throw new IllegalArgumentException("two different pipelines are named '" + p.name() + "'");
      }
    }
    return new PipelineRegistry(map);
  }

  /**
   * Finds a pipeline.
   *
   * @param name the pipeline name
   * @return the pipeline, or empty
   */
  public Optional<Pipeline> find(String name) {
    return Optional.ofNullable(pipelines.get(Objects.requireNonNull(name, "name")));
  }

  /**
   * Finds a pipeline or fails naming the ones that exist.
   *
   * @param name the pipeline name
   * @return the pipeline
   * @throws OpsException if there is no such pipeline
   */
  public Pipeline require(String name) {
    Pipeline p = pipelines.get(Objects.requireNonNull(name, "name"));
    if (p == null) {
      throw new OpsException("no pipeline '" + name + "' is registered in this process; registered: "
          + new TreeSet<>(pipelines.keySet()) + ". Every worker must register the same pipelines as the coordinator");
    }
    return p;
  }

  /**
   * Returns every registered pipeline.
   *
   * @return the pipelines
   */
  public Collection<Pipeline> pipelines() {
    return pipelines.values();
  }
}
