package dev.opskit.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualClockTest {
  private static final Instant START = Instant.parse("2030-05-01T12:00:00Z");

  private final ManualClock clock = ManualClock.at(START);
  private final List<String> ran = new ArrayList<>();

  private Runnable record(String name) {
    return () -> ran.add(name + "@" + clock.instant());
  }

  @Test
  void startsAtTheGivenInstantInUtc() {
    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(clock).hasToString("ManualClock[2030-05-01T12:00:00Z]");
  }

  @Test
  void createStartsAtTheDocumentedInstant() {
    assertThat(ManualClock.create().instant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void standsStillUntilAdvanced() {
    Instant before = clock.instant();

    assertThat(clock.instant()).isEqualTo(before);
    assertThat(clock.advance(Duration.ofSeconds(90))).isEqualTo(START.plusSeconds(90));
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(90));
  }

  @Test
  void advanceRunsDueActionsInTimeOrderAtTheirOwnTime() {
    clock.schedule(Duration.ofSeconds(3), record("third"));
    clock.schedule(Duration.ofSeconds(1), record("first"));
    clock.schedule(Duration.ofSeconds(2), record("second"));

    clock.advance(Duration.ofSeconds(5));

    assertThat(ran).containsExactly(
        "first@" + START.plusSeconds(1),
        "second@" + START.plusSeconds(2),
        "third@" + START.plusSeconds(3));
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(5));
  }

  @Test
  void actionsDueAtTheSameTimeRunInTheOrderTheyWereScheduled() {
    for (int i = 0; i < 10; i++) {
      clock.schedule(Duration.ofSeconds(1), record("a" + i));
    }

    clock.advance(Duration.ofSeconds(1));

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      expected.add("a" + i + "@" + START.plusSeconds(1));
    }
    assertThat(ran).isEqualTo(expected);
  }

  @Test
  void actionsLaterThanTheNewTimeWait() {
    clock.schedule(Duration.ofSeconds(10), record("later"));

    clock.advance(Duration.ofSeconds(9));
    assertThat(ran).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    assertThat(ran).containsExactly("later@" + START.plusSeconds(10));
  }

  @Test
  void anActionRunsExactlyOnce() {
    clock.schedule(Duration.ofSeconds(1), record("once"));

    clock.advance(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    clock.runDue();

    assertThat(ran).hasSize(1);
  }

  @Test
  void actionsRunOnTheThreadThatAdvances() {
    List<Thread> threads = new ArrayList<>();
    clock.schedule(Duration.ofMillis(1), () -> threads.add(Thread.currentThread()));

    clock.advance(Duration.ofMillis(1));

    assertThat(threads).containsExactly(Thread.currentThread());
  }

  @Test
  void anActionScheduledByAnActionRunsInTheSameAdvanceIfItFallsDue() {
    clock.schedule(Duration.ofSeconds(1), () -> {
      ran.add("outer@" + clock.instant());
      clock.schedule(Duration.ofSeconds(2), record("inner"));
      clock.schedule(Duration.ofSeconds(10), record("too-late"));
    });

    clock.advance(Duration.ofSeconds(5));

    assertThat(ran).containsExactly("outer@" + START.plusSeconds(1), "inner@" + START.plusSeconds(3));
    assertThat(clock.pending()).containsExactly(START.plusSeconds(11));
  }

  @Test
  void advancingByZeroRunsTheActionsDueNow() {
    clock.schedule(Duration.ZERO, record("now"));

    assertThat(clock.advance(Duration.ZERO)).isEqualTo(START);
    assertThat(ran).containsExactly("now@" + START);
  }

  @Test
  void runDueRunsDueActionsWithoutMovingTheClock() {
    clock.schedule(Duration.ZERO, record("a"));
    clock.schedule(Duration.ZERO, record("b"));
    clock.schedule(Duration.ofSeconds(1), record("later"));

    assertThat(clock.runDue()).isEqualTo(2);
    assertThat(ran).containsExactly("a@" + START, "b@" + START);
    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.runDue()).isZero();
  }

  @Test
  void aCancelledActionDoesNotRun() {
    Scheduler.Scheduled scheduled = clock.schedule(Duration.ofSeconds(1), record("cancelled"));
    clock.schedule(Duration.ofSeconds(2), record("kept"));

    assertThat(scheduled.cancel()).isTrue();
    clock.advance(Duration.ofSeconds(3));

    assertThat(ran).containsExactly("kept@" + START.plusSeconds(2));
  }

  @Test
  void cancelTellsWhetherItPreventedTheAction() {
    Scheduler.Scheduled scheduled = clock.schedule(Duration.ofSeconds(1), record("a"));
    Scheduler.Scheduled ranAlready = clock.schedule(Duration.ofMillis(1), record("b"));
    clock.advance(Duration.ofMillis(1));

    assertThat(ranAlready.cancel()).as("cancel after the action ran").isFalse();
    assertThat(scheduled.cancel()).as("first cancel").isTrue();
    assertThat(scheduled.cancel()).as("second cancel").isFalse();
  }

  @Test
  void anActionCancelledByAnEarlierActionInTheSameAdvanceDoesNotRun() {
    Scheduler.Scheduled second = clock.schedule(Duration.ofSeconds(2), record("second"));
    clock.schedule(Duration.ofSeconds(1), second::cancel);

    clock.advance(Duration.ofSeconds(3));

    assertThat(ran).isEmpty();
  }

  @Test
  void pendingListsWaitingActionsSoonestFirstWithoutCancelledOnes() {
    clock.schedule(Duration.ofSeconds(30), record("c"));
    Scheduler.Scheduled cancelled = clock.schedule(Duration.ofSeconds(20), record("x"));
    clock.schedule(Duration.ofSeconds(10), record("a"));
    clock.schedule(Duration.ofSeconds(5), record("gone"));
    cancelled.cancel();
    clock.advance(Duration.ofSeconds(5));

    assertThat(clock.pending()).containsExactly(START.plusSeconds(10), START.plusSeconds(30));
  }

  @Test
  void pendingIsEmptyWhenNothingIsScheduled() {
    assertThat(clock.pending()).isEmpty();
  }

  @Test
  void delaysAreMeasuredFromTheCurrentTime() {
    clock.advance(Duration.ofMinutes(1));

    clock.schedule(Duration.ofSeconds(1), record("a"));

    assertThat(clock.pending()).containsExactly(START.plusSeconds(61));
  }

  @Test
  void rejectsANegativeAdvanceNamingTheAmount() {
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a manual clock only moves forward; got PT-1S");
    assertThat(clock.instant()).isEqualTo(START);
  }

  @Test
  void rejectsANegativeDelayNamingIt() {
    assertThatThrownBy(() -> clock.schedule(Duration.ofMillis(-5), record("never")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delay must not be negative, got PT-0.005S");
    assertThat(clock.pending()).isEmpty();
  }

  @Test
  void aFailingActionPropagatesAndLeavesLaterActionsScheduled() {
    clock.schedule(Duration.ofSeconds(1), () -> {
      throw new IllegalStateException("boom");
    });
    clock.schedule(Duration.ofSeconds(2), record("after"));

    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(3))).hasMessage("boom");
    assertThat(clock.pending()).containsExactly(START.plusSeconds(2));

    clock.advance(Duration.ofSeconds(10));
    assertThat(ran).containsExactly("after@" + START.plusSeconds(2));
  }

  @Test
  void keepsOneZone() {
    assertThatThrownBy(() -> clock.withZone(ZoneId.of("Europe/Paris")))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
