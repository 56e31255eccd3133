package dev.opskit.ml;

import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.ml.internal.RegistryImpl;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The model registry of a workspace: registered models; their versions, numbered 1..n without gaps even under
 * concurrent registration; aliases; stages moved only by promotions through gates; promotion policies stored in the
 * workspace; an append-only, hash-chained audit trail that explains the registry's state; and live handles for
 * serving.
 *
 * <pre>{@code
 * ModelRegistry models = ModelRegistry.in(workspace);
 * ModelVersion v = models.registration("churn", model, ModelCodecs.json(ChurnModel.class))
 *     .provenance(Provenance.of(trackingRun)).by(Actor.of("ci")).register();
 * models.promote("churn", v.number()).to(Stage.PRODUCTION).as(Actor.of("ci"))
 *     .gates(Gates.metricAtLeast("auc", 0.80), Gates.beatsChampion("auc", 0.01))
 *     .execute();
 * LiveModel<ChurnModel> live = models.live("churn", Stage.PRODUCTION, ModelCodecs.json(ChurnModel.class));
 * }</pre>
 *
 * <p>Names of models and aliases follow {@link dev.opskit.Names#NAME_RULE}. The aliases {@code latest} (any case),
 * {@code v<digits>} and purely numeric names are reserved. URIs: {@code models:/churn/3},
 * {@code models:/churn@champion}, {@code models:/churn/production} (a stage, any case) and {@code models:/churn/latest}.
 *
 * <p>Governance belongs to the workspace, not to this object. Every write is checked by the workspace's
 * {@link Authorizer} (set once with {@code Workspace.builder().attribute(Authorizer.KEY, ...)}), and each model's
 * {@link PromotionPolicy} is data in the workspace ({@link #setPolicy}), enforced by every registry in every process
 * that opens it. A caller may add gates to one promotion ({@link Promotion#gates}), never drop stored ones.
 *
 * <p>Thread-safe. Every write is a transaction of the workspace's metadata store, checked by the authorizer and
 * recorded in the audit trail.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface ModelRegistry extends AutoCloseable {
  /**
   * Returns the registry of a workspace. It uses the workspace's authorizer and the policies stored in the workspace.
   *
   * @param workspace the workspace
   * @return the registry
   */
  static ModelRegistry in(Workspace workspace) {
    return builder(workspace).build();
  }

  /**
   * Starts configuring the registry of a workspace.
   *
   * @param workspace the workspace
   * @return a builder
   */
  static Builder builder(Workspace workspace) {
    return new Builder(workspace);
  }

  /**
   * Creates a model, or updates its description and tags.
   *
   * @param name the model name
   * @param description free text
   * @param tags free-form tags, replacing the old ones
   * @param actor who does it
   * @return the model
   */
  RegisteredModel createModel(String name, String description, Map<String, String> tags, Actor actor);

  /**
   * Finds a model.
   *
   * @param name the model name
   * @return the model, or empty
   */
  Optional<RegisteredModel> model(String name);

  /**
   * Lists models by name.
   *
   * @param limit the page size, 1 to 1000
   * @param offset how many to skip
   * @return one page
   */
  Page<RegisteredModel> models(int limit, long offset);

  /**
   * Prepares a registration. The model is created if it does not exist.
   *
   * @param model the model name
   * @param artifact the model object
   * @param codec how to store it
   * @param <T> the model type
   * @return the registration, to configure and {@link Registration#register()}
   */
  <T> Registration<T> registration(String model, T artifact, ModelCodec<T> codec);

  /**
   * Registers a version with nothing but its artifact.
   *
   * @param model the model name
   * @param artifact the model object
   * @param codec how to store it
   * @param actor who registers
   * @param <T> the model type
   * @return the version
   */
  default <T> ModelVersion register(String model, T artifact, ModelCodec<T> codec, Actor actor) {
    return registration(model, artifact, codec).by(actor).register();
  }

  /**
   * Finds a version.
   *
   * @param model the model name
   * @param number the version number
   * @return the version
   * @throws ModelNotFoundException if there is no such model
   * @throws ModelVersionNotFoundException naming the versions that exist
   */
  ModelVersion version(String model, int number);

  /**
   * Lists a model's versions, newest first.
   *
   * @param model the model name
   * @param limit the page size
   * @param offset how many to skip
   * @return one page
   */
  Page<ModelVersion> versions(String model, int limit, long offset);

  /**
   * Resolves a URI: {@code models:/churn/3}, {@code models:/churn@champion}, {@code models:/churn/production} or
   * {@code models:/churn/latest}. A version is ASCII digits, from 1 to {@link Integer#MAX_VALUE}; {@code latest} and
   * the stages match case-insensitively in ASCII only, so a look-alike ({@code ſtaging}, a non-ASCII digit) names
   * nothing.
   *
   * @param uri the URI
   * @return the version it names now
   * @throws IllegalArgumentException quoting the URI, if it has another form, a number out of range, an illegal name
   *     or a reserved alias; the message says which rule
   */
  ModelVersion resolve(String uri);

  /**
   * Loads the model a URI names.
   *
   * @param uri the URI
   * @param codec the codec the version was stored with
   * @param <T> the model type
   * @return the model
   */
  <T> T load(String uri, ModelCodec<T> codec);

  /**
   * Starts a search over versions.
   *
   * @return a new search
   */
  ModelSearch search();

  /**
   * Points an alias at a version, moving it if it pointed elsewhere.
   *
   * @param model the model
   * @param alias the alias; not reserved
   * @param number the version; READY
   * @param actor who does it
   * @return the version it pointed at before, or 0
   */
  int setAlias(String model, String alias, int number, Actor actor);

  /**
   * Removes an alias.
   *
   * @param model the model
   * @param alias the alias
   * @param actor who does it
   * @return false if the alias did not exist
   * @throws IllegalArgumentException if the alias is not a name or is reserved, with the rule
   */
  boolean removeAlias(String model, String alias, Actor actor);

  /**
   * Lists a model's aliases.
   *
   * @param model the model
   * @return version numbers by alias
   */
  Map<String, Integer> aliases(String model);

  /**
   * Prepares a promotion of a version to another stage.
   *
   * @param model the model
   * @param number the version
   * @return the promotion, to configure and {@link Promotion#execute()}
   */
  Promotion promote(String model, int number);

  /**
   * Records an approval of a version for a stage, counted by {@link Gates#approvals(int)}. An actor approves a version
   * for a stage once; under the four-eyes rule, not a version they registered.
   *
   * @param model the model
   * @param number the version
   * @param stage the stage it may go to
   * @param actor who approves
   * @param reason why: text, with no NUL or other control character but tab and line breaks, and no bidi control
   * @throws IllegalStateException if the actor (by {@linkplain Actor#id() canonical id}) already approved it, or
   *     registered it under the four-eyes rule
   * @throws IllegalArgumentException if the reason breaks its rule, naming the character
   */
  void approve(String model, int number, Stage stage, Actor actor, String reason);

  /**
   * Returns production to the previous production version, through the policy's rollback gates. It is a promotion,
   * audited as a rollback.
   *
   * @param model the model
   * @param actor who does it
   * @param reason why
   * @return the report
   * @throws IllegalStateException if there is no previous production version or the policy forbids rollbacks
   */
  PromotionReport rollback(String model, Actor actor, String reason);

  /**
   * Deletes a version. Its number is never reused, and its audit trail and provenance stay. A version in PRODUCTION or
   * STAGING must be archived first; a version holding aliases needs {@code force}, which removes them, each audited.
   *
   * @param model the model
   * @param number the version
   * @param actor who does it
   * @param force whether to remove its aliases
   */
  void deleteVersion(String model, int number, Actor actor, boolean force);

  /**
   * Returns the promotion policy stored in the workspace for a model, which every registry on the workspace enforces.
   *
   * @param model the model
   * @return the stored policy, or {@link PromotionPolicy#defaults()} if none was set
   * @since 0.1.0
   */
  PromotionPolicy policy(String model);

  /**
   * Stores a model's promotion policy in the workspace, replacing the one before. From the commit on, every registry
   * on the workspace, in every process, evaluates its gates and applies its rules; a promotion whose gates were judged
   * against the old policy fails with {@link PromotionConflictException}. The change is checked by the authorizer as
   * {@link Action#SET_POLICY} and audited with the old and the new policy. The model need not exist yet.
   *
   * <p>Gates are stored as their {@link PromotionGate#spec()}: the built-in gates of {@link Gates}, and gates of your
   * own as {@link Gates#named(String)} references to gates registered in {@link NamedGates}.
   *
   * @param model the model
   * @param policy the policy
   * @param actor who changes it
   * @param reason why, for the audit trail
   * @throws IllegalArgumentException if a gate of the policy has no spec, naming it
   * @throws AccessDeniedException if the authorizer refuses the actor
   * @since 0.1.0
   */
  void setPolicy(String model, PromotionPolicy policy, Actor actor, String reason);

  /**
   * Returns a model's audit trail.
   *
   * @param model the model
   * @return the trail
   */
  AuditLog audit(String model);

  /**
   * Follows the version in a stage, for serving. The model need not exist yet: a serving process may start before
   * the first promotion, and the handle picks the version up when one is promoted.
   *
   * @param model the model
   * @param stage the stage, usually PRODUCTION
   * @param codec the codec its versions are stored with
   * @param <T> the model type
   * @return the live handle
   */
  <T> LiveModel<T> live(String model, Stage stage, ModelCodec<T> codec);

  /**
   * Follows the version an alias points at, for serving.
   *
   * @param model the model
   * @param alias the alias, such as {@code champion}
   * @param codec the codec its versions are stored with
   * @param <T> the model type
   * @return the live handle
   * @throws IllegalArgumentException if the alias is not a name, or is reserved ({@code latest}, {@code v<digits>}, a
   *     number), which no alias can be, so the handle could never resolve
   */
  <T> LiveModel<T> live(String model, String alias, ModelCodec<T> codec);

  /** Stops the registry's live handles and polling. Idempotent. */
  @Override
  void close();

  /**
   * Configures a {@link ModelRegistry}. Not thread-safe.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.STABLE, since = "0.1.0")
  final class Builder {
    private final Workspace workspace;
    private @Nullable Authorizer authorizer;
    private final Map<String, PromotionPolicy> policies = new java.util.HashMap<>();
    private final java.util.List<RegistryListener> listeners = new java.util.ArrayList<>();
    private Duration pollInterval = Duration.ofSeconds(5);

    private Builder(Workspace workspace) {
      this.workspace = Objects.requireNonNull(workspace, "workspace");
    }

    /**
     * Adds an authorizer for this registry object only, consulted after the workspace's: it can refuse more, never
     * allow what the workspace's refuses.
     *
     * @param value the authorizer
     * @return this builder
     * @deprecated the authorizer belongs to the workspace, so that no registry, lifecycle or tool opened on it can
     *     leave it out: set it with {@code Workspace.builder().attribute(Authorizer.KEY, authorizer)}
     */
    @Deprecated(since = "0.1.0")
    public Builder authorizer(Authorizer value) {
      authorizer = Objects.requireNonNull(value, "authorizer");
      return this;
    }

    /**
     * Adds rules to a model's stored policy for the promotions of this registry object only, with
     * {@link PromotionPolicy#combine}: its gates are added to the stored ones, and the rules it sets can only be
     * stricter. It never drops a stored gate or loosens a stored rule.
     *
     * @param model the model
     * @param policy the rules to add
     * @return this builder
     * @deprecated a policy held by one registry object is not seen by other registries or processes: store it in the
     *     workspace with {@link ModelRegistry#setPolicy}, or add gates to one promotion with
     *     {@link Promotion#gates}
     */
    @Deprecated(since = "0.1.0")
    public Builder policy(String model, PromotionPolicy policy) {
      dev.opskit.Names.requireValidName("model", model);
      policies.put(model, Objects.requireNonNull(policy, "policy"));
      return this;
    }

    /**
     * Adds a listener of registry events.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(RegistryListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Sets how often live handles check for changes made by other processes; 5 seconds by default.
     *
     * @param interval the interval, positive
     * @return this builder
     */
    public Builder pollInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("pollInterval must be positive, got " + interval);
      }
      pollInterval = interval;
      return this;
    }

    /**
     * Builds the registry.
     *
     * @return the registry
     */
    public ModelRegistry build() {
      return new RegistryImpl(workspace, authorizer, policies, listeners, pollInterval);
    }
  }
}
