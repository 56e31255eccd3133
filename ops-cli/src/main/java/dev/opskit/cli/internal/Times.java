package dev.opskit.cli.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a point in time from the command line: a day ({@code 2026-01-31}, its start in UTC) or an ISO-8601 instant
 * ({@code 2026-01-31T08:00:00Z}), as the console's date filters take them. Anything else is a usage error that shows
 * both forms.
 */
final class Times implements ITypeConverter<Instant> {
  @Override
  public Instant convert(String value) {
    String v = value.strip();
    try {
      return v.contains("T") ? Instant.parse(v) : LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("'" + Output.printable(value) + "' is neither a day such as 2026-01-31 nor "
          + "an instant such as 2026-01-31T08:00:00Z (UTC)");
    }
  }
}
