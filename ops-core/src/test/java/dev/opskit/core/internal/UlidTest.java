package dev.opskit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.time.ManualClock;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The one ULID generator of opskit: run ids and tracking run ids. */
class UlidTest {
  private static final Instant AT = Instant.parse("2026-09-01T00:00:00Z");

  @Test
  void idsAre26CrockfordCharactersLedByTheClocksMilliseconds() {
    String id = new Ulid(ManualClock.at(AT), new SplittableRandom(1)).get();
    assertThat(id).hasSize(26).matches("[0-9A-HJKMNP-TV-Z]{26}");
    long millis = 0;
    for (char c : id.substring(0, 10).toCharArray()) {
      millis = millis * 32 + "0123456789ABCDEFGHJKMNPQRSTVWXYZ".indexOf(c);
    }
    assertThat(millis).isEqualTo(AT.toEpochMilli());
  }

  @Test
  void idsSortInTheOrderTheyWereMadeWhileTheClockStandsStillMovesOrGoesBack() {
    long[] now = {AT.toEpochMilli()};
    Clock clock = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(now[0]);
      }
    };
    Ulid ids = new Ulid(clock, new SplittableRandom(7));
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      made.add(ids.get());
      if (i % 100 == 0) {
        now[0] += 3;
      }
      if (i == 500) {
        now[0] = AT.toEpochMilli(); // back in time
      }
    }
    assertThat(made).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void theSameSeedAndClockGiveTheSameIds() {
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    Ulid a = new Ulid(ManualClock.at(AT), new SplittableRandom(42));
    Ulid b = new Ulid(ManualClock.at(AT), new SplittableRandom(42));
    for (int i = 0; i < 5; i++) {
      first.add(a.get());
      second.add(b.get());
    }
    assertThat(first).isEqualTo(second);
  }
}
