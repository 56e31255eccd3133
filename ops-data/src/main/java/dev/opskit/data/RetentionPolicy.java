package dev.opskit.data;

import java.time.Duration;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Which versions garbage collection keeps. A version is kept if any rule keeps it, and every version committed within
 * the grace period is kept; blobs that no kept version, and no pin of another module, references are deleted, unless
 * they were stored within the grace period. To try a policy on versions just committed (in a test, say), give a grace
 * period of zero: {@code withGracePeriod(Duration.ZERO)}.
 *
 * <pre>{@code
 * RetentionPolicy policy = RetentionPolicy.keepLast(5).keepTagged().keepReferencedByRuns();
 * }</pre>
 *
 * @param keepLast the newest versions of each dataset to keep, by last commit
 * @param keepsTagged whether tagged versions are kept
 * @param keepsRunReferenced whether versions that a recorded run produced or read are kept
 * @param keepsPinned whether versions pinned by other modules (such as model versions' training data) are kept
 * @param gracePeriod versions committed and blobs stored more recently than this are never deleted, so that commits
 *     in flight are safe
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record RetentionPolicy(int keepLast, boolean keepsTagged, boolean keepsRunReferenced, boolean keepsPinned,
    Duration gracePeriod) {
  /**
   * Checks the components.
   *
   * @param keepLast the newest versions to keep
   * @param keepsTagged whether tagged versions are kept
   * @param keepsRunReferenced whether run-referenced versions are kept
   * @param keepsPinned whether pinned versions are kept
   * @param gracePeriod the grace period
   */
  public RetentionPolicy {
    if (keepLast < 0) {
      throw new IllegalArgumentException("keepLast must not be negative, got " + keepLast);
    }
    Objects.requireNonNull(gracePeriod, "gracePeriod");
    if (gracePeriod.isNegative()) {
      throw new IllegalArgumentException("gracePeriod must not be negative, got " + gracePeriod);
    }
  }

  /**
   * Keeps the newest versions of each dataset, pinned versions, and a grace period of one hour.
   *
   * @param count how many versions per dataset
   * @return the policy
   */
  public static RetentionPolicy keepLast(int count) {
    return new RetentionPolicy(count, false, false, true, Duration.ofHours(1));
  }

  /**
   * Returns this policy also keeping tagged versions.
   *
   * @return the new policy
   */
  public RetentionPolicy keepTagged() {
    return new RetentionPolicy(keepLast, true, keepsRunReferenced, keepsPinned, gracePeriod);
  }

  /**
   * Returns this policy also keeping versions a recorded run produced or read.
   *
   * @return the new policy
   */
  public RetentionPolicy keepReferencedByRuns() {
    return new RetentionPolicy(keepLast, keepsTagged, true, keepsPinned, gracePeriod);
  }

  /**
   * Returns this policy with another grace period.
   *
   * @param grace versions committed and blobs stored more recently are never deleted
   * @return the new policy
   */
  public RetentionPolicy withGracePeriod(Duration grace) {
    return new RetentionPolicy(keepLast, keepsTagged, keepsRunReferenced, keepsPinned, grace);
  }
}
