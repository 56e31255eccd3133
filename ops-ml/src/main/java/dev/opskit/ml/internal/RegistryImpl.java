package dev.opskit.ml.internal;

import dev.opskit.Names;
import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.core.internal.ConflictRetry;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionNotFoundException;
import dev.opskit.ml.ModelVersionStatus;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.ml.Registration;
import dev.opskit.ml.RegistryListener;
import dev.opskit.ml.Stage;
import dev.opskit.ml.access.AccessDeniedException;
import dev.opskit.ml.access.Action;
import dev.opskit.ml.access.Authorizer;
import dev.opskit.ml.audit.AuditLog;
import dev.opskit.ml.internal.input.Arguments;
import dev.opskit.ml.promotion.Promotion;
import dev.opskit.ml.promotion.PromotionConflictException;
import dev.opskit.ml.promotion.PromotionPolicy;
import dev.opskit.ml.promotion.PromotionReport;
import dev.opskit.ml.search.ModelSearch;
import dev.opskit.ml.search.RegisteredModelSearch;
import dev.opskit.ml.serving.LiveModel;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.RecordQuery.Op;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The registry on a workspace's stores. Records (collections): {@value #MODELS} keyed by name; {@value #VERSIONS}
 * keyed {@code <model>/<number, zero-padded>}; {@value #ALIASES} keyed {@code <model>@<alias>}; {@value #STAGES}
 * keyed {@code <model>#<stage>}, whose body lists the versions in that stage and which every promotion updates with
 * compare-and-set, so that two promotions to one stage cannot both win; {@value #APPROVALS}; {@value #IDEMPOTENCY};
 * and the audit trail in {@value AuditTrail#COLLECTION}. Version numbers come from a counter per model, advanced in the
 * transaction that records the version. Models as a whole (create, update, rename, delete, copy, latest per stage) are
 * {@link ModelAdmin}'s, registrations {@link Registrations}', stages and promotions {@link Promotions}', one-tag
 * edits {@link Tags}', model search {@link RegisteredModelSearchImpl}'s, comparisons and timelines
 * {@link Comparisons}', version records (keys, attributes, reads by page) {@link VersionRecords}', and {@code models:/}
 * URIs {@link Resolver}'s; this class delegates to them. Thread-safe.
 */
public final class RegistryImpl implements ModelRegistry {
  static final String MODELS = "model";
  static final String VERSIONS = "model-version";
  static final String ALIASES = "model-alias";
  static final String STAGES = "model-stage";
  static final String APPROVALS = "model-approval";
  static final String IDEMPOTENCY = "model-idempotency";
  static final String BLOB_PINS = "blob-pin";
  static final String DATASET_PINS = "dataset-pin";

  private final Workspace workspace;
  final MetadataStore store;
  final Clock clock;
  private final Authorizer authorizer;
  private final Map<String, PromotionPolicy> policies;
  private final List<RegistryListener> ownListeners;
  private final Duration pollInterval;
  private final Hub hub;
  final AuditTrail audit;
  private final ModelAdmin admin;
  private final Tags tags;
  private final Aliases aliases;
  private final Approvals approvals;
  private final LiveModels liveModels;
  private final Comparisons comparisons;
  private final Registrations registrations;
  private final Promotions promotions;
  private final Resolver resolver;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Creates the registry.
   *
   * @param workspace the workspace, whose authorizer ({@link Authorizer#KEY}) every write goes through
   * @param extraAuthorizer an authorizer of this registry object, consulted after the workspace's, or null
   * @param policies rules added to the stored policies by model, for this registry object
   * @param listeners event listeners
   * @param pollInterval how often live handles poll
   */
  public RegistryImpl(Workspace workspace, @Nullable Authorizer extraAuthorizer, Map<String, PromotionPolicy> policies,
      List<RegistryListener> listeners, Duration pollInterval) {
    this.workspace = workspace;
    this.store = workspace.metadata();
    this.clock = workspace.clock();
    Authorizer own = workspace.attribute(Authorizer.KEY).orElse(Authorizer.allowAll());
    this.authorizer = extraAuthorizer == null ? own : own.and(extraAuthorizer);
    this.policies = Map.copyOf(policies);
    this.ownListeners = List.copyOf(listeners);
    this.pollInterval = pollInterval;
    this.hub = Hub.of(workspace);
    this.audit = new AuditTrail(store);
    this.admin = new ModelAdmin(this);
    this.tags = new Tags(this);
    this.aliases = new Aliases(this);
    this.approvals = new Approvals(this);
    this.liveModels = new LiveModels(hub, pollInterval);
    this.comparisons = new Comparisons(this);
    this.registrations = new Registrations(this);
    this.promotions = new Promotions(this);
    this.resolver = new Resolver(store, workspace, this);
    ownListeners.forEach(hub::add);
  }

  Workspace workspace() {
    return workspace;
  }

  Hub hub() {
    return hub;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Keys and helpers

  static String aliasKey(String model, String alias) {
    return model + "@" + alias;
  }

  static String stageKey(String model, Stage stage) {
    return model + "#" + stage.name();
  }

  static String modelName(String name) {
    Objects.requireNonNull(name, "model");
    return Names.requireValidName("model", name);
  }

  static String checkAlias(String alias) {
    return Arguments.alias(alias);
  }

  /** Runs a transaction again when it lost a race that a fresh read resolves ({@link ConflictRetry}). */
  <T> T retrying(Supplier<T> work) {
    return ConflictRetry.run(work, e -> e instanceof PromotionConflictException);
  }

  void authorize(Actor actor, Action action, String model, int version) {
    Objects.requireNonNull(actor, "actor");
    Optional<String> answer = authorizer.deny(actor, action, model, version);
    // An authorizer that answers null refuses: a broken authorizer must not let everything through.
    Optional<String> denial = answer == null ? Optional.of("the authorizer gave no answer (null)") : answer;
    if (denial.isPresent()) {
      String target = version > 0 ? model + " v" + version : "model '" + model + "'";
      retrying(() -> store.transact(tx -> {
        audit.append(tx, model, "DENIED:" + action, actor, clock.instant(), version, Map.of(),
            Map.of("denied", denial.get()), "", List.of());
        return null;
      }));
      throw new AccessDeniedException(actor, action, target, denial.get());
    }
  }

  /** The policy a promotion of this registry applies: the stored one, with this registry's added rules. */
  PromotionPolicy effective(PromotionPolicy stored, String model) {
    PromotionPolicy added = policies.get(model);
    return added == null ? stored : stored.combine(added);
  }

  PromotionPolicy policyOf(String model) {
    return effective(store.transact(tx -> PolicyStore.read(tx, model)).policy(), model);
  }

  @Override
  public PromotionPolicy policy(String model) {
    modelName(model);
    return store.transact(tx -> PolicyStore.read(tx, model)).policy();
  }

  @Override
  public void setPolicy(String model, PromotionPolicy policy, Actor actor, String reason) {
    modelName(model);
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(reason, "reason");
    String body = PolicyStore.encode(policy); // refuses gates that are only code before asking anyone
    authorize(actor, Action.SET_POLICY, model, 0);
    retrying(() -> store.transact(tx -> {
      Optional<StoredRecord> existing = tx.get(PolicyStore.COLLECTION, model);
      if (tx.get(MODELS, model).isPresent()) {
        ModelHeads.modelChanged(tx, model, clock.instant()); // a policy change is a change of the model
      }
      audit.append(tx, model, Action.SET_POLICY.name(), actor, clock.instant(), 0,
          Map.of("policy", existing.map(StoredRecord::body).orElse("")), Map.of("policy", body), reason, List.of());
      PolicyStore.write(tx, model, body, existing);
      return null;
    }));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Models

  @Override
  public RegisteredModel createModel(String name, @Nullable String description, @Nullable Map<String, String> tags,
      Actor actor) {
    return admin.create(name, description, tags, actor);
  }

  @Override
  public RegisteredModel updateModel(String name, @Nullable String description, Actor actor) {
    return admin.update(name, description, actor);
  }

  @Override
  public RegisteredModel renameModel(String from, String to, Actor actor) {
    return admin.rename(from, to, actor);
  }

  @Override
  public void deleteModel(String name, Actor actor, boolean force) {
    admin.delete(name, actor, force);
  }

  @Override
  public ModelVersion copyVersion(String model, int number, String toModel, Actor actor) {
    return admin.copy(model, number, toModel, actor);
  }

  @Override
  public Map<Stage, ModelVersion> latestVersions(String model) {
    return admin.latest(model);
  }

  @Override
  public Optional<String> setModelTag(String model, String key, String value, Actor actor) {
    return tags.setOnModel(model, key, value, actor);
  }

  @Override
  public boolean deleteModelTag(String model, String key, Actor actor) {
    return tags.deleteOnModel(model, key, actor);
  }

  @Override
  public Optional<String> setVersionTag(String model, int number, String key, String value, Actor actor) {
    return tags.setOnVersion(model, number, key, value, actor);
  }

  @Override
  public boolean deleteVersionTag(String model, int number, String key, Actor actor) {
    return tags.deleteOnVersion(model, number, key, actor);
  }

  static Map<String, Object> modelAttributes(Docs.ModelDoc doc) {
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("name", doc.name());
    attrs.put("created_at", doc.createdAt());
    // what a model search filters on: a few per model, written only when the model itself changes
    if (!doc.description().isEmpty()) {
      attrs.put("description", VersionRecords.cut(doc.description()));
    }
    doc.tags().forEach((k, value) -> attrs.put("tags." + k, VersionRecords.cut(value)));
    return attrs;
  }

  @Override
  public Optional<RegisteredModel> model(String name) {
    modelName(name);
    return store.transact(tx -> tx.get(MODELS, name).map(r -> toModel(tx, Docs.model(r.body()))));
  }

  RegisteredModel toModel(Transaction tx, Docs.ModelDoc doc) {
    Optional<ModelHeads.Head> head = ModelHeads.read(tx, doc.name());
    return toModel(tx, doc, head.orElse(null));
  }

  /** The model from its record and its head; reads the highest number from the version keys if the head lacks it. */
  private static RegisteredModel toModel(Transaction tx, Docs.ModelDoc doc, ModelHeads.@Nullable Head head) {
    Instant updated = doc.createdAt();
    if (head != null && head.updatedAt().isAfter(updated)) {
      updated = head.updatedAt();
    }
    int highest = head != null && head.knowsHighest() ? head.highest() : VersionRecords.highestNumber(tx, doc.name());
    return new RegisteredModel(doc.name(), doc.description(), doc.tags(), doc.createdAt(), updated, highest);
  }

  /**
   * A page of models from their records, with their heads read in one query: two reads for the page, plus one per model
   * whose head was written before heads held what a page needs (the next change of such a model brings it up to date).
   */
  static List<RegisteredModel> toModels(Transaction tx, List<Docs.ModelDoc> docs) {
    if (docs.isEmpty()) {
      return List.of();
    }
    List<Object> names = new ArrayList<>();
    docs.forEach(d -> names.add(d.name()));
    Map<String, StoredRecord> heads = new HashMap<>();
    // ordered by the name attribute, so that the store seeks each name in its index instead of testing every head
    tx.query(RecordQuery.in(ModelHeads.COLLECTION).where(ModelHeads.NAME, Op.IN, names).orderBy(ModelHeads.NAME, true)
        .limit(names.size()))
        .items().forEach(r -> heads.put(r.key(), r));
    List<RegisteredModel> out = new ArrayList<>(docs.size());
    for (Docs.ModelDoc doc : docs) {
      StoredRecord head = heads.get(doc.name());
      ModelHeads.Head parsed = head == null ? null : ModelHeads.parse(head.body());
      out.add(parsed != null && parsed.gone() == null && parsed.knowsHighest() ? toModel(tx, doc, parsed)
          : toModel(tx, doc, ModelHeads.read(tx, doc.name()).orElse(null)));
    }
    return out;
  }

  @Override
  public Page<RegisteredModel> models(int limit, long offset) {
    checkLimit(limit);
    return store.transact(tx -> {
      Page<StoredRecord> page = tx.query(RecordQuery.in(MODELS).limit(limit).offset(offset));
      List<Docs.ModelDoc> docs = new ArrayList<>();
      page.items().forEach(r -> docs.add(Docs.model(r.body())));
      return new Page<>(toModels(tx, docs), page.offset(), page.hasMore());
    });
  }

  private static void checkLimit(int limit) {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be between 1 and 1000, got " + limit);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Registration

  @Override
  public <T> Registration<T> registration(String model, T artifact, ModelCodec<T> codec) {
    return registrations.prepare(model, artifact, codec);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Version records

  // ---------------------------------------------------------------------------------------------------------------
  // Reading versions

  @Override
  public ModelVersion version(String model, int number) {
    modelName(model);
    return store.transact(tx -> VersionRecords.readVersion(tx, model, number));
  }

  @Override
  public Page<ModelVersion> versions(String model, int limit, long offset) {
    modelName(model);
    checkLimit(limit);
    return store.transact(tx -> VersionRecords.page(tx, model, limit, offset));
  }

  @Override
  public dev.opskit.ml.VersionComparison compare(String model, int... numbers) {
    return comparisons.compare(model, numbers);
  }

  @Override
  public dev.opskit.ml.ModelTimeline timeline(String model) {
    return comparisons.timeline(model);
  }

  @Override
  public ModelVersion resolve(String uri) {
    return resolver.resolve(uri);
  }

  @Override
  public <T> T load(String uri, ModelCodec<T> codec) {
    Objects.requireNonNull(codec, "codec");
    return resolver.load(resolve(uri), codec);
  }

  <T> T loadVersion(ModelVersion v, ModelCodec<T> codec) {
    return resolver.load(v, codec);
  }

  @Override
  public ModelSearch search() {
    return new SearchImpl(store);
  }

  @Override
  public RegisteredModelSearch searchModels() {
    return new RegisteredModelSearchImpl(this);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Aliases

  Map<String, Integer> aliasesIn(Transaction tx, String model) {
    return aliases.in(tx, model);
  }

  @Override
  public Map<String, Integer> aliases(String model) {
    return aliases.of(model);
  }

  @Override
  public int setAlias(String model, String alias, int number, Actor actor) {
    return aliases.set(model, alias, number, actor);
  }

  @Override
  public boolean removeAlias(String model, String alias, Actor actor) {
    return aliases.remove(model, alias, actor);
  }

  int removeAliasIn(Transaction tx, String model, String alias, Actor actor, String reason) {
    return aliases.removeIn(tx, model, alias, actor, reason);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Stages and promotions

  static List<Integer> stageHolders(Transaction tx, String model, Stage stage) {
    return tx.get(STAGES, stageKey(model, stage)).map(r -> parseList(r.body())).orElse(List.of());
  }

  static List<Integer> parseList(String body) {
    List<Integer> out = new ArrayList<>();
    for (String part : body.split(",")) {
      if (!part.isBlank()) {
        out.add(Integer.parseInt(part.strip()));
      }
    }
    return out;
  }

  static String formatList(List<Integer> numbers) {
    StringBuilder sb = new StringBuilder();
    for (int n : numbers) {
      sb.append(sb.length() == 0 ? "" : ",").append(n);
    }
    return sb.toString();
  }

  @Override
  public Promotion promote(String model, int number) {
    return promotions.prepare(model, number);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Approvals, rollback, deletion

  @Override
  public void approve(String model, int number, Stage stage, Actor actor, String reason) {
    approvals.approve(model, number, stage, actor, reason);
  }

  @Override
  public PromotionReport rollback(String model, Actor actor, String reason) {
    modelName(model);
    Arguments.text("reason", reason);
    PromotionPolicy policy = policyOf(model);
    if (!policy.rollbackAllowed()) {
      throw new IllegalStateException("the promotion policy of model '" + model + "' does not allow rollbacks");
    }
    int current = store.transact(tx -> {
      List<Integer> holders = stageHolders(tx, model, Stage.PRODUCTION);
      return holders.isEmpty() ? 0 : holders.get(0);
    });
    List<Integer> history = audit.productionHistory(model);
    int previous = 0;
    for (int i = history.size() - 1; i >= 0; i--) {
      int candidate = history.get(i);
      if (candidate != current && isReady(model, candidate)) {
        previous = candidate;
        break;
      }
    }
    if (previous == 0) {
      throw new IllegalStateException("model '" + model + "' has no earlier production version to roll back to"
          + (current == 0 ? " (nothing is in production)" : " (v" + current + " is the only one there has been)"));
    }
    return promotions.promote(model, previous, Stage.PRODUCTION, actor, reason, List.of(),
        Promotions.PromotionMode.ROLLBACK);
  }

  private boolean isReady(String model, int number) {
    try {
      ModelVersion v = version(model, number);
      return v.status() == ModelVersionStatus.READY;
    } catch (ModelVersionNotFoundException e) {
      return false;
    }
  }

  @Override
  public void deleteVersion(String model, int number, Actor actor, boolean force) {
    modelName(model);
    authorize(actor, Action.DELETE, model, number);
    List<String> removed = new ArrayList<>();
    retrying(() -> store.transact(tx -> {
      removed.clear();
      Optional<StoredRecord> found = tx.get(VERSIONS, VersionRecords.versionKey(model, number));
      if (found.isEmpty()) {
        VersionRecords.readVersion(tx, model, number); // throws the documented not-found, naming the model or the version range
      }
      Docs.VersionDoc doc = Docs.version(found.orElseThrow().body());
      if (doc.deleted()) {
        throw new ModelVersionNotFoundException(model + " v" + number + " was already deleted");
      }
      ModelVersion v = doc.version();
      if (v.stage() == Stage.PRODUCTION || v.stage() == Stage.STAGING) {
        throw new IllegalStateException(model + " v" + number + " is in " + v.stage()
            + " and cannot be deleted; archive it first (promote it to ARCHIVED)");
      }
      if (!v.aliases().isEmpty() && !force) {
        throw new IllegalStateException(model + " v" + number + " holds aliases " + v.aliases()
            + "; remove them, or delete with force, which removes them");
      }
      for (String alias : v.aliases()) {
        removeAliasIn(tx, model, alias, actor, "deleted with " + model + " v" + number);
        removed.add(alias);
      }
      StoredRecord fresh = tx.require(VERSIONS, VersionRecords.versionKey(model, number));
      ModelVersion current = Docs.version(fresh.body()).version();
      VersionRecords.writeVersion(tx, fresh, current, true);
      ModelHeads.versionWritten(tx, current, true, clock.instant());
      audit.append(tx, model, Action.DELETE.name(), actor, clock.instant(), number,
          Map.of("stage", v.stage().name()), Map.of("deleted", "true"), "", List.of());
      return null;
    }));
    for (String alias : removed) {
      hub.publish("onAliasRemoved", l -> l.onAliasRemoved(model, alias, number));
    }
  }

  @Override
  public AuditLog audit(String model) {
    modelName(model);
    // A deleted model's trail, or a name's up to its rename, is read like any other; a name never used is an error,
    // not an empty trail that verifies.
    store.transact(tx -> AuditedModels.of(tx, model).orElseThrow(() -> AuditedModels.never(tx, model)));
    return audit.log(model);
  }

  @Override
  public Page<dev.opskit.ml.audit.AuditedModel> auditedModels(int limit, long offset) {
    checkLimit(limit);
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, got " + offset);
    }
    return store.transact(tx -> AuditedModels.page(tx, limit, offset));
  }

  @Override
  public Optional<dev.opskit.ml.audit.AuditedModel> auditedModel(String name) {
    modelName(name);
    return store.transact(tx -> AuditedModels.of(tx, name));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Live models

  @Override
  public <T> LiveModel<T> live(String model, Stage stage, ModelCodec<T> codec) {
    modelName(model);
    Objects.requireNonNull(stage, "stage");
    if (stage != Stage.PRODUCTION && stage != Stage.STAGING) {
      throw new IllegalArgumentException("a live model follows PRODUCTION, STAGING or an alias, not " + stage);
    }
    return register(new LiveModelImpl<>(this, model, LiveLookup.Target.of(stage), codec));
  }

  @Override
  public <T> LiveModel<T> live(String model, String alias, ModelCodec<T> codec) {
    modelName(model);
    checkAlias(alias);
    return register(new LiveModelImpl<>(this, model, LiveLookup.Target.of(alias), codec));
  }

  private <T> LiveModel<T> register(LiveModelImpl<T> live) {
    return liveModels.follow(live);
  }

  void closed(LiveModelImpl<?> live) {
    liveModels.closed(live);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    liveModels.close();
    ownListeners.forEach(hub::remove);
  }

  static String sha(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
