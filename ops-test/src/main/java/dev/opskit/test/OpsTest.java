package dev.opskit.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class, or one test method, with the {@link OpsExtension}: every test gets a fresh in-memory
 * {@link dev.opskit.Workspace} on a {@link dev.opskit.time.ManualClock}, with a {@link RecordingListener}, and its
 * registry and catalog, injected into fields and parameters of those types.
 *
 * <pre>{@code
 * @OpsTest(start = "2026-03-01T09:00:00Z")
 * class ChurnPipelineTest {
 *   Workspace workspace;           // injected before each test, closed after it
 *   ManualClock clock;
 *
 *   @Test
 *   void retriesAfterTheBackoff(RecordingListener recorder) throws Exception {
 *     RunHandle run = workspace.runner().start(pipeline);
 *     clock.awaitPending(1, Duration.ofSeconds(10));
 *     clock.advance(Duration.ofSeconds(1));
 *     assertThat(run.await()).succeeded().step("train").hadAttempts(2);
 *   }
 * }
 * }</pre>
 *
 * <p>On a method, the annotation's settings override the class's.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(OpsExtension.class)
public @interface OpsTest {
  /** The default start of the clock: {@value}. */
  String DEFAULT_START = "2026-01-01T00:00:00Z";

  /** The default seed: {@value}. */
  long DEFAULT_SEED = 42L;

  /**
   * Where the manual clock starts, as an ISO-8601 instant such as {@code 2026-01-01T00:00:00Z}.
   *
   * @return the start instant
   */
  String start() default DEFAULT_START;

  /**
   * Seeds the workspace's randomness: retry jitter and run ids. With the same seed and clock, a test sees the same
   * run ids every time.
   *
   * @return the seed
   */
  long seed() default DEFAULT_SEED;

  /**
   * How many threads the workspace's executor has: 0, the default, for {@link dev.opskit.run.Executor#direct()};
   * more for {@link dev.opskit.run.Executor#parallel(int)} with that many.
   *
   * @return the thread count, 0 or more
   */
  int threads() default 0;
}
