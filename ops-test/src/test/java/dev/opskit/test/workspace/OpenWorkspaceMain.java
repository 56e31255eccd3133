package dev.opskit.test.workspace;

import dev.opskit.Workspace;
import dev.opskit.store.StoreException;
import java.nio.file.Path;

/** Another process that tries to open a local workspace and prints what happened. */
public final class OpenWorkspaceMain {
  private OpenWorkspaceMain() {}

  /**
   * Opens the workspace.
   *
   * @param args the workspace directory
   */
  public static void main(String[] args) {
    try (Workspace ws = Workspace.local(Path.of(args[0]))) {
      System.out.println("OPENED " + ws);
    } catch (StoreException e) {
      System.out.println("REFUSED " + e.getMessage());
      System.exit(3);
    }
  }
}
