package dev.opskit.benchmarks.engine;

import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.PipelineBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The two DAG shapes every engine benchmark runs, so that opskit, the baseline and the peers do the same work.
 *
 * <ul>
 *   <li>{@code chain} of size n: n steps, step 0 writes 0 and each next step adds 1, so the result is n - 1.
 *   <li>{@code fanout} of width n: one source writing 0, n middle steps each reading it and writing its own value plus
 *       1, and one sink reading all n and writing their sum, so n + 2 steps and the result is n.
 * </ul>
 */
public final class Shapes {
  /** A linear chain. */
  public static final String CHAIN = "chain";
  /** A fan-out/fan-in. */
  public static final String FANOUT = "fanout";

  private Shapes() {}

  /**
   * An opskit pipeline of a shape, with the dataset holding its result.
   *
   * @param pipeline the pipeline
   * @param result the dataset the last step writes
   */
  public record Built(Pipeline pipeline, Dataset<Integer> result) {}

  /**
   * Declares, builds and validates a pipeline of a shape.
   *
   * @param shape {@link #CHAIN} or {@link #FANOUT}
   * @param size the chain length or fan-out width
   * @return the pipeline
   */
  public static Built opskit(String shape, int size) {
    return switch (shape) {
      case CHAIN -> chain(size);
      case FANOUT -> fanout(size);
      default -> throw new IllegalArgumentException("unknown shape '" + shape + "'; use chain or fanout");
    };
  }

  /**
   * Declares, builds and validates a chain of {@code n} steps.
   *
   * @param n the number of steps, at least 1
   * @return the pipeline
   */
  public static Built chain(int n) {
    PipelineBuilder b = Pipeline.builder("chain");
    Dataset<Integer> previous = Dataset.of("d0", Integer.class);
    Dataset<Integer> first = previous;
    b.step("s0", s -> s.writes(first).apply(() -> 0));
    for (int i = 1; i < n; i++) {
      Dataset<Integer> in = previous;
      Dataset<Integer> out = Dataset.of("d" + i, Integer.class);
      b.step("s" + i, s -> s.reads(in).writes(out).apply(x -> x + 1));
      previous = out;
    }
    return new Built(b.build(), previous);
  }

  /**
   * Declares, builds and validates a fan-out/fan-in of width {@code width}.
   *
   * @param width the number of middle steps, at least 1
   * @return the pipeline
   */
  public static Built fanout(int width) {
    PipelineBuilder b = Pipeline.builder("fanout");
    Dataset<Integer> source = Dataset.of("source", Integer.class);
    Dataset<Integer> sum = Dataset.of("sum", Integer.class);
    b.step("source", s -> s.writes(source).apply(() -> 0));
    List<Dataset<Integer>> middles = new ArrayList<>(width);
    for (int i = 0; i < width; i++) {
      Dataset<Integer> out = Dataset.of("m" + i, Integer.class);
      middles.add(out);
      b.step("m" + i, s -> s.reads(source).writes(out).apply(x -> x + 1));
    }
    b.step("sink", s -> s.inputs(middles.toArray(new Dataset<?>[0])).outputs(sum).run(ctx -> {
      int total = 0;
      for (Dataset<Integer> m : middles) {
        total += ctx.input(m);
      }
      ctx.output(sum, total);
    }));
    return new Built(b.build(), sum);
  }

  /**
   * Returns the number of steps of a shape.
   *
   * @param shape the shape
   * @param size its size
   * @return n for a chain, n + 2 for a fan-out
   */
  public static int steps(String shape, int size) {
    return shape.equals(FANOUT) ? size + 2 : size;
  }

  /**
   * Returns the result a correct run of a shape computes.
   *
   * @param shape the shape
   * @param size its size
   * @return n - 1 for a chain, n for a fan-out
   */
  public static int expected(String shape, int size) {
    return shape.equals(FANOUT) ? size : size - 1;
  }
}
