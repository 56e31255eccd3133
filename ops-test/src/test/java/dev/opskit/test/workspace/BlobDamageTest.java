package dev.opskit.test.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.opskit.Workspace;
import dev.opskit.core.internal.blob.BlobManifests;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.data.Rows;
import dev.opskit.pipeline.Dataset;
import dev.opskit.store.BlobManifest;
import dev.opskit.store.BlobNotFoundException;
import dev.opskit.store.BlobStore;
import dev.opskit.store.CorruptBlobException;
import dev.opskit.store.MetadataStore;
import dev.opskit.test.PostgresTestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No byte of a damaged blob reaches a reader (DESIGN.md, "Trust"), partial reads included: every kind of damage to a
 * version's blob file, read whole, streamed to the end and partly streamed ({@code findFirst}, {@code limit(100)}), on
 * every metadata store, for a blob of one chunk and one of several, with its manifest recorded and without (a blob
 * stored before manifests). Every row a reader gets is the row committed at its place; the damage is reported as
 * {@link CorruptBlobException} (or {@link BlobNotFoundException} for a deleted blob), never as a parse error.
 */
class BlobDamageTest {
  /** A row: about 110 bytes of JSON. */
  public record Line(long id, String text) {
    static Line of(long id) {
      return new Line(id, "line " + id + " " + "abcdefghij".repeat(8));
    }
  }

  static final Dataset<Rows<Line>> LINES = Datasets.jsonLines("damage/lines", Line.class);
  static final Dataset<Rows<Line>> OTHER = Datasets.jsonLines("damage/other", Line.class);
  /** Rows of a blob of several chunks (about 4.3 MiB) and of one chunk. */
  static final long MANY_ROWS = 40_000;
  static final long FEW_ROWS = 50;

  enum Backend { IN_MEMORY, H2, POSTGRES }

  enum Damage { FLIPPED_BYTE, TRUNCATED, APPENDED, SWAPPED_WITH_ANOTHER_BLOB, DELETED, SYMLINK_TO_ANOTHER_BLOB }

  enum Read { WHOLE, STREAMED, FIND_FIRST, LIMIT_100 }

  @TempDir
  Path dir;
  private @Nullable PostgresTestDatabase database;

  @AfterEach
  void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (Backend backend : Backend.values()) {
      for (Damage damage : Damage.values()) {
        for (long rows : new long[] {MANY_ROWS, FEW_ROWS}) {
          for (boolean manifest : new boolean[] {true, false}) {
            all.add(Arguments.of(backend, damage, rows, manifest));
          }
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}, {1}, {2} rows, manifest recorded: {3}")
  @MethodSource("cases")
  void noRowOfADamagedVersionReachesAReader(Backend backend, Damage damage, long rows, boolean manifest)
      throws IOException {
    try (Workspace ws = open(backend)) {
      Catalog catalog = Catalog.in(ws);
      DatasetVersion v = catalog.commit(LINES, lines(0, rows));
      DatasetVersion other = catalog.commit(OTHER, lines(1_000_000, rows));
      if (!manifest) {
        forgetManifest(ws.metadata(), v.id());
      }
      damage(damage, blobFile(v.id()), blobFile(other.id()));
      Class<? extends RuntimeException> expected = damage == Damage.DELETED
          ? BlobNotFoundException.class : CorruptBlobException.class;
      // A partial read may end before the damage only where the first chunk is intact and checked on its own.
      boolean firstChunkIntact = rows == MANY_ROWS && manifest && (damage == Damage.FLIPPED_BYTE
          || damage == Damage.TRUNCATED || damage == Damage.APPENDED);

      for (Read read : Read.values()) {
        List<Line> delivered = new ArrayList<>();
        Throwable thrown = catchThrowable(() -> read(catalog, v, read, delivered));

        for (int i = 0; i < delivered.size(); i++) {
          assertThat(delivered.get(i)).as("%s: row %s handed out", read, i).isEqualTo(Line.of(i));
        }
        boolean partial = read == Read.FIND_FIRST || read == Read.LIMIT_100;
        if (partial && firstChunkIntact) {
          if (thrown != null) {
            assertThat(thrown).as(read.name()).isInstanceOf(expected);
          }
        } else {
          assertThat(thrown).as("%s of a version with %s", read, damage).isInstanceOf(expected)
              .hasMessageContaining(v.id());
        }
      }
      // Reading did not repair or remove anything: the damage is still reported.
      assertThat(catchThrowable(() -> catalog.read(LINES, v.id()).count())).isInstanceOf(expected);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void anUndamagedVersionReadsBackWholeStreamedAndPartly(Backend backend) {
    try (Workspace ws = open(backend)) {
      Catalog catalog = Catalog.in(ws);
      DatasetVersion v = catalog.commit(LINES, lines(0, MANY_ROWS));

      for (Read read : Read.values()) {
        List<Line> delivered = new ArrayList<>();
        read(catalog, v, read, delivered);
        long expected = switch (read) {
          case WHOLE, STREAMED -> MANY_ROWS;
          case FIND_FIRST -> 1;
          case LIMIT_100 -> 100;
        };
        assertThat(delivered).as(read.name()).hasSize((int) expected);
        assertThat(delivered.get(delivered.size() - 1)).isEqualTo(Line.of(expected - 1));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aCommitRecordsTheManifestOfItsBlobInTheMetadataStore(Backend backend) throws IOException {
    try (Workspace ws = open(backend)) {
      DatasetVersion v = Catalog.in(ws).commit(LINES, lines(0, MANY_ROWS));

      Optional<BlobManifest> recorded = BlobManifests.find(ws.metadata(), v.id());

      assertThat(recorded).isPresent();
      assertThat(recorded.get().size()).isEqualTo(v.size());
      assertThat(recorded.get().chunks()).isEqualTo((v.size() + BlobManifest.DEFAULT_CHUNK_SIZE - 1)
          / BlobManifest.DEFAULT_CHUNK_SIZE).isGreaterThan(3);
      assertThat(recorded).contains(BlobManifest.scan(ws.blobs(), v.id()));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aBlobStoredWithoutAManifestGetsOneOnItsFirstCheckedRead(Backend backend) {
    try (Workspace ws = open(backend)) {
      Catalog catalog = Catalog.in(ws);
      DatasetVersion v = catalog.commit(LINES, lines(0, MANY_ROWS));
      forgetManifest(ws.metadata(), v.id());

      assertThat(catalog.read(LINES, v.id()).stream().findFirst()).contains(Line.of(0));

      assertThat(BlobManifests.find(ws.metadata(), v.id())).contains(BlobManifest.scan(ws.blobs(), v.id()));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void garbageCollectionRemovesTheManifestsOfTheBlobsItDeletes(Backend backend) {
    try (Workspace ws = open(backend)) {
      Catalog catalog = Catalog.in(ws);
      DatasetVersion old = catalog.commit(LINES, lines(0, FEW_ROWS));
      DatasetVersion kept = catalog.commit(LINES, lines(7, FEW_ROWS));

      catalog.gc(dev.opskit.data.RetentionPolicy.keepLast(1).withGracePeriod(java.time.Duration.ZERO)).run();

      assertThat(BlobManifests.find(ws.metadata(), old.id())).isEmpty();
      assertThat(BlobManifests.find(ws.metadata(), kept.id())).isPresent();
    }
  }

  // Helpers

  private static void read(Catalog catalog, DatasetVersion v, Read read, List<Line> delivered) {
    Rows<Line> rows = catalog.read(LINES, v.id());
    switch (read) {
      case WHOLE -> delivered.addAll(rows.toList());
      case STREAMED -> {
        try (Stream<Line> s = rows.stream()) {
          s.forEach(delivered::add);
        }
      }
      case FIND_FIRST -> {
        try (Stream<Line> s = rows.stream()) {
          s.findFirst().ifPresent(delivered::add);
        }
      }
      case LIMIT_100 -> {
        try (Stream<Line> s = rows.stream()) {
          s.limit(100).forEach(delivered::add);
        }
      }
    }
  }

  private Workspace open(Backend backend) {
    Path blobs = dir.resolve("blobs");
    return switch (backend) {
      case IN_MEMORY -> Workspace.builder().open(MetadataStore.inMemory(), BlobStore.local(blobs));
      case H2 -> Workspace.local(dir);
      case POSTGRES -> {
        database = PostgresTestDatabase.create();
        yield Workspace.postgres(database.dataSource(), blobs);
      }
    };
  }

  private Path blobFile(String id) {
    return dir.resolve("blobs").resolve(id.substring(0, 2)).resolve(id.substring(2));
  }

  private static Rows<Line> lines(long first, long n) {
    return Rows.from(() -> LongStream.range(first, first + n).mapToObj(Line::of));
  }

  private static void forgetManifest(MetadataStore metadata, String id) {
    metadata.transact(tx -> {
      BlobManifests.forget(tx, id);
      return null;
    });
  }

  private static void damage(Damage damage, Path file, Path other) throws IOException {
    long size = Files.size(file);
    switch (damage) {
      case FLIPPED_BYTE -> {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
          ByteBuffer one = ByteBuffer.allocate(1);
          channel.read(one, size / 2);
          one.put(0, (byte) (one.get(0) ^ 1)).rewind();
          channel.write(one, size / 2);
        }
      }
      case TRUNCATED -> {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.truncate(size / 2);
        }
      }
      case APPENDED -> Files.write(file, "{\"id\":424242,\"text\":\"appended\"}\n".getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.APPEND);
      case SWAPPED_WITH_ANOTHER_BLOB -> Files.copy(other, file, StandardCopyOption.REPLACE_EXISTING);
      case DELETED -> Files.delete(file);
      case SYMLINK_TO_ANOTHER_BLOB -> {
        Files.delete(file);
        Files.createSymbolicLink(file, other);
      }
    }
  }

  /** Reads a blob's bytes, for a look at what was stored. */
  static byte[] bytes(BlobStore blobs, String id) throws IOException {
    try (InputStream in = blobs.open(id)) {
      return in.readAllBytes();
    }
  }
}
