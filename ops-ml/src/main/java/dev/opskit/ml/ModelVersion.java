package dev.opskit.ml;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * One registered version of a model. Its number, artifact, signature and provenance never change; its stage,
 * aliases and tags do, through the registry.
 *
 * @param model the model name
 * @param number the version number, 1 for the first; numbers have no gaps and are never reused
 * @param status whether registration completed
 * @param stage where the version stands
 * @param artifact the blob id of the artifact, or null while registration is pending or after it failed
 * @param format the model codec's format
 * @param signature the input and output schema
 * @param provenance where it came from
 * @param tags free-form tags
 * @param aliases the aliases pointing at it, sorted
 * @param description free text
 * @param registeredBy the actor who registered it
 * @param createdAt when it was registered
 * @param updatedAt when its stage, aliases or tags last changed
 * @param copiedFrom the URI of the version it was copied from ({@code models:/dev-churn/3}) by
 *     {@link ModelRegistry#copyVersion}, under the source model's current name, or null if it was registered
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record ModelVersion(
    String model,
    int number,
    ModelVersionStatus status,
    Stage stage,
    @Nullable String artifact,
    String format,
    Signature signature,
    Provenance provenance,
    Map<String, String> tags,
    List<String> aliases,
    String description,
    String registeredBy,
    Instant createdAt,
    Instant updatedAt,
    @Nullable String copiedFrom) {

  /**
   * Checks and copies the components.
   *
   * @param model the model name
   * @param number the number
   * @param status the status
   * @param stage the stage
   * @param artifact the artifact blob id
   * @param format the format
   * @param signature the signature
   * @param provenance the provenance
   * @param tags the tags
   * @param aliases the aliases
   * @param description the description
   * @param registeredBy who registered it
   * @param createdAt when
   * @param updatedAt last change
   * @param copiedFrom the URI of the version it was copied from, or null
   */
  public ModelVersion {
    Objects.requireNonNull(model, "model");
    if (number < 1) {
      throw new IllegalArgumentException("version numbers start at 1, got " + number);
    }
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(provenance, "provenance");
    tags = Map.copyOf(tags);
    aliases = List.copyOf(aliases);
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(registeredBy, "registeredBy");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /**
   * Creates a version that was registered, not copied.
   *
   * @param model the model name
   * @param number the number
   * @param status the status
   * @param stage the stage
   * @param artifact the artifact blob id
   * @param format the format
   * @param signature the signature
   * @param provenance the provenance
   * @param tags the tags
   * @param aliases the aliases
   * @param description the description
   * @param registeredBy who registered it
   * @param createdAt when
   * @param updatedAt last change
   */
  public ModelVersion(String model, int number, ModelVersionStatus status, Stage stage, @Nullable String artifact,
      String format, Signature signature, Provenance provenance, Map<String, String> tags, List<String> aliases,
      String description, String registeredBy, Instant createdAt, Instant updatedAt) {
    this(model, number, status, stage, artifact, format, signature, provenance, tags, aliases, description,
        registeredBy, createdAt, updatedAt, null);
  }

  /**
   * Returns the URI of the version this one was copied from, for a copy made with {@link ModelRegistry#copyVersion}.
   * It names the source model by its current name: when that model is renamed, the registry rewrites the URIs of its
   * versions' copies in the same transaction, so {@code registry.resolve(copy.source().get())} finds the version copied
   * for as long as it exists. A value read before the rename keeps the old name.
   *
   * @return the source's URI, such as {@code models:/dev-churn/3}, or empty for a registered version
   * @since 0.1.0
   */
  public Optional<String> source() {
    return Optional.ofNullable(copiedFrom);
  }

  /**
   * Returns a metric from the provenance.
   *
   * @param name the metric
   * @return its value, or empty
   */
  public Optional<Double> metric(String name) {
    return provenance.metric(name);
  }

  /**
   * Returns the version's URI, such as {@code models:/churn/3}.
   *
   * @return the URI
   */
  public String uri() {
    return "models:/" + model + "/" + number;
  }

  @Override
  public String toString() {
    return model + " v" + number + " (" + stage + (status == ModelVersionStatus.READY ? "" : ", " + status) + ")";
  }
}
