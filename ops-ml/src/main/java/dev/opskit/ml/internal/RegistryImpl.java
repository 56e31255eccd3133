package dev.opskit.ml.internal;

import dev.opskit.Names;
import dev.opskit.OpsException;
import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.core.internal.ConflictRetry;
import dev.opskit.core.internal.blob.BlobManifests;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelNotFoundException;
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
import dev.opskit.ml.internal.input.ModelUri;
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
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
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
 * {@link Comparisons}'; this class delegates to them. Thread-safe.
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

  static String versionKey(String model, int number) {
    return model + "/" + padded(number, 10);
  }

  /** A non-negative number in decimal, zero-padded on the left to {@code width} digits, so keys sort by number. */
  static String padded(long number, int width) {
    String digits = Long.toString(number);
    if (number < 0 || digits.length() >= width) {
      return number < 0 ? String.format("%0" + width + "d", number) : digits;
    }
    return "0".repeat(width - digits.length()) + digits;
  }

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
  public RegisteredModel createModel(String name, String description, Map<String, String> tags, Actor actor) {
    return admin.create(name, description, tags, actor);
  }

  @Override
  public RegisteredModel updateModel(String name, String description, Actor actor) {
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

  /** A text attribute's value: its first 1,024 chars, not splitting a surrogate pair. */
  static String cut(String value) {
    if (value.length() <= 1024) {
      return value;
    }
    return value.substring(0, Character.isHighSurrogate(value.charAt(1023)) ? 1023 : 1024);
  }

  static Map<String, Object> modelAttributes(Docs.ModelDoc doc) {
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("name", doc.name());
    attrs.put("created_at", doc.createdAt());
    // what a model search filters on: a few per model, written only when the model itself changes
    if (!doc.description().isEmpty()) {
      attrs.put("description", cut(doc.description()));
    }
    doc.tags().forEach((k, value) -> attrs.put("tags." + k, cut(value)));
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
    int highest = head != null && head.knowsHighest() ? head.highest() : highestNumber(tx, doc.name());
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

  /** The highest version number a model has used, deleted versions included: the last of its version keys. */
  static int highestNumber(Transaction tx, String model) {
    List<StoredRecord> highest = tx.query(RecordQuery.in(VERSIONS).keyPrefix(model + "/").orderByKey(false)
        .limit(1)).items();
    return highest.isEmpty() ? 0 : ((Long) highest.get(0).attributes().get("number")).intValue();
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

  static ModelVersion withState(ModelVersion v, ModelVersionStatus status, Stage stage, @Nullable String artifact,
      List<String> aliases, Instant updatedAt) {
    return new ModelVersion(v.model(), v.number(), status, stage, artifact, v.format(), v.signature(), v.provenance(),
        v.tags(), aliases, v.description(), v.registeredBy(), v.createdAt(), updatedAt, v.copiedFrom());
  }

  /** The prefix of a parameter's attribute. */
  static final String PARAMS = "params.";

  /**
   * Whether a parameter is indexed for search: its key, after {@value #PARAMS}, fits an attribute name (at most
   * {@link dev.opskit.store.StoredRecord#MAX_KEY_LENGTH} characters in all) and holds no control character.
   */
  static boolean searchableParam(String key) {
    if (key.isEmpty() || PARAMS.length() + key.length() > dev.opskit.store.StoredRecord.MAX_KEY_LENGTH) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) < 0x20 || key.charAt(i) == 0x7f) {
        return false;
      }
    }
    return true;
  }

  static Map<String, Object> versionAttributes(ModelVersion v, @Nullable String idempotencyKey) {
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("model", v.model());
    attrs.put("number", (long) v.number());
    attrs.put("status", v.status().name());
    attrs.put("stage", v.stage().name());
    // Only what queries filter or order by: every attribute costs index entries in each write of the version.
    attrs.put("updated_at", v.updatedAt());
    attrs.put("created_at", v.createdAt());
    v.provenance().metrics().forEach((k, value) -> attrs.put("metrics." + k, value));
    // parameters are text, cut like tags; a key a filter could not name (a control character, or too long for an
    // attribute name) is left out of the index, and only of the index
    v.provenance().params().forEach((k, value) -> {
      if (searchableParam(k)) {
        attrs.put(PARAMS + k, cut(value));
      }
    });
    // where it came from, for search; each only when present, so a version without it costs no index entry
    if (v.provenance().trackingRun() != null) {
      attrs.put("run_id", v.provenance().trackingRun());
    }
    if (v.provenance().pipelineRun() != null) {
      attrs.put("pipeline_run_id", v.provenance().pipelineRun());
    }
    if (v.copiedFrom() != null) {
      attrs.put("source", v.copiedFrom());
    }
    v.tags().forEach((k, value) -> attrs.put("tags." + k, cut(value)));
    for (String alias : v.aliases()) {
      attrs.put("alias." + alias, true);
    }
    attrs.put("deleted", false);
    return attrs;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading versions

  ModelVersion readVersion(Transaction tx, String model, int number) {
    Optional<StoredRecord> r = tx.get(VERSIONS, versionKey(model, number));
    if (r.isEmpty() || Docs.version(r.get().body()).deleted()) {
      if (tx.get(MODELS, model).isEmpty()) {
        throw noModelIn(tx, model);
      }
      int highest = highestNumber(tx, model);
      String range = highest == 0 ? "it has no versions yet" : "its versions are 1 to " + highest;
      throw new ModelVersionNotFoundException("model '" + model + "' has no version " + number
          + (r.isPresent() ? " (it was deleted)" : "") + "; " + range);
    }
    return Docs.version(r.get().body()).version();
  }

  static ModelNotFoundException noModelIn(Transaction tx, String model) {
    Optional<StoredRecord> former = tx.get(ModelAdmin.FORMER, model);
    if (former.isPresent()) {
      Docs.FormerDoc doc = Docs.former(former.get().body());
      return doc.renamedTo() != null ? ModelNotFoundException.renamed(model, doc.renamedTo())
          : ModelNotFoundException.deleted(model, doc.at());
    }
    List<String> known = tx.query(RecordQuery.in(MODELS).limit(10)).items().stream().map(StoredRecord::key).toList();
    return new ModelNotFoundException(model, known);
  }

  @Override
  public ModelVersion version(String model, int number) {
    modelName(model);
    return store.transact(tx -> readVersion(tx, model, number));
  }

  @Override
  public Page<ModelVersion> versions(String model, int limit, long offset) {
    modelName(model);
    checkLimit(limit);
    return store.transact(tx -> {
      if (tx.get(MODELS, model).isEmpty()) {
        throw noModelIn(tx, model);
      }
      if (offset > 0) {
        OptionalInt top = pageTop(tx, model, offset);
        if (top.isPresent()) {
          // the page's first number is known: read from it down by the number attribute's index, skipping nothing
          Page<StoredRecord> page = tx.query(RecordQuery.in(VERSIONS).keyPrefix(model + "/")
              .where("number", Op.LE, (long) top.getAsInt()).where("deleted", Op.DISTINCT_FROM, true)
              .orderBy("number", false).limit(limit));
          return new Page<>(page.items(), offset, page.hasMore()).map(r -> Docs.version(r.body()).version());
        }
      }
      // newest first: the model's version keys sort by number, so this reads a key range from its end
      return tx.query(RecordQuery.in(VERSIONS).keyPrefix(model + "/").where("deleted", Op.DISTINCT_FROM, true)
          .orderByKey(false).limit(limit).offset(offset)).map(r -> Docs.version(r.body()).version());
    });
  }

  /** The most deleted versions {@link #pageTop} reads to place a page; beyond it a page skips records instead. */
  static final int PAGE_TOP_DELETED = 1_000;

  /**
   * The number of the first version of the page of a model's undeleted versions, newest first, that starts after
   * {@code offset} of them, found without reading the versions above it: numbers run from 1 to the highest without
   * gaps (a number taken keeps its record, deleted or not), so the page starts {@code offset} numbers below the highest,
   * and one lower for each deleted version met on the way, read from the deleted versions' index entries. Skipping
   * 99,900 records read each of them: about 50 ms on H2, and more on every deeper page.
   *
   * @return the number; empty if the model has no version there, or so many deleted ones that skipping is cheaper
   */
  private static OptionalInt pageTop(Transaction tx, String model, long offset) {
    int highest = ModelHeads.read(tx, model).filter(ModelHeads.Head::knowsHighest).map(ModelHeads.Head::highest)
        .orElseGet(() -> highestNumber(tx, model));
    if (offset >= highest) {
      return OptionalInt.empty();
    }
    Page<StoredRecord> deleted = tx.query(RecordQuery.in(VERSIONS).keyPrefix(model + "/")
        .where("deleted", Op.EQ, true).orderBy("deleted", true).limit(PAGE_TOP_DELETED));
    if (deleted.hasMore()) {
      return OptionalInt.empty();
    }
    List<Integer> numbers = new ArrayList<>();
    for (StoredRecord r : deleted.items()) {
      numbers.add(Integer.parseInt(r.key().substring(r.key().lastIndexOf('/') + 1)));
    }
    numbers.sort(java.util.Comparator.reverseOrder());
    long top = highest - offset;
    for (int d : numbers) {
      if (d >= top) {
        top--; // a deleted version above (or at) the candidate: the page starts one lower
      } else {
        break;
      }
    }
    return top < 1 ? OptionalInt.empty() : OptionalInt.of((int) top);
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
    ModelUri parsed = ModelUri.parse(uri);
    String model = parsed.model();
    if (parsed.kind() == ModelUri.Kind.ALIAS) {
      String alias = Objects.requireNonNull(parsed.alias());
      return store.transact(tx -> {
        Optional<StoredRecord> a = tx.get(ALIASES, aliasKey(model, alias));
        if (a.isEmpty()) {
          if (tx.get(MODELS, model).isEmpty()) {
            throw noModelIn(tx, model);
          }
          throw new ModelVersionNotFoundException("model '" + model + "' has no alias '" + alias + "'; its aliases "
              + "are " + aliasesIn(tx, model).keySet());
        }
        return readVersion(tx, model, Integer.parseInt(a.get().body()));
      });
    }
    if (parsed.kind() == ModelUri.Kind.NUMBER) {
      return version(model, parsed.number());
    }
    if (parsed.kind() == ModelUri.Kind.LATEST) {
      return store.transact(tx -> {
        // two key lookups: the model's head names its newest READY version
        int latest = ModelHeads.latestReady(tx, model);
        if (latest == 0) {
          if (tx.get(MODELS, model).isEmpty()) {
            throw noModelIn(tx, model);
          }
          throw new ModelVersionNotFoundException("model '" + model + "' has no READY version");
        }
        return readVersion(tx, model, latest);
      });
    }
    Stage stage = Objects.requireNonNull(parsed.stage());
    return store.transact(tx -> {
      List<Integer> holders = stageHolders(tx, model, stage);
      if (holders.isEmpty()) {
        if (tx.get(MODELS, model).isEmpty()) {
          throw noModelIn(tx, model);
        }
        throw new ModelVersionNotFoundException("model '" + model + "' has no version in " + stage);
      }
      return readVersion(tx, model, holders.get(holders.size() - 1));
    });
  }

  @Override
  public <T> T load(String uri, ModelCodec<T> codec) {
    Objects.requireNonNull(codec, "codec");
    return loadVersion(resolve(uri), codec);
  }

  <T> T loadVersion(ModelVersion v, ModelCodec<T> codec) {
    if (v.status() != ModelVersionStatus.READY || v.artifact() == null) {
      throw new IllegalStateException(v + " is " + v.status() + " and has no artifact to load");
    }
    if (!codec.format().equals(v.format())) {
      throw new OpsException(v.model() + " v" + v.number() + " was stored as " + v.format() + " but is loaded with a "
          + codec.format() + " codec (" + codec + "); load it with the codec it was registered with");
    }
    // Checked chunk by chunk against the manifest in the metadata store: a decoder never sees a damaged byte.
    try (InputStream in = BlobManifests.open(store, workspace.blobs(), v.artifact())) {
      return codec.decode(in);
    } catch (IOException e) {
      throw new OpsException("could not load " + v.model() + " v" + v.number() + ": " + e.getMessage(), e);
    }
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

  /**
   * Writes a version's record, for the first time ({@code previous} null) or over the one read, in the caller's
   * transaction. The caller then writes the model's head ({@link ModelHeads}) and the audit record, in that order and
   * after every version, alias and stage record: rows locked in one order by every transaction cannot deadlock, and a
   * head written between two version rows did (PostgreSQL found a deadlock every two seconds in the soak).
   */
  static void writeVersion(Transaction tx, @Nullable StoredRecord previous, ModelVersion v, boolean deleted) {
    String body = Docs.write(new Docs.VersionDoc(v, deleted));
    if (previous == null) {
      tx.insert(VERSIONS, versionKey(v.model(), v.number()), body, deletedAttributes(v, deleted));
    } else {
      tx.update(previous, body, deletedAttributes(v, deleted));
    }
  }

  private static Map<String, Object> deletedAttributes(ModelVersion v, boolean deleted) {
    Map<String, Object> attrs = versionAttributes(v, null);
    if (deleted) {
      attrs.put("deleted", true);
    }
    return attrs;
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
      Optional<StoredRecord> found = tx.get(VERSIONS, versionKey(model, number));
      if (found.isEmpty()) {
        readVersion(tx, model, number); // throws the documented not-found, naming the model or the version range
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
      StoredRecord fresh = tx.require(VERSIONS, versionKey(model, number));
      ModelVersion current = Docs.version(fresh.body()).version();
      writeVersion(tx, fresh, current, true);
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
    return audit.log(model);
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
    return register(new LiveModelImpl<>(this, model, "models:/" + model + "/" + stage.name().toLowerCase(Locale.ROOT),
        codec));
  }

  @Override
  public <T> LiveModel<T> live(String model, String alias, ModelCodec<T> codec) {
    modelName(model);
    checkAlias(alias);
    return register(new LiveModelImpl<>(this, model, "models:/" + model + "@" + alias, codec));
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
