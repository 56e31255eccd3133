package dev.opskit.cli.internal;

import picocli.CommandLine.Option;

/**
 * The {@code --limit} and {@code --offset} options of a listing command, as a picocli mixin: every listing pages the
 * same way, and says how to get the next page ({@link Output#more}).
 */
final class Paging {
  @Option(names = "--limit", defaultValue = "20", description = "At most this many (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--offset", defaultValue = "0", description = "Skip this many first, in the listing's order.")
  long offset;
}
