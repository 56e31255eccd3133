package dev.opskit.test.contract;

import dev.opskit.test.contract.HostileAttempts.ThrowingRunnable;
import java.util.List;

/**
 * What the checks {@link HostileInputContract} runs share: the suite's attempts, on which each check tries its
 * calls, one per entry point and hostile input.
 */
abstract class HostileInputChecks {
  /** The suite's attempts: how many inputs it has tried, and the failures of the test under way. */
  final HostileAttempts attempts;

  HostileInputChecks(HostileAttempts attempts) {
    this.attempts = attempts;
  }

  /** Runs one call on the suite's attempts, as {@link HostileAttempts#attempt} says. */
  void attempt(String entryPoint, String input, List<String> names, ThrowingRunnable call) {
    attempts.attempt(entryPoint, input, names, call);
  }
}
