package dev.opskit.core.internal;

import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Freshness;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.Step;
import dev.opskit.run.StepReason;
import dev.opskit.run.StepReason.Kind;
import org.jspecify.annotations.Nullable;

/**
 * What the planner knows of each step of a pipeline before any run, assuming a catalog: whether it can be cached,
 * and if not, why. Worked out once per pipeline; the arrays are never written.
 */
final class StepModes {
  static final byte NORMAL = 0;
  static final byte FIXED = 1;
  static final byte PROBE = 2;
  static final byte FROZEN = 3;
  private static final PerPipeline<StepModes> CACHE = new PerPipeline<>(StepModes::new);

  final byte[] mode;
  final boolean[] cacheable;
  /** The reason of a step that is not cacheable; for the others, a provisional one until its decision. */
  final StepReason[] reason;
  final boolean probes;
  /** Whether any step can be cached at all; if none, a run has nothing to remember. */
  final boolean anyCacheable;

  private StepModes(Pipeline pipeline) {
    int n = pipeline.size();
    mode = new byte[n];
    cacheable = new boolean[n];
    reason = new StepReason[n];
    boolean anyProbe = false;
    boolean any = false;
    StepReason provisional = StepReason.of(Kind.NEVER_RAN);
    for (int p = 0; p < n; p++) {
      Step step = pipeline.steps().get(p);
      Freshness.Kind rule = step.freshness().map(Freshness::kind).orElse(null);
      String uncodec = withoutCodec(pipeline, step);
      StepReason fixed = null;
      if (step.outputs().isEmpty()) {
        fixed = StepReason.of(Kind.NO_OUTPUTS);
      } else if (rule == Freshness.Kind.ALWAYS) {
        fixed = StepReason.of(Kind.ALWAYS);
      } else if (uncodec != null) {
        fixed = StepReason.of(Kind.NOT_CACHEABLE, uncodec);
      } else if (rule == null && step.isSource()) {
        fixed = StepReason.of(Kind.SOURCE);
      }
      if (fixed != null) {
        mode[p] = FIXED;
        reason[p] = fixed;
      } else {
        cacheable[p] = true;
        any = true;
        reason[p] = provisional;
        mode[p] = rule == Freshness.Kind.PROBE ? PROBE : rule == Freshness.Kind.FROZEN ? FROZEN : NORMAL;
        anyProbe |= rule == Freshness.Kind.PROBE;
      }
    }
    probes = anyProbe;
    anyCacheable = any;
  }

  static StepModes of(Pipeline pipeline) {
    return CACHE.of(pipeline);
  }

  private static @Nullable String withoutCodec(Pipeline pipeline, Step step) {
    for (Dataset<?> d : step.inputs()) {
      if (!hasCodec(pipeline, d.name())) {
        return d.name();
      }
    }
    for (Dataset<?> d : step.outputs()) {
      if (!hasCodec(pipeline, d.name())) {
        return d.name();
      }
    }
    return null;
  }

  private static boolean hasCodec(Pipeline pipeline, String dataset) {
    Dataset<?> d = pipeline.datasets().get(dataset);
    return d != null && d.codec().isPresent();
  }
}
