package dev.opskit.test;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs a test class through the JUnit Platform launcher and reports what failed, so that a self-test can check that
 * a kit fails where it must: a contract against a broken implementation, the extension against a misconfigured class.
 * The classes it runs carry {@link OnlyWhenLaunched}, so they are skipped when a build or an IDE finds them directly.
 */
public final class KitLauncher {
  /** The configuration parameter that enables the launched classes. */
  public static final String ENABLED = "dev.opskit.test.kit-self-test";

  private KitLauncher() {}

  /**
   * Runs a class, or some of its test methods.
   *
   * @param testClass the class
   * @param methods test method names; none for the whole class
   * @return what happened
   */
  public static Outcome launch(Class<?> testClass, String... methods) {
    List<DiscoverySelector> selectors = new ArrayList<>();
    if (methods.length == 0) {
      selectors.add(selectClass(testClass));
    }
    for (String m : methods) {
      selectors.add(selectMethod(testClass, m));
    }
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors)
        .configurationParameter(ENABLED, "true").build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(request, listener);
    TestExecutionSummary summary = listener.getSummary();
    List<Failure> failures = summary.getFailures().stream()
        .map(f -> new Failure(f.getTestIdentifier().getDisplayName(), f.getException())).toList();
    return new Outcome(summary.getTestsSucceededCount(), summary.getTestsSkippedCount(), failures);
  }

  /**
   * What a launch did.
   *
   * @param succeeded tests that passed
   * @param skipped tests that were skipped
   * @param failures tests and containers that failed, with their errors
   */
  public record Outcome(long succeeded, long skipped, List<Failure> failures) {
    /** The names of the failed tests, without parentheses. */
    public List<String> failedTests() {
      return failures.stream().map(f -> f.test().replace("()", "")).toList();
    }

    /** Every failure's message, for assertions on what the kit said. */
    public String messages() {
      return failures.stream().map(f -> f.test() + ": " + f.error()).collect(Collectors.joining("\n"));
    }
  }

  /**
   * One failure.
   *
   * @param test the failed test's or container's display name
   * @param error what it threw
   */
  public record Failure(String test, Throwable error) {}

  /** Enables a test class only when {@link KitLauncher} runs it. */
  public static final class OnlyWhenLaunched implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getConfigurationParameter(ENABLED).isPresent()
          ? ConditionEvaluationResult.enabled("launched by a kit self-test")
          : ConditionEvaluationResult.disabled("deliberately broken; run only by a kit self-test through KitLauncher");
    }
  }
}
