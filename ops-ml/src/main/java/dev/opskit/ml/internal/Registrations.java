package dev.opskit.ml.internal;

import dev.opskit.OpsException;
import dev.opskit.core.internal.blob.BlobManifests;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionStatus;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Registration;
import dev.opskit.ml.Signature;
import dev.opskit.ml.Stage;
import dev.opskit.ml.access.Action;
import dev.opskit.ml.internal.input.Arguments;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.tracking.DatasetInput;
import dev.opskit.store.BlobManifest;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Registrations of new versions: a {@link Registration} being prepared, and its {@code register()}, which takes the
 * model's next version number (creating the model if it does not exist), stores the artifact, and records the version
 * READY (or FAILED_REGISTRATION), with its artifact and input datasets pinned against garbage collection and an audit
 * record. An artifact up to {@value #INLINE_ARTIFACT_BYTES} bytes is stored first and its version recorded in one
 * transaction; a larger one takes its number first and is PENDING_REGISTRATION while it is stored. A registration with
 * an idempotency key ({@value RegistryImpl#IDEMPOTENCY}) that already registered a version returns that version. Each
 * transaction writes the version record, then the model's head, then the audit record, in the registry's one lock
 * order. Thread-safe; a registration being prepared is used by one thread.
 */
final class Registrations {
  private final RegistryImpl registry;
  private final MetadataStore store;

  Registrations(RegistryImpl registry) {
    this.registry = registry;
    this.store = registry.store;
  }

  /** A registration of a version of {@code model}, to be prepared and then registered once. */
  <T> Registration<T> prepare(String model, T artifact, ModelCodec<T> codec) {
    RegistryImpl.modelName(model);
    Objects.requireNonNull(artifact, "artifact");
    Objects.requireNonNull(codec, "codec");
    return new RegistrationImpl<>(model, artifact, codec);
  }

  private final class RegistrationImpl<T> implements Registration<T> {
    private final String model;
    private final T artifact;
    private final ModelCodec<T> codec;
    private Provenance provenance = Provenance.none();
    private Signature signature = Signature.none();
    private final Map<String, String> tags = new TreeMap<>();
    private String description = "";
    private @Nullable String idempotencyKey;
    private @Nullable Actor actor;
    private boolean spent;

    RegistrationImpl(String model, T artifact, ModelCodec<T> codec) {
      this.model = model;
      this.artifact = artifact;
      this.codec = codec;
    }

    @Override
    public Registration<T> provenance(Provenance value) {
      provenance = Objects.requireNonNull(value, "provenance");
      return this;
    }

    @Override
    public Registration<T> signature(Signature value) {
      signature = Objects.requireNonNull(value, "signature");
      return this;
    }

    @Override
    public Registration<T> tags(Map<String, String> value) {
      Arguments.tags(value).forEach(tags::put);
      return this;
    }

    @Override
    public Registration<T> description(String value) {
      description = Arguments.text("description", value);
      return this;
    }

    @Override
    public Registration<T> idempotencyKey(String key) {
      Objects.requireNonNull(key, "key");
      if (key.isBlank()) {
        throw new IllegalArgumentException("an idempotency key must not be blank");
      }
      Arguments.text("idempotency key", key);
      idempotencyKey = key;
      return this;
    }

    @Override
    public Registration<T> by(Actor value) {
      actor = Objects.requireNonNull(value, "actor");
      return this;
    }

    @Override
    public ModelVersion register() {
      if (spent) {
        throw new IllegalStateException("this registration was already used; prepare a new one");
      }
      spent = true;
      if (actor == null) {
        throw new IllegalStateException("say who registers with by(actor) before register()");
      }
      Actor who = actor;
      registry.authorize(who, Action.REGISTER, model, 0);
      String idemKey = idempotencyKey == null ? null : model + "/" + RegistryImpl.sha(idempotencyKey).substring(0, 40);
      if (idemKey != null) {
        ModelVersion prior = store.transact(tx -> priorVersion(tx, idemKey));
        if (prior != null) {
          return prior;
        }
      }

      // A small artifact is stored first, and the version is recorded READY in one transaction.
      InlineArtifact inline = new InlineArtifact(INLINE_ARTIFACT_BYTES);
      Throwable encodeFailure = null;
      try {
        codec.encode(artifact, inline);
      } catch (IOException | RuntimeException e) {
        encodeFailure = e;
      }
      if (!inline.overflowed) {
        BlobManifest manifest = null;
        Throwable failure = encodeFailure;
        if (failure == null) {
          try {
            manifest = registry.workspace().blobs().writeWithManifest(out -> inline.writeTo(out));
          } catch (RuntimeException e) {
            failure = e;
          }
        }
        // The artifact's manifest is recorded in the transaction that records the version: one commit, not two.
        BlobManifest written = manifest;
        String stored = manifest == null ? null : manifest.id();
        Throwable failed = failure;
        Taken recorded = takeOnce(idemKey, tx -> {
          if (written != null) {
            BlobManifests.record(tx, written);
          }
          return settle(tx, take(tx, who, idemKey), stored, who, failed, true);
        });
        return recorded.prior() ? recorded.version() : announce(recorded.version(), failed);
      }

      // A large artifact takes its number first and is PENDING_REGISTRATION while it is stored.
      Taken pending = takeOnce(idemKey, tx -> {
        ModelVersion taken = take(tx, who, idemKey);
        VersionRecords.writeVersion(tx, null, taken, false);
        ModelHeads.versionWritten(tx, taken, false, taken.updatedAt());
        return taken;
      });
      if (pending.prior()) {
        return pending.version();
      }
      ModelVersion v = pending.version();
      String artifactId = null;
      Throwable failure = null;
      try {
        artifactId = BlobManifests.write(store, registry.workspace().blobs(), out -> codec.encode(artifact, out)).id();
      } catch (RuntimeException e) {
        failure = e;
      }
      String stored = artifactId;
      Throwable failed = failure;
      ModelVersion done = registry.retrying(() -> store.transact(tx -> {
        StoredRecord record = tx.require(RegistryImpl.VERSIONS, VersionRecords.versionKey(v.model(), v.number()));
        return settle(tx, Docs.version(record.body()).version(), stored, who, failed, false);
      }));
      return announce(done, failed);
    }

    /**
     * Runs a transaction that takes a number, unless the idempotency key already registered a version, which is then
     * returned instead, marked as prior.
     */
    private Taken takeOnce(@Nullable String idemKey, java.util.function.Function<Transaction, ModelVersion> work) {
      return registry.retrying(() -> store.transact(tx -> {
        ModelVersion prior = idemKey == null ? null : priorVersion(tx, idemKey);
        return prior != null ? new Taken(prior, true) : new Taken(work.apply(tx), false);
      }));
    }

    /** The version an idempotency key already registered, or null. */
    private @Nullable ModelVersion priorVersion(Transaction tx, String idemKey) {
      Optional<StoredRecord> prior = tx.get(RegistryImpl.IDEMPOTENCY, idemKey);
      return prior.isPresent() ? VersionRecords.readVersion(tx, model, Integer.parseInt(prior.get().body())) : null;
    }

    /**
     * Takes the next number, and the idempotency key if there is one, in the caller's transaction; returns the version
     * as PENDING_REGISTRATION for the caller to record.
     */
    private ModelVersion take(Transaction tx, Actor who, @Nullable String idemKey) {
      Instant now = registry.clock.instant();
      Docs.ModelDoc doc = ModelAdmin.ensure(tx, model, now);
      int number = Math.toIntExact(tx.increment(doc.counterName()));
      ModelVersion v = new ModelVersion(model, number, ModelVersionStatus.PENDING_REGISTRATION, Stage.NONE, null,
          codec.format(), signature, provenance, tags, List.of(), description, who.principal(), now, now);
      if (idemKey != null) {
        tx.insert(RegistryImpl.IDEMPOTENCY, idemKey, Integer.toString(number),
            Map.of("model", model, "version", (long) number));
      }
      return v;
    }

    /** Publishes a registered version, or throws for one that failed. */
    private ModelVersion announce(ModelVersion v, @Nullable Throwable failure) {
      if (failure != null) {
        throw new OpsException("registration of " + model + " v" + v.number() + " failed while storing its "
            + "artifact with " + codec + ": " + failure.getMessage() + "; the version is recorded as "
            + "FAILED_REGISTRATION", failure);
      }
      registry.hub().publish("onRegistered", l -> l.onRegistered(v));
      return v;
    }
  }

  /** A version a registration recorded, or the one its idempotency key had already registered ({@code prior}). */
  private record Taken(ModelVersion version, boolean prior) {}

  /** Artifacts up to this size are encoded in memory, stored, and then recorded READY in one transaction. */
  static final int INLINE_ARTIFACT_BYTES = 1 << 20;

  /** An encoded artifact held in memory, up to a limit; a write past it fails and sets {@link #overflowed}. */
  private static final class InlineArtifact extends java.io.OutputStream {
    private final int limit;
    private byte[] bytes = new byte[1024];
    private int size;
    boolean overflowed;

    InlineArtifact(int limit) {
      this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (overflowed || len > limit - size) {
        overflowed = true;
        throw new IOException("the artifact is larger than " + limit + " bytes; it is stored as it is encoded");
      }
      if (size + len > bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, Math.min(limit, Math.max(size + len, bytes.length * 2)));
      }
      System.arraycopy(b, off, bytes, size, len);
      size += len;
    }

    void writeTo(java.io.OutputStream out) throws IOException {
      out.write(bytes, 0, size);
    }
  }

  /**
   * Records the outcome of storing a version's artifact in the caller's transaction: READY with the artifact, or
   * FAILED_REGISTRATION; pins the artifact and the input datasets, and appends the audit record.
   *
   * @param insert whether the version is recorded for the first time, rather than updated from PENDING_REGISTRATION
   */
  private ModelVersion settle(Transaction tx, ModelVersion pending, @Nullable String artifact, Actor actor,
      @Nullable Throwable failure, boolean insert) {
    Instant now = registry.clock.instant();
    ModelVersionStatus status = failure == null ? ModelVersionStatus.READY : ModelVersionStatus.FAILED_REGISTRATION;
    ModelVersion done = VersionRecords.withState(pending, status, pending.stage(), artifact, pending.aliases(),
        insert ? pending.updatedAt() : now);
    String key = VersionRecords.versionKey(pending.model(), pending.number());
    VersionRecords.writeVersion(tx, insert ? null : tx.require(RegistryImpl.VERSIONS, key), done, false);
    if (artifact != null) {
      pin(tx, done);
    }
    Map<String, String> after = new LinkedHashMap<>();
    after.put("status", status.name());
    if (artifact != null) {
      after.put("artifact", artifact);
    }
    if (failure != null) {
      after.put("error", String.valueOf(failure.getMessage()));
    }
    ModelHeads.versionWritten(tx, done, false, now);
    registry.audit.append(tx, pending.model(), Action.REGISTER.name(), actor, now, pending.number(), Map.of(), after,
        "", List.of());
    return done;
  }

  /**
   * Pins a READY version's artifact and input datasets against garbage collection, in the caller's transaction. The
   * artifact's pin is keyed by its id, so a copy of a version shares its source's.
   */
  static void pin(Transaction tx, ModelVersion v) {
    String artifact = Objects.requireNonNull(v.artifact(), "artifact");
    Map<String, Object> pin = new LinkedHashMap<>();
    pin.put("owner", "registry");
    pin.put("model", v.model());
    pin.put("version", (long) v.number());
    if (tx.get(RegistryImpl.BLOB_PINS, artifact).isEmpty()) {
      tx.insert(RegistryImpl.BLOB_PINS, artifact, "", pin);
    }
    String key = VersionRecords.versionKey(v.model(), v.number());
    for (DatasetInput input : v.provenance().datasets()) {
      String pinKey = key + ":" + RegistryImpl.sha(input.dataset()).substring(0, 16);
      if (tx.get(RegistryImpl.DATASET_PINS, pinKey).isEmpty()) {
        tx.insert(RegistryImpl.DATASET_PINS, pinKey, "", Map.of("dataset", input.dataset(), "version", input.version(),
            "owner", "registry"));
      }
    }
  }
}
