package dev.opskit.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console asks the JDK's HTTP server for TCP_NODELAY (no 40 ms wait per page) unless the host chose. */
class ConsoleNoDelayTest {
  private @Nullable String before;

  @BeforeEach
  void remember() {
    before = System.getProperty(Console.Builder.NO_DELAY);
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(Console.Builder.NO_DELAY);
    } else {
      System.setProperty(Console.Builder.NO_DELAY, before);
    }
  }

  @Test
  void servingSetsNoDelayWhenTheHostDidNotAndKeepsTheHostsChoice() {
    try (Workspace ws = Workspace.inMemory()) {
      System.clearProperty(Console.Builder.NO_DELAY);
      try (ConsoleServer console = Console.serve(ws, 0)) {
        assertThat(console.port()).isPositive();
        assertThat(System.getProperty(Console.Builder.NO_DELAY)).isEqualTo("true");
      }
      System.setProperty(Console.Builder.NO_DELAY, "false");
      try (ConsoleServer console = Console.serve(ws, 0)) {
        assertThat(console.port()).isPositive();
        assertThat(System.getProperty(Console.Builder.NO_DELAY)).isEqualTo("false");
      }
    }
  }
}
