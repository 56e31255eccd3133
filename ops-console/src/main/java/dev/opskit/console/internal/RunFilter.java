package dev.opskit.console.internal;

import dev.opskit.Names;
import dev.opskit.run.RunStatus;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The runs page's filter: a pipeline, a status, and a range of start days in UTC, both ends inclusive. Each part is
 * optional; a bad one is a 400 naming the value and the rule.
 */
record RunFilter(@Nullable String pipeline, @Nullable RunStatus status, @Nullable LocalDate from,
    @Nullable LocalDate until) {

  static RunFilter of(Request r) {
    String pipeline = r.param("pipeline");
    if (pipeline != null) {
      Names.nameProblem("pipeline", pipeline).ifPresent(p -> {
        throw new HttpError(400, p);
      });
    }
    RunFilter f = new RunFilter(pipeline, status(r.param("status")), day("from", r.param("from")),
        day("until", r.param("until")));
    if (f.from() != null && f.until() != null && f.until().isBefore(f.from())) {
      throw new HttpError(400, "until (" + f.until() + ") must not be before from (" + f.from() + ")");
    }
    return f;
  }

  boolean any() {
    return pipeline != null || status != null || from != null || until != null;
  }

  /** The filter as query parameters after the offset, each starting with {@code &}. */
  String query() {
    StringBuilder q = new StringBuilder();
    if (pipeline != null) {
      q.append("&pipeline=").append(Html.url(pipeline));
    }
    if (status != null) {
      q.append("&status=").append(status.name());
    }
    if (from != null) {
      q.append("&from=").append(from);
    }
    if (until != null) {
      q.append("&until=").append(until);
    }
    return q.toString();
  }

  private static @Nullable RunStatus status(@Nullable String value) {
    if (value == null) {
      return null;
    }
    try {
      return RunStatus.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "status must be one of " + Arrays.toString(RunStatus.values()) + ", got '" + value
          + "'");
    }
  }

  private static @Nullable LocalDate day(String name, @Nullable String value) {
    if (value == null) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new HttpError(400, name + " must be a day like 2026-12-06, got '" + value + "'");
    }
  }
}
