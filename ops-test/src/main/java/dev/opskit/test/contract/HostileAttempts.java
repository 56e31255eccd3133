package dev.opskit.test.contract;

import dev.opskit.OpsException;
import dev.opskit.data.DatasetVersionNotFoundException;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelVersionNotFoundException;
import dev.opskit.pipeline.PipelineDefinitionException;
import dev.opskit.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The attempts of a {@link HostileInputContract} suite on its backend: how many inputs it has tried, and the
 * failures of the test under way. {@link #attempt} runs one call on a hostile input and judges how it ended: accepted
 * and read back exactly, refused with an {@link IllegalArgumentException} naming the parameter, or a documented
 * not-found, each message free of raw control and bidi characters; anything else is a failure. Not thread-safe: one
 * test runs its attempts one after another.
 */
final class HostileAttempts {
  /** Entry points whose Javadoc names an {@link OpsException} for an id that names nothing. */
  private static final Set<String> DOCUMENTED_OPS_EXCEPTIONS = Set.of("runner.resume");

  /** The failures of the test under way, each an entry point and the input it mishandled. */
  final List<String> failures = new ArrayList<>();
  /** How many inputs the suite has tried on its backend, one per entry point and input. */
  long tried;

  /** Runs one call; a refusal must be an IllegalArgumentException naming one of {@code names}, or a not-found. */
  void attempt(String entryPoint, String input, List<String> names, ThrowingRunnable call) {
    tried++;
    String where = entryPoint + "(" + dev.opskit.Names.quote(input) + ")";
    try {
      call.run();
    } catch (IllegalArgumentException | PipelineDefinitionException e) {
      String message = String.valueOf(e.getMessage());
      String lower = message.toLowerCase(Locale.ROOT);
      if (names.stream().noneMatch(lower::contains)) {
        failures.add(where + ": refused without naming " + names + ": " + e);
      }
      // A definition exception lists one problem a line, each value quoted; nothing else may break a line.
      checkPrintable(where, e instanceof PipelineDefinitionException ? message.replace('\n', ' ') : message);
    } catch (ModelNotFoundException | ModelVersionNotFoundException | DatasetVersionNotFoundException e) {
      checkPrintable(where, String.valueOf(e.getMessage()));
    } catch (OpsException e) {
      // Only where the entry point documents an OpsException for an unknown id (resume: "no such run").
      if (!DOCUMENTED_OPS_EXCEPTIONS.contains(entryPoint) || e instanceof StoreException
          || names.stream().noneMatch(String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT)::contains)) {
        failures.add(where + ": " + e.getClass().getName() + ": " + e.getMessage());
      }
      checkPrintable(where, String.valueOf(e.getMessage()));
    } catch (AssertionError e) {
      failures.add(where + ": accepted but did not round-trip: " + e.getMessage());
    } catch (Exception e) {
      failures.add(where + ": " + e.getClass().getName() + ": " + e.getMessage());
    }
  }

  private void checkPrintable(String where, String message) {
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
        failures.add(where + ": the message holds a raw control or bidi character U+"
            + String.format("%04X", (int) c) + " at " + i);
        return;
      }
    }
  }

  /** A call that may throw anything. */
  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
