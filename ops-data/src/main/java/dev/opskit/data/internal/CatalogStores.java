package dev.opskit.data.internal;

import dev.opskit.store.BlobStore;
import dev.opskit.store.MetadataStore;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What every part of the catalog works on: the workspace's stores and clock.
 *
 * @param metadata the metadata store, where versions, commits and tags are records
 * @param blobs the blob store, where content is written
 * @param checkedBlobs the blobs as readers get them: every byte checked against the manifest recorded in
 *     {@code metadata}
 * @param clock the workspace's clock
 * @param scratchRoot where codecs materialize content, one directory per version
 */
record CatalogStores(MetadataStore metadata, BlobStore blobs, BlobStore checkedBlobs, Clock clock, Path scratchRoot) {}
