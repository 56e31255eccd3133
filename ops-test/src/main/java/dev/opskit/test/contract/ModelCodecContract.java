package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.opskit.ml.serving.ModelCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link ModelCodec}, as an abstract JUnit 5 suite. A version's artifact is stored under the hash of
 * its bytes, so a codec must do more than round-trip: the same model must always give the same bytes, different
 * models different bytes, and content that is not a whole artifact must fail to decode rather than load as another
 * model. The suite checks, over the sample models a subclass supplies:
 *
 * <ul>
 *   <li>{@link ModelCodec#format()} is non-blank, trimmed, and the same on every call and every instance;
 *   <li>every sample survives encode then decode;
 *   <li>encoding is deterministic: twice, on a fresh instance, from several threads at once, and after a round trip,
 *       the bytes are the same; different samples give different bytes;
 *   <li>{@code encode} leaves the stream open;
 *   <li>decoding a truncated artifact, or random garbage, throws instead of returning a model.
 * </ul>
 *
 * <pre>{@code
 * class ScorecardCodecTest extends ModelCodecContract<Scorecard> {
 *   @Override
 *   protected ModelCodec<Scorecard> createCodec() {
 *     return new ScorecardCodec();
 *   }
 *
 *   @Override
 *   protected List<Scorecard> sampleModels() {
 *     return List.of(new Scorecard(0.5, List.of(1.0, 2.0)), new Scorecard(-1.0, List.of()));
 *   }
 * }
 * }</pre>
 *
 * <p>A raw format in which every byte sequence is a model, such as {@link dev.opskit.ml.serving.ModelCodecs#bytes()}, cannot
 * reject truncated content; it says so with {@link #acceptsAnyBytes()}, and the suite then checks that it is lossless
 * on any bytes instead.
 *
 * @param <T> the model type
 * @since 0.1.0
 */
@API(status = API.Status.MAINTAINED, since = "0.1.0")
public abstract class ModelCodecContract<T> {
  private static final int THREADS = 4;
  private static final long GARBAGE_SEED = 20260101L;

  /** Creates the contract; subclasses supply the codec and the samples. */
  protected ModelCodecContract() {}

  /**
   * Creates the codec under test. It is called several times; each instance must behave the same.
   *
   * @return a codec
   */
  protected abstract ModelCodec<T> createCodec();

  /**
   * Returns sample models: at least two that differ, with the variety the codec must handle (empty collections,
   * extreme numbers, non-ASCII text).
   *
   * @return the samples
   */
  protected abstract List<T> sampleModels();

  /**
   * Tells whether two models are the same model. The default is {@link Objects#deepEquals(Object, Object)}, which
   * compares arrays by content; override it for model types without a useful {@code equals}.
   *
   * @param a a model
   * @param b another model
   * @return true if they are the same model
   */
  protected boolean sameModel(T a, T b) {
    return Objects.deepEquals(a, b);
  }

  /**
   * Tells whether every byte sequence is a model in this codec's format, as for raw bytes. Such a codec cannot reject
   * a truncated artifact; the suite checks instead that decoding any bytes and encoding the result gives them back.
   * The registry still rejects truncated artifacts, by their hash.
   *
   * @return false by default
   */
  protected boolean acceptsAnyBytes() {
    return false;
  }

  @Test
  void theFormatIsANonBlankNameThatNeverChanges() {
    ModelCodec<T> codec = createCodec();
    String format = codec.format();
    assertThat(format).as("format()").isNotNull().isNotBlank();
    assertThat(format).as("format() has no surrounding whitespace").isEqualTo(format.strip());
    assertThat(format.chars().noneMatch(Character::isISOControl)).as("format() %s has no control characters",
        format).isTrue();
    assertThat(codec.format()).as("format() called again").isEqualTo(format);
    assertThat(createCodec().format()).as("format() of another instance").isEqualTo(format);
    for (T sample : samples()) {
      decode(codec, encode(codec, sample));
    }
    assertThat(codec.format()).as("format() after encoding and decoding").isEqualTo(format);
  }

  @Test
  void everySampleSurvivesARoundTrip() {
    ModelCodec<T> codec = createCodec();
    List<T> samples = samples();
    for (int i = 0; i < samples.size(); i++) {
      T sample = samples.get(i);
      T decoded = decode(codec, encode(codec, sample));
      if (decoded == null || !sameModel(decoded, sample)) {
        fail("sample #" + i + " did not survive a round trip through " + codec + ":\n  encoded  " + show(sample)
            + "\n  decoded  " + show(decoded));
      }
    }
  }

  @Test
  void theSameModelAlwaysEncodesToTheSameBytes() {
    ModelCodec<T> codec = createCodec();
    List<T> samples = samples();
    for (int i = 0; i < samples.size(); i++) {
      T sample = samples.get(i);
      byte[] first = encode(codec, sample);
      assertBytes(encode(codec, sample), first, "sample #" + i + " encoded twice by the same codec");
      assertBytes(encode(createCodec(), sample), first, "sample #" + i + " encoded by another instance");
      assertBytes(encode(codec, decode(codec, first)), first, "sample #" + i + " encoded again after a round trip");
    }
  }

  @Test
  void encodingFromSeveralThreadsAtOnceGivesTheSameBytes() throws Exception {
    ModelCodec<T> codec = createCodec();
    List<T> samples = samples();
    List<byte[]> expected = new ArrayList<>();
    for (T sample : samples) {
      expected.add(encode(codec, sample));
    }
    CyclicBarrier start = new CyclicBarrier(THREADS);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<List<byte[]>>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Callable<List<byte[]>> task = () -> {
          start.await(30, TimeUnit.SECONDS);
          List<byte[]> out = new ArrayList<>();
          for (int round = 0; round < 25; round++) {
            for (T sample : samples) {
              out.add(encode(codec, sample));
            }
          }
          return out;
        };
        results.add(pool.submit(task));
      }
      for (Future<List<byte[]>> result : results) {
        List<byte[]> got = result.get(60, TimeUnit.SECONDS);
        for (int k = 0; k < got.size(); k++) {
          int i = k % samples.size();
          assertBytes(got.get(k), expected.get(i), "sample #" + i + " encoded while other threads encoded too");
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void differentModelsEncodeToDifferentBytes() {
    ModelCodec<T> codec = createCodec();
    List<T> samples = samples();
    for (int i = 0; i < samples.size(); i++) {
      for (int j = i + 1; j < samples.size(); j++) {
        if (!sameModel(samples.get(i), samples.get(j))
            && Arrays.equals(encode(codec, samples.get(i)), encode(codec, samples.get(j)))) {
          fail("samples #" + i + " and #" + j + " are different models but encode to the same bytes, so they "
              + "would be stored as one artifact:\n  " + show(samples.get(i)) + "\n  " + show(samples.get(j)));
        }
      }
    }
  }

  @Test
  void encodeLeavesTheStreamOpen() throws IOException {
    ModelCodec<T> codec = createCodec();
    for (T sample : samples()) {
      CloseTracking out = new CloseTracking();
      try {
        codec.encode(sample, out);
      } catch (IOException e) {
        throw new AssertionError("encoding " + show(sample) + " into a working stream failed", e);
      }
      assertThat(out.closed).as("encode(...) closed the stream it was given; the caller owns it").isFalse();
      out.write(new byte[] {1, 2, 3});
      assertThat(out.bytes.toByteArray()).endsWith(1, 2, 3);
    }
  }

  @Test
  void decodingATruncatedArtifactFailsRatherThanReturningAnotherModel() {
    ModelCodec<T> codec = createCodec();
    List<T> samples = samples();
    for (int i = 0; i < samples.size(); i++) {
      T sample = samples.get(i);
      byte[] whole = encode(codec, sample);
      for (int length : prefixLengths(whole.length)) {
        byte[] prefix = Arrays.copyOf(whole, length);
        String what = "the first " + length + " of the " + whole.length + " bytes of sample #" + i;
        if (acceptsAnyBytes()) {
          checkLossless(codec, prefix, what);
        } else {
          T decoded = decodeOrNull(codec, prefix);
          if (decoded != null && !sameModel(decoded, sample)) {
            fail("decoding " + what + " returned " + show(decoded) + " instead of failing; a codec must reject an "
                + "incomplete artifact, or a partial write would load as another model");
          }
        }
      }
    }
  }

  @Test
  void decodingGarbageFailsRatherThanReturningAModel() {
    ModelCodec<T> codec = createCodec();
    List<byte[]> garbage = new ArrayList<>();
    Random random = new Random(GARBAGE_SEED);
    for (int n = 0; n < 32; n++) {
      byte[] bytes = new byte[1 + random.nextInt(n < 16 ? 16 : 2048)];
      random.nextBytes(bytes);
      garbage.add(bytes);
    }
    for (T sample : samples()) {
      byte[] whole = encode(codec, sample);
      byte[] reversed = new byte[whole.length];
      for (int k = 0; k < whole.length; k++) {
        reversed[k] = whole[whole.length - 1 - k];
      }
      if (!Arrays.equals(reversed, whole)) {
        garbage.add(reversed);
      }
      garbage.add(new byte[Math.max(1, whole.length)]);
    }
    for (int g = 0; g < garbage.size(); g++) {
      byte[] bytes = garbage.get(g);
      String what = "garbage #" + g + " (" + bytes.length + " bytes: " + hex(bytes) + ")";
      if (acceptsAnyBytes()) {
        checkLossless(codec, bytes, what);
      } else {
        T decoded = decodeOrNull(codec, bytes);
        if (decoded != null) {
          fail("decoding " + what + " returned " + show(decoded) + " instead of failing");
        }
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------------

  private List<T> samples() {
    List<T> samples = sampleModels();
    assertThat(samples).as("sampleModels()").isNotNull().doesNotContainNull();
    boolean twoDiffer = false;
    for (int i = 1; i < samples.size() && !twoDiffer; i++) {
      twoDiffer = !sameModel(samples.get(0), samples.get(i));
    }
    if (!twoDiffer) {
      fail("sampleModels() must return at least two models that differ, so that the suite can tell a codec that "
          + "writes them from one that writes a constant; it returned " + samples.size());
    }
    return List.copyOf(samples);
  }

  private byte[] encode(ModelCodec<T> codec, T model) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      codec.encode(model, out);
    } catch (IOException e) {
      throw new AssertionError("encoding " + show(model) + " into memory failed", e);
    }
    return out.toByteArray();
  }

  private @Nullable T decode(ModelCodec<T> codec, byte[] bytes) {
    try {
      return codec.decode(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new AssertionError("decoding " + bytes.length + " bytes that " + codec + " wrote failed", e);
    }
  }

  /** Decodes content that is not a whole artifact: the codec should throw, which this returns as null. */
  private @Nullable T decodeOrNull(ModelCodec<T> codec, byte[] bytes) {
    T decoded;
    try {
      decoded = codec.decode(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException expected) {
      return null;
    }
    if (decoded == null) {
      fail("decoding " + bytes.length + " bytes returned null; a codec must return a model or throw");
    }
    return decoded;
  }

  private void checkLossless(ModelCodec<T> codec, byte[] bytes, String what) {
    T decoded;
    try {
      decoded = codec.decode(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      throw new AssertionError("acceptsAnyBytes() is true, but decoding " + what + " failed", e);
    }
    assertThat(decoded).as("decoding %s", what).isNotNull();
    assertBytes(encode(codec, decoded), bytes, "acceptsAnyBytes() is true, so decoding then encoding " + what);
  }

  private static List<Integer> prefixLengths(int length) {
    TreeSet<Integer> lengths = new TreeSet<>();
    for (int n = 0; n < Math.min(length, 128); n++) {
      lengths.add(n);
    }
    for (int k = 1; k <= 64; k++) {
      lengths.add((int) ((long) length * k / 65));
    }
    for (int n = Math.max(0, length - 16); n < length; n++) {
      lengths.add(n);
    }
    return List.copyOf(lengths);
  }

  private static void assertBytes(byte[] actual, byte[] expected, String what) {
    if (!Arrays.equals(actual, expected)) {
      int at = Arrays.mismatch(actual, expected);
      String where = actual.length == expected.length ? "they first differ at byte " + at + " of " + expected.length
          : actual.length + " bytes instead of " + expected.length + ", first differing at byte " + at;
      fail(what + " gave different bytes: " + where + "\n  expected " + hex(expected) + "\n  actual   " + hex(actual));
    }
  }

  private static String show(@Nullable Object model) {
    if (model instanceof byte[]) {
      return "byte[" + ((byte[]) model).length + "] " + hex((byte[]) model);
    }
    String text = String.valueOf(model);
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  private static String hex(byte[] bytes) {
    String text = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 48));
    return bytes.length > 48 ? text + "..." : text;
  }

  /** A stream that remembers whether it was closed and refuses writes after. */
  private static final class CloseTracking extends OutputStream {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean closed;

    @Override
    public void write(int b) throws IOException {
      checkOpen();
      bytes.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      checkOpen();
      bytes.write(b, off, len);
    }

    @Override
    public void close() {
      closed = true;
    }

    private void checkOpen() throws IOException {
      if (closed) {
        throw new IOException("stream closed");
      }
    }
  }
}
