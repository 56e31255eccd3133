package dev.opskit.test.contract;

import static dev.opskit.test.contract.HostileInputContract.CI;
import static dev.opskit.test.contract.HostileInputContract.CODEC;
import static dev.opskit.test.contract.HostileInputContract.DATA;
import static dev.opskit.test.contract.HostileInputContract.OUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.data.DatasetVersion;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.tracking.Tracking;
import dev.opskit.ml.tracking.TrackingRun;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.test.contract.HostileInputContract.Weights;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The checks of hostile input to tracking that {@link HostileInputContract} runs: run ids (also where the workspace,
 * a provenance and a pipeline's resumption take one), experiments, metric and param keys, tags, artifact and input
 * names, blob ids, and the metrics and params of a provenance, each refused naming the field or read back exactly.
 */
final class HostileTrackingInputChecks extends HostileInputChecks {
  private final Workspace workspace;
  private final ModelRegistry registry;
  private final Tracking tracking;
  private final DatasetVersion data;

  HostileTrackingInputChecks(Workspace workspace, ModelRegistry registry, Tracking tracking,
      DatasetVersion data, HostileAttempts attempts) {
    super(attempts);
    this.workspace = workspace;
    this.registry = registry;
    this.tracking = tracking;
    this.data = data;
  }

  void runIdsExperimentsAndKeysAreRefusedNamingTheFieldOrRoundTrip() {
    TrackingRun run = tracking.start("hostile");
    for (String s : HostileInputs.strings()) {
      attempt("workspace.run", s, List.of("run"), () -> assertThat(workspace.run(s)).isEmpty());
      attempt("tracking.find", s, List.of("run"), () -> assertThat(tracking.find(s)).isEmpty());
      attempt("tracking.findByPipelineRun", s, List.of("run"),
          () -> assertThat(tracking.findByPipelineRun(s)).isEmpty());
      attempt("tracking.metricHistory", s, List.of("run"), () -> assertThat(tracking.metricHistory(s, "loss"))
          .isEmpty());
      attempt("tracking.start", s, List.of("experiment"), () -> {
        try (TrackingRun r = tracking.start(s)) {
          assertThat(tracking.find(r.id()).orElseThrow().experiment()).isEqualTo(s);
        }
      });
      attempt("tracking.runs", s, List.of("experiment"), () -> tracking.runs(s, 10, 0));
      attempt("logMetric", s, List.of("metric key"), () -> {
        run.logMetric(s, 1.5);
        assertThat(tracking.metricHistory(run.id(), s)).extracting(m -> m.value()).containsExactly(1.5);
      });
      attempt("logParam", s, List.of("param"), () -> {
        run.logParam(s, "v");
        assertThat(run.record().params()).containsEntry(s, "v");
      });
      attempt("setTag", s, List.of("tag"), () -> {
        run.setTag("t", s);
        assertThat(run.record().tags()).containsEntry("t", s);
      });
      attempt("Provenance.trackingRunId", s, List.of("run"), () -> {
        ModelVersion v = registry.registration("provenance", new Weights(1), CODEC)
            .provenance(Provenance.builder().trackingRunId(s).build()).by(CI).register();
        assertThat(registry.version("provenance", v.number()).provenance().trackingRun()).isEqualTo(s);
      });
      attempt("tracking.autolog", s, List.of("experiment"), () -> tracking.autolog(s));
      attempt("logArtifact", s, List.of("artifact"), () -> {
        String blob = run.logArtifact(s, s.getBytes(StandardCharsets.UTF_8));
        assertThat(run.record().artifacts()).containsEntry(s, blob);
      });
      attempt("logInput", s, List.of("dataset"), () -> {
        run.logInput(s, data.id(), "training");
        assertThat(run.record().inputs()).anyMatch(in -> in.dataset().equals(s));
      });
      attempt("runner.resume", s, List.of("run"), () -> workspace.runner().resume(Pipeline.builder("p")
          .external(DATA).step("only", st -> st.reads(DATA).writes(OUT).apply(rows -> rows)).build(), s));
      attempt("blobs.stat", s, List.of("blob id"), () -> workspace.blobs().stat(s));
      attempt("blobs.open", s, List.of("blob id"), () -> workspace.blobs().open(s).close());
      attempt("Provenance.metric", s, List.of("metric"), () -> {
        ModelVersion v = registry.registration("measured", new Weights(1), CODEC)
            .provenance(Provenance.builder().metric(s, 0.5).build()).by(CI).register();
        assertThat(registry.version("measured", v.number()).provenance().metric(s)).hasValue(0.5);
        assertThat(registry.search().model("measured").metric(s, ">", 0.4).list().items())
            .extracting(ModelVersion::number).contains(v.number());
      });
      attempt("Provenance.param", s, List.of("param"), () -> {
        ModelVersion v = registry.registration("parameterized", new Weights(1), CODEC)
            .provenance(Provenance.builder().param(s, s).build()).by(CI).register();
        assertThat(registry.version("parameterized", v.number()).provenance().params()).containsEntry(s, s);
      });
    }
    run.close();
  }
}
