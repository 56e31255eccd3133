package dev.opskit.cli.internal;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command shares: its session, reached through the root command. */
abstract class Base implements Callable<Integer> {
  static final int OK = 0;
  static final int FAILED = 1;

  @Spec
  CommandSpec spec;

  Session session() {
    Session s = ((RootCommand) spec.root().userObject()).session;
    if (s == null) {
      throw new IllegalStateException("the command line runs commands through Opskit.execute");
    }
    return s;
  }

  @Override
  public final Integer call() {
    return run(session());
  }

  abstract int run(Session session);
}
