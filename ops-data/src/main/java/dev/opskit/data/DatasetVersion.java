package dev.opskit.data;

import dev.opskit.data.profile.DatasetProfile;
import dev.opskit.pipeline.ValidationReport;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * One immutable version of a dataset. Its id is the SHA-256 of its encoded content, so the same content is the same
 * version, stored once.
 *
 * @param dataset the dataset name
 * @param id the version id: the lowercase hex SHA-256 of the encoded content
 * @param status committed or quarantined
 * @param format the codec's format, such as {@code jsonl}
 * @param size the encoded size in bytes
 * @param rows the row count of a tabular version, or -1
 * @param schema the columns and their types, empty for a format without columns
 * @param createdAt when the content was first committed
 * @param committedAt when it was last committed (the same content may be committed again, making it latest again)
 * @param run the run that first produced it, or null if committed directly
 * @param step the step that first produced it, or null
 * @param inputs the versions the producing step read, by dataset name
 * @param metadata user metadata given at commit
 * @param validation the checks' results, or null if the dataset has no checks
 * @param profile the column profile of a tabular version, or null; also null, for a while, for a file committed with
 *     {@link ProfileTiming#AFTER_COMMIT}, whose profile {@link Catalog#profile(String, String)} returns
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record DatasetVersion(
    String dataset,
    String id,
    VersionStatus status,
    String format,
    long size,
    long rows,
    Map<String, String> schema,
    Instant createdAt,
    Instant committedAt,
    @Nullable String run,
    @Nullable String step,
    Map<String, String> inputs,
    Map<String, String> metadata,
    @Nullable ValidationReport validation,
    @Nullable DatasetProfile profile) {

  /**
   * Checks and copies the components.
   *
   * @param dataset the dataset name
   * @param id the version id
   * @param status the status
   * @param format the format
   * @param size the size
   * @param rows the row count, or -1
   * @param schema the schema
   * @param createdAt the first commit
   * @param committedAt the last commit
   * @param run the producing run
   * @param step the producing step
   * @param inputs the input versions
   * @param metadata user metadata
   * @param validation the validation report
   * @param profile the profile
   */
  public DatasetVersion {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(format, "format");
    schema = Map.copyOf(schema);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(committedAt, "committedAt");
    inputs = Map.copyOf(inputs);
    metadata = Map.copyOf(metadata);
  }

  /**
   * Returns the row count.
   *
   * @return the count, or empty for a format without rows
   */
  public OptionalLong rowCount() {
    return rows < 0 ? OptionalLong.empty() : OptionalLong.of(rows);
  }

  /**
   * Returns the validation report.
   *
   * @return the report, or empty if the dataset has no checks
   */
  public Optional<ValidationReport> report() {
    return Optional.ofNullable(validation);
  }

  /**
   * Returns the first 12 characters of the id, enough to name it in most catalogs.
   *
   * @return the short id
   */
  public String shortId() {
    return id.substring(0, 12);
  }

  /**
   * Tells whether the version may be used.
   *
   * @return true if committed
   */
  public boolean usable() {
    return status == VersionStatus.COMMITTED;
  }

  @Override
  public String toString() {
    return dataset + "@" + shortId() + (status == VersionStatus.QUARANTINED ? " (quarantined)" : "");
  }
}
