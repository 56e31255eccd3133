package dev.opskit.ml.internal;

import static dev.opskit.ml.internal.RegistryImpl.ALIASES;
import static dev.opskit.ml.internal.RegistryImpl.MODELS;

import dev.opskit.OpsException;
import dev.opskit.Workspace;
import dev.opskit.core.internal.blob.BlobManifests;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionNotFoundException;
import dev.opskit.ml.ModelVersionStatus;
import dev.opskit.ml.Stage;
import dev.opskit.ml.internal.input.ModelUri;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.StoredRecord;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolves {@code models:/} URIs to versions and loads their artifacts: a number, an alias, {@code latest} (the model's
 * head names its newest READY version) or a stage, each one or two key lookups whatever the number of versions.
 */
final class Resolver {
  private final MetadataStore store;
  private final Workspace workspace;
  private final RegistryImpl registry;

  Resolver(MetadataStore store, Workspace workspace, RegistryImpl registry) {
    this.store = store;
    this.workspace = workspace;
    this.registry = registry;
  }

  /**
   * The version a URI names.
   *
   * @param uri the URI
   * @return the version
   */
  ModelVersion resolve(String uri) {
    ModelUri parsed = ModelUri.parse(uri);
    String model = parsed.model();
    if (parsed.kind() == ModelUri.Kind.ALIAS) {
      String alias = Objects.requireNonNull(parsed.alias());
      return store.transact(tx -> {
        Optional<StoredRecord> a = tx.get(ALIASES, RegistryImpl.aliasKey(model, alias));
        if (a.isEmpty()) {
          if (tx.get(MODELS, model).isEmpty()) {
            throw VersionRecords.noModelIn(tx, model);
          }
          throw new ModelVersionNotFoundException("model '" + model + "' has no alias '" + alias + "'; its aliases "
              + "are " + registry.aliasesIn(tx, model).keySet());
        }
        return VersionRecords.readVersion(tx, model, Integer.parseInt(a.get().body()));
      });
    }
    if (parsed.kind() == ModelUri.Kind.NUMBER) {
      return store.transact(tx -> VersionRecords.readVersion(tx, model, parsed.number()));
    }
    if (parsed.kind() == ModelUri.Kind.LATEST) {
      return store.transact(tx -> {
        // two key lookups: the model's head names its newest READY version
        int latest = ModelHeads.latestReady(tx, model);
        if (latest == 0) {
          if (tx.get(MODELS, model).isEmpty()) {
            throw VersionRecords.noModelIn(tx, model);
          }
          throw new ModelVersionNotFoundException("model '" + model + "' has no READY version");
        }
        return VersionRecords.readVersion(tx, model, latest);
      });
    }
    Stage stage = Objects.requireNonNull(parsed.stage());
    return store.transact(tx -> {
      List<Integer> holders = RegistryImpl.stageHolders(tx, model, stage);
      if (holders.isEmpty()) {
        if (tx.get(MODELS, model).isEmpty()) {
          throw VersionRecords.noModelIn(tx, model);
        }
        throw new ModelVersionNotFoundException("model '" + model + "' has no version in " + stage);
      }
      return VersionRecords.readVersion(tx, model, holders.get(holders.size() - 1));
    });
  }

  /**
   * Decodes a READY version's artifact, checked chunk by chunk against its manifest.
   *
   * @param v the version
   * @param codec the codec it was registered with
   * @return the model
   */
  <T> T load(ModelVersion v, ModelCodec<T> codec) {
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
}
