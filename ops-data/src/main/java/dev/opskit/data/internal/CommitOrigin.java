package dev.opskit.data.internal;

import dev.opskit.spi.DataPlane;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who commits versions, and what their records keep of it: a step of a run, with its inputs and fingerprint, or the
 * host, with metadata of its own.
 *
 * @param run the run, or null for a commit of the host's
 * @param step the step, or null for a commit of the host's
 * @param inputs the versions the step read, by dataset
 * @param fingerprint the step's fingerprint, recorded so that a later run can reuse the outputs; or null
 * @param metadata free-form metadata the host gives the versions
 * @param once whether the step's outputs are committed at most once per run: a later commit of the same run and step
 *     records nothing and answers the first one's versions (for attempts run on other machines, whose answer may be lost)
 */
record CommitOrigin(@Nullable String run, @Nullable String step, Map<String, String> inputs,
    @Nullable String fingerprint, Map<String, String> metadata, boolean once) {
  CommitOrigin {
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(metadata, "metadata");
  }

  /** A commit of the host's, through the catalog: no run, no step, no inputs. */
  static CommitOrigin host(Map<String, String> metadata) {
    return new CommitOrigin(null, null, Map.of(), null, metadata, false);
  }

  /** The outputs of a step (or a run's inputs), through the data plane. */
  static CommitOrigin step(DataPlane.Commit commit) {
    return new CommitOrigin(commit.runId(), commit.step(), commit.inputs(), commit.fingerprint(), Map.of(), false);
  }

  /** The outputs of a step attempt run elsewhere: committed at most once per run and step, whichever attempt is first. */
  static CommitOrigin stepOnce(DataPlane.Commit commit) {
    return new CommitOrigin(commit.runId(), commit.step(), commit.inputs(), commit.fingerprint(), Map.of(), true);
  }

  /** The key of the record that marks a step of a run as committed, for {@link #once} commits. */
  String onceKey() {
    return run + "/" + step;
  }
}
