package dev.opskit.test.workspace;

import dev.opskit.Workspace;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.Stage;
import dev.opskit.ml.serving.ModelCodecs;
import java.nio.file.Path;

/**
 * Another process working on a shared PostgreSQL registry. Usage:
 * {@code RegistryProcessMain register <jdbc-url> <blob-dir> <model> <count>} registers versions and prints their
 * numbers; {@code RegistryProcessMain promote <jdbc-url> <blob-dir> <model> <version>} promotes one to production.
 */
public final class RegistryProcessMain {
  private RegistryProcessMain() {}

  /**
   * Does the work.
   *
   * @param args the command and its arguments
   */
  public static void main(String[] args) {
    try (Workspace ws = Workspace.postgres(args[1], Path.of(args[2])); ModelRegistry registry = ModelRegistry.in(ws)) {
      Actor actor = Actor.of("process-" + ProcessHandle.current().pid());
      if (args[0].equals("register")) {
        int count = Integer.parseInt(args[4]);
        StringBuilder numbers = new StringBuilder();
        for (int i = 0; i < count; i++) {
          int n = registry.register(args[3], new byte[] {(byte) i}, ModelCodecs.bytes(), actor).number();
          numbers.append(numbers.length() == 0 ? "" : ",").append(n);
        }
        System.out.println("NUMBERS " + numbers);
      } else {
        registry.promote(args[3], Integer.parseInt(args[4])).to(Stage.PRODUCTION).as(actor).execute();
        System.out.println("PROMOTED");
      }
    }
  }
}
