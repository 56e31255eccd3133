package dev.opskit.data;

import dev.opskit.Names;
import dev.opskit.OpsException;
import java.util.List;
import org.apiguardian.api.API;

/**
 * No version of a dataset matches an id or id prefix, or a prefix matches several. The message names the dataset, the
 * id, and, for an ambiguous prefix, the candidates.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class DatasetVersionNotFoundException extends OpsException {
  private static final long serialVersionUID = 1L;

  /** The dataset that was searched. */
  private final String dataset;
  /** The id or id prefix that was not found. */
  private final String id;
  private final transient List<String> candidates;

  /**
   * Creates the exception.
   *
   * @param dataset the dataset name
   * @param id the id or prefix asked for
   * @param candidates the versions a prefix matched, if it matched more than one; empty otherwise
   */
  public DatasetVersionNotFoundException(String dataset, String id, List<String> candidates) {
    super(candidates.isEmpty()
        ? "dataset " + Names.quote(dataset) + " has no version " + Names.quote(id)
        : "version prefix " + Names.quote(id) + " of dataset " + Names.quote(dataset) + " is ambiguous; it matches "
            + candidates
            + ". Give more characters");
    this.dataset = dataset;
    this.id = id;
    this.candidates = List.copyOf(candidates);
  }

  /**
   * Creates the exception with a message of the caller's, for example one that says the dataset itself is unknown.
   *
   * @param dataset the dataset name
   * @param id the id or prefix asked for
   * @param message the whole message
   * @since 0.1.0
   */
  public DatasetVersionNotFoundException(String dataset, String id, String message) {
    super(message);
    this.dataset = dataset;
    this.id = id;
    this.candidates = List.of();
  }

  /**
   * Returns the dataset name.
   *
   * @return the dataset
   */
  public String dataset() {
    return dataset;
  }

  /**
   * Returns the id or prefix asked for.
   *
   * @return the id
   */
  public String id() {
    return id;
  }

  /**
   * Returns the versions an ambiguous prefix matched.
   *
   * @return the candidates, empty if nothing matched
   */
  public List<String> candidates() {
    return candidates;
  }
}
