package dev.opskit.test.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.RegistryListener;
import dev.opskit.ml.Stage;
import dev.opskit.ml.serving.LiveModel;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.test.PostgresTestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry shared by several processes through PostgreSQL. */
class PostgresRegistryProcessesTest {
  private static final Duration BOUND = Duration.ofMinutes(3);
  private PostgresTestDatabase database;

  @TempDir
  Path blobs;

  @BeforeEach
  void createSchema() {
    database = PostgresTestDatabase.create();
  }

  @AfterEach
  void dropSchema() {
    if (database != null) {
      database.close();
    }
  }

  @Test
  void twoProcessesRegisteringAtOnceGetNumbersWithoutGapsOrDuplicates() throws Exception {
    int each = 40;
    // Create the schema and the model first, so both processes race on registration alone.
    try (Workspace ws = Workspace.postgres(database.dataSource(), blobs); ModelRegistry registry = ModelRegistry.in(ws)) {
      registry.createModel("shared", "raced by two processes", java.util.Map.of(), Actor.of("setup"));
    }
    List<Process> children = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      children.add(ChildJvm.builder(RegistryProcessMain.class, "register", database.url(), blobs.toString(), "shared",
          Integer.toString(each)).start());
    }
    Set<Integer> numbers = new TreeSet<>();
    for (Process child : children) {
      ChildJvm.Result result = ChildJvm.await(child, BOUND);
      assertThat(result.exitCode()).as(result.output()).isZero();
      String line = result.lines().stream().filter(l -> l.startsWith("NUMBERS ")).findFirst().orElseThrow();
      for (String n : line.substring(8).split(",")) {
        assertThat(numbers.add(Integer.parseInt(n))).as("number %s given twice", n).isTrue();
      }
    }
    Set<Integer> expected = new TreeSet<>();
    for (int n = 1; n <= 2 * each; n++) {
      expected.add(n);
    }
    assertThat(numbers).isEqualTo(expected);
  }

  @Test
  void aLiveModelInOneProcessFollowsAPromotionInAnother() throws Exception {
    CountDownLatch swappedToTwo = new CountDownLatch(1);
    try (Workspace ws = Workspace.postgres(database.dataSource(), blobs);
        ModelRegistry registry = ModelRegistry.builder(ws).pollInterval(Duration.ofMillis(200))
            .listener(new RegistryListener() {
              @Override
              public void onLiveModelSwapped(String model, int from, int to) {
                if (to == 2) {
                  swappedToTwo.countDown();
                }
              }
            }).build()) {
      Actor ci = Actor.of("ci");
      registry.register("served", new byte[] {1}, ModelCodecs.bytes(), ci);
      registry.register("served", new byte[] {2}, ModelCodecs.bytes(), ci);
      registry.promote("served", 1).to(Stage.PRODUCTION).as(ci).execute();
      LiveModel<byte[]> live = registry.live("served", Stage.PRODUCTION, ModelCodecs.bytes());
      assertThat(live.get()).containsExactly(1);

      ChildJvm.Result promoter = ChildJvm.run(ChildJvm.builder(RegistryProcessMain.class, "promote", database.url(),
          blobs.toString(), "served", "2"), BOUND);
      assertThat(promoter.exitCode()).as(promoter.output()).isZero();

      assertThat(swappedToTwo.await(30, TimeUnit.SECONDS)).as("switched within the poll interval").isTrue();
      assertThat(live.version()).isEqualTo(2);
      assertThat(live.get()).containsExactly(2);
    }
  }
}
