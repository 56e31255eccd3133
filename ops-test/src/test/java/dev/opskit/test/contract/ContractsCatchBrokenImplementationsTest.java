package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.run.Executor;
import dev.opskit.run.StepTask;
import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobManifest;
import dev.opskit.store.BlobStore;
import dev.opskit.test.KitLauncher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The contract suites fail, naming the broken rule, when an implementation breaks it: a kit that cannot fail is no kit. */
class ContractsCatchBrokenImplementationsTest {
  private static final String RANDOM_DAGS = "everyStepOfRandomDagsRunsOnceAfterItsProducersWithTheDirectExecutorsOutputs";

  @Test
  void anExecutorThatRunsTasksInsideExecuteIsCaught() {
    KitLauncher.Outcome outcome = KitLauncher.launch(InlineExecutorTest.class, RANDOM_DAGS);
    assertThat(outcome.failedTests()).containsExactly(RANDOM_DAGS);
    assertThat(outcome.messages()).contains("steps that ran inside Executor.execute");
  }

  @Test
  void anExecutorThatLosesTasksIsCaughtWithinTheBound() {
    KitLauncher.Outcome outcome = KitLauncher.launch(LossyExecutorTest.class, RANDOM_DAGS);
    assertThat(outcome.failedTests()).containsExactly(RANDOM_DAGS);
    assertThat(outcome.messages()).contains("did not end within PT1S under executor lossy",
        "does it run every task it is given?");
  }

  @Test
  void aCodecThatClosesTheStreamIsCaught() {
    KitLauncher.Outcome outcome = KitLauncher.launch(ClosingCodecTest.class);
    assertThat(outcome.failedTests()).containsExactly("encodeLeavesTheStreamOpen");
    assertThat(outcome.messages()).contains("closed the stream it was given");
  }

  @Test
  void aCodecWhoseBytesChangeFromOneEncodingToTheNextIsCaught() {
    KitLauncher.Outcome outcome = KitLauncher.launch(StampingCodecTest.class);
    assertThat(outcome.failedTests()).contains("theSameModelAlwaysEncodesToTheSameBytes",
        "encodingFromSeveralThreadsAtOnceGivesTheSameBytes");
    assertThat(outcome.messages()).contains("encoded twice by the same codec gave different bytes");
  }

  @Test
  void aCodecThatDecodesPartialContentIsCaught() {
    KitLauncher.Outcome outcome = KitLauncher.launch(LinesCodecTest.class);
    assertThat(outcome.failedTests()).containsExactlyInAnyOrder(
        "decodingATruncatedArtifactFailsRatherThanReturningAnotherModel",
        "decodingGarbageFailsRatherThanReturningAModel");
    assertThat(outcome.messages()).contains("instead of failing; a codec must reject an incomplete artifact");
  }

  @Test
  void aCodecThatWritesTheSameBytesForEveryModelIsCaught() {
    KitLauncher.Outcome outcome = KitLauncher.launch(ConstantCodecTest.class);
    assertThat(outcome.failedTests()).contains("everySampleSurvivesARoundTrip", "differentModelsEncodeToDifferentBytes");
    assertThat(outcome.messages()).contains("would be stored as one artifact");
  }

  @Test
  void aKitWithoutTwoDifferentSamplesSaysWhatItNeeds() {
    KitLauncher.Outcome outcome = KitLauncher.launch(OneSampleTest.class, "everySampleSurvivesARoundTrip");
    assertThat(outcome.messages()).contains("sampleModels() must return at least two models that differ");
  }

  @Test
  void aBlobStoreThatChecksOnlyTheWholeBlobWhenReadWithAManifestIsCaught() {
    KitLauncher.Outcome outcome = KitLauncher.launch(EndCheckedBlobStoreTest.class);
    assertThat(outcome.failedTests()).containsExactlyInAnyOrder(
        "aManifestReadHandsOutNoByteOfADamagedChunkNorAnyAfterIt",
        "aManifestReadOfADamagedOneChunkBlobHandsOutNothing",
        "aManifestReadFindsAManifestThatDoesNotMatchTheContentBeforeHandingOutAByte");
    assertThat(outcome.messages()).contains("bytes handed out");
  }

  @Test
  void aBlobStoreThatHandsOutARangeUncheckedIsCaught() {
    KitLauncher.Outcome outcome = KitLauncher.launch(UncheckedRangeBlobStoreTest.class);
    assertThat(outcome.failedTests()).containsExactlyInAnyOrder(
        "aRangeHandsOutNoByteOfADamagedChunkNorAnyAfterIt",
        "aRangeOfAManifestWithoutChunkDigestsIsCheckedFromTheBlobsStart",
        "aRangeFindsChunkDigestsThatDoNotMatchTheContentBeforeHandingOutAByte",
        "badRangesAreRefusedNamingTheValues");
    assertThat(outcome.messages()).contains("damage at", "a manifest without chunk digests");
  }

  @Test
  void aBlobStoreThatChecksARangeFromTheBlobsStartIsCaught() {
    KitLauncher.Outcome outcome = KitLauncher.launch(FromTheStartRangeBlobStoreTest.class);
    assertThat(outcome.failedTests()).containsExactlyInAnyOrder("aRangeIsNotFailedByDamageOutsideItsChunks",
        "aRangeOfAManifestWithoutChunkDigestsIsCheckedFromTheBlobsStart",
        "aRangeFindsChunkDigestsThatDoNotMatchTheContentBeforeHandingOutAByte");
    assertThat(outcome.messages()).contains("do not match the manifest");
  }

  @Test
  void theBrokenImplementationsAreSkippedWhenNotLaunchedByTheKitSelfTests() {
    assertThat(InlineExecutorTest.class.getAnnotation(ExtendWith.class).value())
        .containsExactly(KitLauncher.OnlyWhenLaunched.class);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Broken executors

  /** Runs every task on the calling thread, inside execute: steps nest on the stack. */
  @ExtendWith(KitLauncher.OnlyWhenLaunched.class)
  static class InlineExecutorTest extends ExecutorContract {
    @Override
    protected Executor createExecutor() {
      return new Executor() {
        @Override
        public void execute(StepTask task) {
          task.run();
        }

        @Override
        public String name() {
          return "inline";
        }
      };
    }
  }

  /** Drops every seventh task. */
  @ExtendWith(KitLauncher.OnlyWhenLaunched.class)
  static class LossyExecutorTest extends ExecutorContract {
    @Override
    protected Executor createExecutor() {
      Executor parallel = Executor.parallel(2);
      AtomicInteger count = new AtomicInteger();
      return new Executor() {
        @Override
        public void execute(StepTask task) {
          if (count.incrementAndGet() % 7 != 0) {
            parallel.execute(task);
          }
        }

        @Override
        public String name() {
          return "lossy";
        }

        @Override
        public void close() {
          parallel.close();
        }
      };
    }

    @Override
    protected Duration bound() {
      return Duration.ofSeconds(1);
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Broken blob stores

  /**
   * Ignores the manifest it is given and reads the blob as {@code open(id)} does, checking the whole content only at
   * its end: a reader gets damaged chunks before the damage is found.
   */
  @ExtendWith(KitLauncher.OnlyWhenLaunched.class)
  static class EndCheckedBlobStoreTest extends BlobStoreContract {
    @TempDir
    Path dir;

    @Override
    protected BlobStore createStore() {
      BlobStore local = BlobStore.local(dir.resolve("blobs"), clock());
      return new BlobStore() {
        @Override
        public BlobInfo put(InputStream content) {
          return local.put(content);
        }

        @Override
        public BlobInfo write(ContentWriter writer) {
          return local.write(writer);
        }

        @Override
        public InputStream open(String id) {
          return local.open(id);
        }

        @Override
        public InputStream open(String id, BlobManifest manifest) {
          BlobStore.checkManifest(id, manifest);
          return local.open(id);
        }

        @Override
        public Optional<BlobInfo> stat(String id) {
          return local.stat(id);
        }

        @Override
        public boolean delete(String id) {
          return local.delete(id);
        }

        @Override
        public void forEach(Consumer<BlobInfo> each) {
          local.forEach(each);
        }

        @Override
        public String describe() {
          return local.describe();
        }
      };
    }

    @Override
    protected Optional<String> corrupt(BlobStore store, String id) throws IOException {
      Path file = BlobFiles.pathOf(dir.resolve("blobs"), id);
      BlobFiles.flipBit(file, Files.size(file) - 1);
      return Optional.of(file.toString());
    }

    @Override
    protected Optional<String> corrupt(BlobStore store, String id, long offset) throws IOException {
      Path file = BlobFiles.pathOf(dir.resolve("blobs"), id);
      BlobFiles.flipBit(file, offset);
      return Optional.of(file.toString());
    }
  }

  /** Hands out a range from {@code open(id)}, skipped and cut, without checking its chunks or the range. */
  @ExtendWith(KitLauncher.OnlyWhenLaunched.class)
  static class UncheckedRangeBlobStoreTest extends LocalRangeBlobStoreTest {
    @Override
    InputStream range(BlobStore local, String id, BlobManifest manifest, long offset, long length)
        throws IOException {
      InputStream in = local.open(id);
      in.skipNBytes(offset);
      return new java.io.ByteArrayInputStream(in.readNBytes((int) length));
    }
  }

  /** Checks a range from the blob's start against the checkpoints, ignoring the chunk digests the manifest holds. */
  @ExtendWith(KitLauncher.OnlyWhenLaunched.class)
  static class FromTheStartRangeBlobStoreTest extends LocalRangeBlobStoreTest {
    @Override
    InputStream range(BlobStore local, String id, BlobManifest manifest, long offset, long length) {
      return local.openRange(id, manifest.withoutChunkDigests(), offset, length);
    }
  }

  /** A local store whose ranged reads a subclass breaks. */
  abstract static class LocalRangeBlobStoreTest extends BlobStoreContract {
    @TempDir
    Path dir;

    abstract InputStream range(BlobStore local, String id, BlobManifest manifest, long offset, long length)
        throws IOException;

    @Override
    protected BlobStore createStore() {
      BlobStore local = BlobStore.local(dir.resolve("blobs"), clock());
      return new BlobStore() {
        @Override
        public BlobInfo put(InputStream content) {
          return local.put(content);
        }

        @Override
        public BlobInfo write(ContentWriter writer) {
          return local.write(writer);
        }

        @Override
        public InputStream open(String id) {
          return local.open(id);
        }

        @Override
        public InputStream openRange(String id, BlobManifest manifest, long offset, long length) {
          BlobStore.checkManifest(id, manifest);
          try {
            return range(local, id, manifest, offset, length);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }

        @Override
        public Optional<BlobInfo> stat(String id) {
          return local.stat(id);
        }

        @Override
        public boolean delete(String id) {
          return local.delete(id);
        }

        @Override
        public void forEach(Consumer<BlobInfo> each) {
          local.forEach(each);
        }

        @Override
        public String describe() {
          return local.describe();
        }
      };
    }

    @Override
    protected Optional<String> corrupt(BlobStore store, String id, long offset) throws IOException {
      Path file = BlobFiles.pathOf(dir.resolve("blobs"), id);
      BlobFiles.flipBit(file, offset);
      return Optional.of(file.toString());
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Broken codecs

  /** A model of the codec tests. */
  record Weights(double bias, double slope) {}

  /** Samples shared by the broken codecs of weights. */
  abstract static class WeightsCodecTest extends ModelCodecContract<Weights> {
    @Override
    protected List<Weights> sampleModels() {
      return List.of(new Weights(0.5, 2.0), new Weights(-1.0, 0.0), new Weights(3.0, 1e-9));
    }
  }

  /** Closes the caller's stream after writing. */
  @ExtendWith(KitLauncher.OnlyWhenLaunched.class)
  static class ClosingCodecTest extends WeightsCodecTest {
    @Override
    protected ModelCodec<Weights> createCodec() {
      ModelCodec<Weights> json = ModelCodecs.json(Weights.class);
      return new ModelCodec<>() {
        @Override
        public String format() {
          return "json";
        }

        @Override
        public void encode(Weights model, OutputStream out) throws IOException {
          json.encode(model, out);
          out.close();
        }

        @Override
        public Weights decode(InputStream in) throws IOException {
          return json.decode(in);
        }
      };
    }
  }

  /** Appends a counter to every encoding, as a timestamp would. */
  @ExtendWith(KitLauncher.OnlyWhenLaunched.class)
  static class StampingCodecTest extends WeightsCodecTest {
    private static final AtomicInteger STAMPS = new AtomicInteger();

    @Override
    protected ModelCodec<Weights> createCodec() {
      return new ModelCodec<>() {
        @Override
        public String format() {
          return "stamped";
        }

        @Override
        public void encode(Weights model, OutputStream out) throws IOException {
          out.write((model.bias() + "," + model.slope() + "," + STAMPS.incrementAndGet())
              .getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public Weights decode(InputStream in) throws IOException {
          String[] parts = new String(in.readAllBytes(), StandardCharsets.UTF_8).split(",");
          if (parts.length != 3) {
            throw new IOException("not a stamped model");
          }
          return new Weights(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
        }
      };
    }
  }

  /** Stores a list of lines; any prefix decodes to fewer or shorter lines. */
  @ExtendWith(KitLauncher.OnlyWhenLaunched.class)
  static class LinesCodecTest extends ModelCodecContract<List<String>> {
    @Override
    protected ModelCodec<List<String>> createCodec() {
      return new ModelCodec<>() {
        @Override
        public String format() {
          return "lines";
        }

        @Override
        public void encode(List<String> model, OutputStream out) throws IOException {
          out.write(String.join("\n", model).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public List<String> decode(InputStream in) throws IOException {
          return Arrays.asList(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1));
        }
      };
    }

    @Override
    protected List<List<String>> sampleModels() {
      return List.of(List.of("alpha", "beta"), List.of("gamma"));
    }
  }

  /** Writes the same bytes whatever the model. */
  @ExtendWith(KitLauncher.OnlyWhenLaunched.class)
  static class ConstantCodecTest extends WeightsCodecTest {
    @Override
    protected ModelCodec<Weights> createCodec() {
      return new ModelCodec<>() {
        @Override
        public String format() {
          return "constant";
        }

        @Override
        public void encode(Weights model, OutputStream out) throws IOException {
          out.write(new byte[] {42});
        }

        @Override
        public Weights decode(InputStream in) throws IOException {
          ByteArrayOutputStream all = new ByteArrayOutputStream();
          in.transferTo(all);
          if (!Arrays.equals(all.toByteArray(), new byte[] {42})) {
            throw new IOException("not a constant model");
          }
          return new Weights(0, 0);
        }
      };
    }
  }

  /** Supplies a single sample, too few to tell a codec from a constant. */
  @ExtendWith(KitLauncher.OnlyWhenLaunched.class)
  static class OneSampleTest extends ModelCodecContract<Weights> {
    @Override
    protected ModelCodec<Weights> createCodec() {
      return ModelCodecs.json(Weights.class);
    }

    @Override
    protected List<Weights> sampleModels() {
      return List.of(new Weights(1, 1));
    }
  }
}
