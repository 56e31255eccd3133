package dev.opskit.core.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.WorkspaceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Workspace#shared}: one object per key for the workspace's lifetime, made once, never shared across workspaces. */
class SharedStateTest {
  static final class Hub {}

  private static final WorkspaceKey<Hub> HUB = WorkspaceKey.of("test.hub", Hub.class);
  private static final WorkspaceKey<Hub> OTHER = WorkspaceKey.of("test.other-hub", Hub.class);

  @Test
  void eachKeyGetsOneObjectPerWorkspace() {
    try (Workspace a = Workspace.inMemory(); Workspace b = Workspace.inMemory()) {
      Hub first = a.shared(HUB, Hub::new);
      assertThat(a.shared(HUB, Hub::new)).isSameAs(first);
      assertThat(a.shared(OTHER, Hub::new)).isNotSameAs(first);
      assertThat(b.shared(HUB, Hub::new)).isNotSameAs(first);
    }
  }

  @Test
  void threadsAskingAtOnceGetTheSameObjectMadeOnce() throws Exception {
    AtomicInteger made = new AtomicInteger();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (Workspace ws = Workspace.inMemory()) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Hub>> answers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        answers.add(pool.submit(() -> {
          start.await();
          return ws.shared(HUB, () -> {
            made.incrementAndGet();
            return new Hub();
          });
        }));
      }
      start.countDown();
      Set<Hub> seen = ConcurrentHashMap.newKeySet();
      for (Future<Hub> answer : answers) {
        seen.add(answer.get(10, TimeUnit.SECONDS));
      }
      assertThat(seen).hasSize(1);
      assertThat(made).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFactoryThatReturnsNullIsAnErrorNamingTheKeyAndLeavesNothingBehind() {
    try (Workspace ws = Workspace.inMemory()) {
      assertThatThrownBy(() -> ws.shared(HUB, () -> null))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("test.hub");
      Hub made = new Hub();
      assertThat(ws.shared(HUB, () -> made)).isSameAs(made);
    }
  }
}
