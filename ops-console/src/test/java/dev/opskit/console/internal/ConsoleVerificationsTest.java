package dev.opskit.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.store.StoredRecord;
import dev.opskit.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Verifications}: a page gets the kept result of the last full verification, which is refreshed in the
 * background when the trail grows or the result is older than {@link Verifications#MAX_AGE}, never on the request.
 */
class ConsoleVerificationsTest {
  private static final Actor CI = Actor.of("ci");

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-09-01T00:00:00Z"));
  private final Workspace workspace = Workspace.builder().clock(clock).openInMemory();
  private final ModelRegistry registry = ModelRegistry.in(workspace);
  private final Verifications verifications = new Verifications(registry, clock);
  /** Waits for no verification but a model's first: every refresh runs in the background. */
  private final Verifications background = new Verifications(registry, clock, Duration.ZERO);

  @AfterEach
  void close() {
    verifications.close();
    background.close();
    registry.close();
    workspace.close();
  }

  private @Nullable String newest(String model) {
    List<AuditRecord> page = registry.audit(model).records(1, 0).items();
    return page.isEmpty() ? null : page.get(0).hash();
  }

  private void awaitIdle(String model) throws Exception {
    Future<Verifications.Result> pending = background.pending(model).orElse(null);
    if (pending != null) {
      pending.get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aSmallTrailsFirstViewShowsItsResultAndAnUnchangedTrailIsNotVerifiedAgain() {
    registry.register("churn", "a", ModelCodecs.json(String.class), CI);
    registry.register("churn", "b", ModelCodecs.json(String.class), CI);

    Verifications.Status first = verifications.status("churn", newest("churn"));
    assertThat(first.last()).isNotNull();
    assertThat(first.last().records()).isEqualTo(2);
    assertThat(first.last().problem()).isEmpty();
    assertThat(first.last().newest()).isEqualTo(newest("churn"));

    clock.advance(Duration.ofSeconds(30));
    Verifications.Status again = verifications.status("churn", newest("churn"));
    assertThat(again.last()).isSameAs(first.last());
    assertThat(again.running()).isFalse();
    assertThat(again.age()).isEqualTo(Duration.ofSeconds(30));
    assertThat(verifications.pending("churn")).isEmpty();
  }

  @Test
  void aGrownTrailIsVerifiedAgainInTheBackgroundWhileThePageShowsTheLastResult() throws Exception {
    registry.register("churn", "a", ModelCodecs.json(String.class), CI);
    Verifications.Result first = background.status("churn", newest("churn")).last();
    assertThat(first.records()).isEqualTo(1);

    registry.register("churn", "b", ModelCodecs.json(String.class), CI);
    Verifications.Status grown = background.status("churn", newest("churn"));
    assertThat(grown.last()).as("the page does not wait for the refresh").isNotNull();
    awaitIdle("churn");
    Verifications.Status refreshed = background.status("churn", newest("churn"));
    assertThat(refreshed.last().records()).isEqualTo(2);
    assertThat(refreshed.last().problem()).isEmpty();
    assertThat(refreshed.running()).isFalse();
  }

  @Test
  void aRecordEditedBehindTheRegistrysBackIsFoundOnceTheResultIsOlderThanTheBound() throws Exception {
    registry.register("churn", "a", ModelCodecs.json(String.class), CI);
    registry.register("churn", "b", ModelCodecs.json(String.class), CI);
    assertThat(background.status("churn", newest("churn")).last().problem()).isEmpty();
    workspace.metadata().transact(tx -> {
      StoredRecord r = tx.require("model-audit", "churn/000000000001");
      return tx.update(r, r.body().replace("\"ci\"", "\"cj\""), r.attributes());
    });

    // the newest record is unchanged: the kept result stands until it is older than the bound
    clock.advance(Verifications.MAX_AGE);
    assertThat(background.status("churn", newest("churn")).last().problem()).isEmpty();
    assertThat(background.pending("churn")).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    Verifications.Status stale = background.status("churn", newest("churn"));
    assertThat(stale.last().problem()).as("shown while the refresh runs").isEmpty();
    awaitIdle("churn");
    assertThat(background.status("churn", newest("churn")).last().problem())
        .hasValueSatisfying(p -> assertThat(p).contains("audit record 1 of model 'churn' was edited"));
  }

  @Test
  void aViewThatFindsAQuicklyVerifiedTrailGrownWaitsForTheNewResult() {
    registry.register("churn", "a", ModelCodecs.json(String.class), CI);
    assertThat(verifications.status("churn", newest("churn")).last().records()).isEqualTo(1);
    registry.register("churn", "b", ModelCodecs.json(String.class), CI);
    Verifications.Status grown = verifications.status("churn", newest("churn"));
    assertThat(grown.last().records()).isEqualTo(2);
    assertThat(grown.running()).isFalse();
  }

  @Test
  void aModelPageShowsTheResultWithItsAgeAndPagesTheTrailNewestFirst() {
    for (int i = 0; i < ReadModel.PAGE_SIZE + 5; i++) {
      registry.register("churn", "v" + i, ModelCodecs.json(String.class), CI);
    }
    ReadModel read = new ReadModel(workspace, registry, verifications);
    String first = ModelView.render(read.model("churn", 0, 0).orElseThrow());
    assertThat(first).contains("Audit trail verified (55 records just now)")
        .contains("href=\"/models/churn?audit=50#audit\"")
        .contains("<td class=\"num\">55</td>").doesNotContain("<td class=\"num\">5</td>");
    assertThat(first.indexOf("<td class=\"num\">55</td>")).isLessThan(first.indexOf("<td class=\"num\">54</td>"));

    clock.advance(Duration.ofSeconds(12));
    String older = ModelView.render(read.model("churn", 0, 50).orElseThrow());
    assertThat(older).contains("Audit trail verified (55 records 12 s ago)")
        .contains("<td class=\"num\">5</td>", "<td class=\"num\">1</td>").doesNotContain("<td class=\"num\">6</td>")
        .contains("href=\"/models/churn?audit=0#audit\"");
  }
}
