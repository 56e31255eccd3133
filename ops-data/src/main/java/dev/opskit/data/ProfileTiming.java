package dev.opskit.data;

import org.apiguardian.api.API;

/**
 * When {@link Catalog#commitFile(dev.opskit.pipeline.Dataset, java.nio.file.Path, java.util.Map, ProfileTiming)} profiles the
 * file's columns.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public enum ProfileTiming {
  /**
   * In the commit: every row is read, checked and profiled before the version is recorded, and the version returned
   * carries its profile. The default.
   */
  WITH_COMMIT,

  /**
   * After the commit, for a dataset without checks: the commit stores and hashes the file, counts its rows and checks
   * that each line is one object, reads its first 1,000 rows as the row type, and records the version; the profile is
   * computed afterwards on a background thread, from the stored version, and recorded with it. {@link
   * Catalog#profile(String, String)} returns it, computing it at once if it is not recorded yet. This is how a large
   * file commits at the speed of hashing and copying it, as {@code dvc add} does. A dataset with checks is read in the
   * commit whatever the timing, since its checks decide whether the version may be used; so is a file whose lines do
   * not each hold one object, or whose first 1,000 rows take more than 16 MiB. Past the first 1,000 rows, a line that is
   * not valid JSON, or that holds two objects side by side, does not fail the commit: it fails the profile, naming
   * the line or the count, as it fails reading the version.
   */
  AFTER_COMMIT
}
