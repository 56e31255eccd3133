package dev.opskit.ml;

import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.ml.access.AccessDeniedException;
import dev.opskit.ml.access.Action;
import dev.opskit.ml.access.Authorizer;
import dev.opskit.ml.audit.AuditLog;
import dev.opskit.ml.audit.AuditedModel;
import dev.opskit.ml.internal.RegistryImpl;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.promotion.NamedGates;
import dev.opskit.ml.promotion.Promotion;
import dev.opskit.ml.promotion.PromotionConflictException;
import dev.opskit.ml.promotion.PromotionGate;
import dev.opskit.ml.promotion.PromotionPolicy;
import dev.opskit.ml.promotion.PromotionReport;
import dev.opskit.ml.search.ModelSearch;
import dev.opskit.ml.search.RegisteredModelSearch;
import dev.opskit.ml.serving.LiveModel;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
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
   * Creates a model that does not exist yet. It never changes an existing model: use {@link #updateModel} for its
   * description and {@link #setModelTag} for its tags. A name that a deleted model had can be created again; its
   * version numbers continue after the deleted model's, since numbers are never reused. A name that a renamed model had
   * is free again; the new model's numbers start at 1, as none of its versions stayed under that name.
   *
   * <pre>{@code
   * registry.createModel("churn", "who churns next month", Map.of("team", "risk"), ci);
   * registry.createModel("scratch", null, null, ci);   // no description, no tags
   * }</pre>
   *
   * @param name the model name
   * @param description free text with no NUL or other control character but tab and line breaks; null for none,
   *     the same as {@code ""}
   * @param tags tags, each checked as by {@link #setModelTag}; null for none, the same as an empty map
   * @param actor who does it, checked as {@link Action#CREATE_MODEL}
   * @return the model
   * @throws ModelAlreadyExistsException naming the model, if it exists
   */
  RegisteredModel createModel(String name, @Nullable String description, @Nullable Map<String, String> tags,
      Actor actor);

  /**
   * Changes a model's description. Its {@link RegisteredModel#updatedAt()} advances, in the same transaction.
   *
   * @param name the model name
   * @param description the new description: text with no NUL or other control character but tab and line breaks;
   *     null for none, which clears it (the same as {@code ""})
   * @param actor who does it, checked as {@link Action#UPDATE_MODEL}
   * @return the model as updated
   * @throws ModelNotFoundException if there is no such model
   * @since 0.1.0
   */
  RegisteredModel updateModel(String name, @Nullable String description, Actor actor);

  /**
   * Renames a model. Its versions (renumbered never: {@code models:/old/3} becomes {@code models:/new/3}), aliases,
   * stages, approvals, promotion policy and audit trail follow it, in one transaction; the trail records old and new
   * name, and {@link #audit(String) audit(to)} reads the whole history, the old name's records first. Afterwards
   * {@code models:/from/...} fails with a {@link ModelNotFoundException} naming {@code to}, and so does a registration
   * to {@code from}, until {@code from} is created again with {@link #createModel}. The old name keeps a copy of the
   * promotion policy, so that a model created again under a served name is governed as before until an authorized
   * {@link #setPolicy} changes it. Copies of the model's versions in other models ({@link #copyVersion}) are relinked
   * in the same transaction: their {@link ModelVersion#source()} names {@code to}, and a search on
   * {@code source = 'models:/to/3'} finds them.
   *
   * <p>The new name must never have been used: no model, no policy, no audit trail (a deleted model keeps its trail and
   * its version numbers under its name). A rename reads and rewrites every version of the model, so it is a large
   * transaction for a model with very many versions.
   *
   * @param from the model's name
   * @param to the new name, never used before
   * @param actor who does it, checked as {@link Action#RENAME_MODEL} on both names
   * @return the model under its new name
   * @throws ModelNotFoundException if there is no model {@code from}
   * @throws ModelAlreadyExistsException if a model {@code to} exists
   * @throws IllegalStateException if {@code to} was used before, or a version of {@code from} is still
   *     PENDING_REGISTRATION
   * @since 0.1.0
   */
  RegisteredModel renameModel(String from, String to, Actor actor);

  /**
   * Deletes a model: every version is marked deleted, its aliases are removed (each audited) and its versions in
   * STAGING or PRODUCTION, which only {@code force} allows, are archived. Version records, provenance, approvals, the
   * promotion policy and the audit trail stay: {@link #audit(String)} still reads and
   * {@link AuditLog#verify() verifies} the trail, which records the deletion. If the name is created again, its
   * version numbers continue after the deleted model's highest: numbers are never reused.
   *
   * @param name the model
   * @param actor who does it, checked as {@link Action#DELETE_MODEL}, and with {@code force} as {@link Action#DEMOTE}
   *     for each version it takes out of serving
   * @param force whether to delete a model with versions in STAGING or PRODUCTION
   * @throws ModelNotFoundException if there is no such model
   * @throws IllegalStateException without {@code force}, naming the versions in STAGING or PRODUCTION; or if a
   *     version is still PENDING_REGISTRATION
   * @since 0.1.0
   */
  void deleteModel(String name, Actor actor, boolean force);

  /**
   * Copies a READY version into another model as its next version, MLflow's dev-to-prod registry workflow: the copy
   * shares the artifact (the same content id, nothing is uploaded again), keeps the format, signature, provenance,
   * tags and description, starts in stage NONE with no aliases, and records where it came from
   * ({@link ModelVersion#source()}, and the audit record of the registration). The target model is created if it does
   * not exist. The source is named by its model's current name: a {@link #renameModel rename} of the source model
   * rewrites it, so {@code source()} keeps resolving to the version copied (the audit record keeps the URI of the
   * time).
   *
   * @param model the source model
   * @param number the source version, READY
   * @param toModel the target model; may be the same model
   * @param actor who does it, checked as {@link Action#REGISTER} on the target
   * @return the new version
   * @throws ModelNotFoundException if the source model does not exist, or the target was renamed
   * @throws ModelVersionNotFoundException if the source version does not exist
   * @throws IllegalStateException if the source version is not READY
   * @since 0.1.0
   */
  ModelVersion copyVersion(String model, int number, String toModel, Actor actor);

  /**
   * Returns the newest version in each stage, in one call and one read transaction: the version holding PRODUCTION,
   * the newest in STAGING, and the highest-numbered undeleted version in NONE and in ARCHIVED (whatever its status).
   *
   * @param model the model
   * @return the newest version by stage, for the stages that have one, in stage order
   * @throws ModelNotFoundException if there is no such model
   * @since 0.1.0
   */
  Map<Stage, ModelVersion> latestVersions(String model);

  /**
   * Sets one tag of a model, audited. Keys follow {@link dev.opskit.Names#NAME_RULE}; values are text of at most
   * {@value #MAX_TAG_VALUE_LENGTH} characters, with no NUL or other control character but tab and line breaks.
   *
   * @param model the model
   * @param key the tag key
   * @param value the value
   * @param actor who does it, checked as {@link Action#SET_TAG} with version 0
   * @return the old value, or empty if the tag was not set
   * @throws IllegalArgumentException naming the tag and the rule it breaks
   * @throws ModelNotFoundException if there is no such model
   * @since 0.1.0
   */
  Optional<String> setModelTag(String model, String key, String value, Actor actor);

  /**
   * Deletes one tag of a model, audited. Deleting a tag that is not set returns false; it is not an error.
   *
   * @param model the model
   * @param key the tag key
   * @param actor who does it, checked as {@link Action#SET_TAG} with version 0
   * @return whether the tag was set
   * @since 0.1.0
   */
  boolean deleteModelTag(String model, String key, Actor actor);

  /**
   * Sets one tag of a version, audited; its rules are those of {@link #setModelTag}.
   *
   * @param model the model
   * @param number the version
   * @param key the tag key
   * @param value the value
   * @param actor who does it, checked as {@link Action#SET_TAG} with the version
   * @return the old value, or empty if the tag was not set
   * @since 0.1.0
   */
  Optional<String> setVersionTag(String model, int number, String key, String value, Actor actor);

  /**
   * Deletes one tag of a version, audited. Deleting a tag that is not set returns false.
   *
   * @param model the model
   * @param number the version
   * @param key the tag key
   * @param actor who does it, checked as {@link Action#SET_TAG} with the version
   * @return whether the tag was set
   * @since 0.1.0
   */
  boolean deleteVersionTag(String model, int number, String key, Actor actor);

  /** The longest tag value, in UTF-16 chars: {@value}. MLflow's limit is the same. */
  int MAX_TAG_VALUE_LENGTH = 5000;

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
   * Lists a model's versions, newest first. Each version carries its stage and aliases, so one call gives a console
   * everything it lists per version: one key-range read of the model's versions, no read per version.
   *
   * @param model the model name
   * @param limit the page size
   * @param offset how many to skip
   * @return one page
   */
  Page<ModelVersion> versions(String model, int limit, long offset);

  /**
   * Compares versions of one model side by side: metrics, parameters, dataset inputs and the gate results of their
   * stage changes. Reads each version by key, in one transaction, and then the model's audit trail (one key range):
   * a stage change committed between the two reads can appear among a column's changes before its version's stage.
   *
   * <pre>{@code
   * VersionComparison c = registry.compare("churn", 3, 5, 7);
   * c.metric("auc");   // {3=0.81, 5=0.84, 7=0.83}
   * }</pre>
   *
   * @param model the model
   * @param numbers the version numbers, 1 to 100 of them, each once, in the order of the columns
   * @return the comparison
   * @throws IllegalArgumentException naming the numbers, if there are none, more than 100, or one repeats or is
   *     below 1
   * @throws ModelNotFoundException if the model does not exist
   * @throws ModelVersionNotFoundException naming the version, if one does not exist or was deleted
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  VersionComparison compare(String model, int... numbers);

  /**
   * Returns the stage and alias history of a model, built from its audit trail (the trails of names it was renamed
   * from included): who moved which version or alias, when, from where to where, why, and with which gate evidence.
   * A deleted model's timeline is built from its trail too, and ends with the versions its deletion archived and the
   * aliases it removed.
   *
   * @param model the model, or a deleted one
   * @return the timeline, oldest first; empty for a model with no stage or alias change
   * @throws ModelNotFoundException if no model has the name and none was deleted under it; for a name renamed away,
   *     naming the new name, whose timeline holds the old name's history
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  ModelTimeline timeline(String model);

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
   * Starts a search over registered models, by name, tag and description.
   *
   * @return a new search
   * @since 0.1.0
   */
  RegisteredModelSearch searchModels();

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
   * Prepares a promotion of a version to another stage. A promotion to {@link Stage#NONE} is a demotion: it takes a
   * version out of STAGING, PRODUCTION or ARCHIVED through the gates the policy sets for NONE (none by default), is
   * checked as {@link Action#DEMOTE} and audited like a promotion.
   *
   * @param model the model
   * @param number the version
   * @return the promotion, to configure and {@link Promotion#execute()}
   */
  Promotion promote(String model, int number);

  /**
   * Records an approval of a version for a stage, counted by {@link Gates#approvals(int)}. An actor approves a version
   * for a stage once; under the four-eyes rule, not a version they registered. An approval counts for the next
   * promotion of the version to the stage only: that promotion uses it up, whether or not a gate counted it, so a
   * version that leaves the stage and comes back needs new approvals. A version is not approved for the stage it is
   * in. Demotions ({@link Stage#NONE}) and archiving ({@link Stage#ARCHIVED}) take approvals only when the model's
   * policy gates them with a gate that may count approvals ({@link Gates#approvals(int)}, or a gate registered by
   * name).
   *
   * @param model the model
   * @param number the version
   * @param stage the stage it may go to
   * @param actor who approves
   * @param reason why: text, with no NUL or other control character but tab and line breaks, and no bidi control
   * @throws IllegalStateException if the actor (by {@linkplain Actor#id() canonical id}) already approved it for the
   *     stage since its last promotion there, or registered it under the four-eyes rule, or if the version is in the
   *     stage already
   * @throws IllegalArgumentException if the reason breaks its rule, naming the character; or if the stage is NONE or
   *     ARCHIVED and the model's policy has no gate for it that may count approvals
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
   * Returns the audit trail kept under a name. That is a model's trail (with the trails of the names it was renamed
   * from), and also, once no model has the name, the trail of a deleted model or of a name renamed away (which ends
   * with the rename): both stay readable and verifiable. A name nothing was ever recorded under is an error, not an
   * empty trail that verifies, so a misspelt name in a compliance check fails.
   *
   * @param model the name
   * @return the trail
   * @throws ModelNotFoundException if the name has no model, no deleted or renamed one and no trail, suggesting the
   *     closest names that have one
   */
  AuditLog audit(String model);

  /**
   * Lists the names that have an audit trail, in name order, each with what became of its model: the registered
   * models, deleted models, names renamed away, and names with a stored policy or a recorded refusal but no model.
   * {@link #models(int, long)} lists only the registered ones; a tool that verifies every trail pages through these.
   *
   * <pre>{@code
   * Page<AuditedModel> page = registry.auditedModels(500, 0);   // then page.nextOffset()
   * }</pre>
   *
   * @param limit the page size, from 1 to 1000
   * @param offset how many names to skip, at least 0
   * @return one page of names
   * @throws IllegalArgumentException if the limit or the offset is out of range
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  Page<AuditedModel> auditedModels(int limit, long offset);

  /**
   * Tells what became of the model of a name that has an audit trail: registered, deleted (and when), renamed (to
   * what, and when), or never a model.
   *
   * @param name the name
   * @return the name and its state, or empty if the name has no model, no deleted or renamed one and no trail
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  Optional<AuditedModel> auditedModel(String name);

  /**
   * Follows the version in a stage, for serving. The handle switches when a promotion or rollback moves the stage to
   * another version; stops serving when no version holds the stage any more (the version was demoted or moved to
   * another stage, or the model was deleted), so that it never serves what a new handle would not; and follows its
   * model across a rename. See {@link LiveModel}.
   *
   * <p>The model need not exist yet: a serving process may start before the first registration, and the handle
   * serves the first version promoted to the stage. Until then its {@link LiveModel#get()} throws a
   * {@link ModelVersionNotFoundException} that says why: no version in the stage yet, no model of that name (with the
   * registered names closest to it), a deleted model, or a renamed one (with its new name).
   *
   * @param model the model
   * @param stage the stage, usually PRODUCTION
   * @param codec the codec its versions are stored with
   * @param <T> the model type
   * @return the live handle
   */
  <T> LiveModel<T> live(String model, Stage stage, ModelCodec<T> codec);

  /**
   * Follows the version an alias points at, for serving. The handle switches when the alias moves, stops serving when
   * the alias is removed (or its model deleted), and follows its model across a rename; like
   * {@link #live(String, Stage, ModelCodec)}, it may be opened before the model or the alias exists.
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
