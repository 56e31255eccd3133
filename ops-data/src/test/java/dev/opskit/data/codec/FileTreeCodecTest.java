package dev.opskit.data.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.OpsException;
import dev.opskit.data.Codecs;
import dev.opskit.pipeline.DatasetCodec;
import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobStore;
import dev.opskit.store.CorruptBlobException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FileTreeCodecTest {
  @TempDir
  Path temp;

  private final DatasetCodec<Path> codec = Codecs.fileTree();
  private BlobStore blobs;
  private Path source;

  @BeforeEach
  void setUp() throws IOException {
    blobs = BlobStore.local(temp.resolve("blobs"));
    source = temp.resolve("source");
    for (Map.Entry<String, String> file : FileTreeContractTest.FILES.entrySet()) {
      write(source.resolve(file.getKey()), file.getValue());
    }
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  private MemoryEncodeContext encode(Path tree) throws IOException {
    MemoryEncodeContext context = new MemoryEncodeContext(blobs);
    codec.encode(tree, context);
    return context;
  }

  private MemoryDecodeContext contextOf(byte[] manifest) {
    String id = MemoryDecodeContext.sha256(manifest);
    return MemoryDecodeContext.of(manifest, blobs, temp.resolve("scratch").resolve(id));
  }

  private static List<JsonNode> lines(String manifest) {
    JsonMapper mapper = JsonMapper.builder().build();
    return manifest.lines().map(mapper::readTree).collect(Collectors.toList());
  }

  private static Object fileKey(Path path) throws IOException {
    BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    return attrs.fileKey() != null ? attrs.fileKey() : attrs.creationTime();
  }

  @Test
  void theManifestListsEveryFileSortedByPathWithItsBlobAndSize() throws IOException {
    MemoryEncodeContext context = encode(source);
    List<JsonNode> lines = lines(context.text());

    assertThat(lines).extracting(line -> line.get("path").stringValue()).containsExactly(
        "README.md", "a.txt", "a/1.txt", "a/b/c/deep.txt", "a/same.txt", "b/2.txt", "empty.bin", "ünïcödé 😀.txt");
    JsonNode deep = lines.get(3);
    assertThat(context.text().lines().skip(3).findFirst()).hasValue("{\"path\":\"a/b/c/deep.txt\",\"blob\":\""
        + MemoryDecodeContext.sha256("deep".getBytes(StandardCharsets.UTF_8)) + "\",\"size\":4}");
    assertThat(blobs.read(deep.get("blob").stringValue())).asString(StandardCharsets.UTF_8).isEqualTo("deep");
    assertThat(context.rows()).as("a file tree is not a table").isEmpty();
  }

  @Test
  void identicalFilesShareOneBlob() throws IOException {
    List<JsonNode> lines = lines(encode(source).text());

    String one = lines.stream().filter(l -> l.get("path").stringValue().equals("a/same.txt")).findFirst()
        .orElseThrow().get("blob").stringValue();
    String two = lines.stream().filter(l -> l.get("path").stringValue().equals("b/2.txt")).findFirst()
        .orElseThrow().get("blob").stringValue();
    assertThat(one).isEqualTo(two);
  }

  @Test
  void decodingMaterializesTheTreeInTheScratchDirectory() throws IOException {
    MemoryDecodeContext context = contextOf(encode(source).bytes());

    Path tree = codec.decode(context);

    assertThat(tree).startsWith(context.scratch()).isDirectory();
    assertThat(FileTreeContractTest.contents(tree)).isEqualTo(FileTreeContractTest.contents(source));
    try (Stream<Path> entries = Files.list(context.scratch())) {
      assertThat(entries).as("no staging directory is left behind").containsExactly(tree);
    }
  }

  @Test
  void aVerifiedTreeIsReusedWithoutReadingTheBlobsAgain() throws IOException {
    byte[] manifest = encode(source).bytes();
    Path first = codec.decode(contextOf(manifest));
    Object key = fileKey(first);
    for (BlobInfo blob : blobsOf(manifest)) {
      blobs.delete(blob.id());
    }

    Path second = codec.decode(contextOf(manifest));

    assertThat(second).isEqualTo(first);
    assertThat(fileKey(second)).isEqualTo(key);
    assertThat(FileTreeContractTest.contents(second)).isEqualTo(FileTreeContractTest.contents(source));
  }

  @Test
  void aTreeThatWasModifiedIsMaterializedAgain() throws IOException {
    byte[] manifest = encode(source).bytes();
    Path tree = codec.decode(contextOf(manifest));
    Files.writeString(tree.resolve("a/1.txt"), "ONE");
    Files.writeString(tree.resolve("stray.txt"), "extra");
    Files.delete(tree.resolve("b/2.txt"));

    Path again = codec.decode(contextOf(manifest));

    assertThat(again).isEqualTo(tree);
    assertThat(FileTreeContractTest.contents(again)).isEqualTo(FileTreeContractTest.contents(source));
  }

  @Test
  void aFileOfTheSameSizeWithOtherContentIsCaughtByItsHash() throws IOException {
    byte[] manifest = encode(source).bytes();
    Path tree = codec.decode(contextOf(manifest));
    Files.writeString(tree.resolve("a/1.txt"), "ONE");

    assertThat(Files.readString(codec.decode(contextOf(manifest)).resolve("a/1.txt"))).isEqualTo("one");
  }

  @Test
  void concurrentDecodersConvergeOnOneVerifiedTree() throws Exception {
    byte[] manifest = encode(source).bytes();
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Path>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return codec.decode(contextOf(manifest));
        }));
      }
      start.countDown();
      Set<Path> trees = new HashSet<>();
      for (Future<Path> result : results) {
        trees.add(result.get(30, TimeUnit.SECONDS));
      }

      assertThat(trees).hasSize(1);
      Path tree = trees.iterator().next();
      assertThat(FileTreeContractTest.contents(tree)).isEqualTo(FileTreeContractTest.contents(source));
      try (Stream<Path> entries = Files.list(tree.getParent())) {
        assertThat(entries).containsExactly(tree);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCorruptBlobSurfacesAndLeavesNoPartialTree() throws IOException {
    byte[] manifest = encode(source).bytes();
    String id = MemoryDecodeContext.sha256("deep".getBytes(StandardCharsets.UTF_8));
    Files.writeString(temp.resolve("blobs").resolve(id.substring(0, 2)).resolve(id.substring(2)), "DEEP");
    MemoryDecodeContext context = contextOf(manifest);

    assertThatThrownBy(() -> codec.decode(context))
        .isInstanceOf(CorruptBlobException.class)
        .hasMessageContaining(id);
    try (Stream<Path> entries = Files.list(context.scratch())) {
      assertThat(entries).isEmpty();
    }
  }

  @Test
  void emptyDirectoriesAreNotKept() throws IOException {
    Files.createDirectories(source.resolve("empty/nested"));

    String manifest = encode(source).text();

    assertThat(manifest).doesNotContain("empty/");
    assertThat(codec.decode(contextOf(manifest.getBytes(StandardCharsets.UTF_8))).resolve("empty")).doesNotExist();
  }

  @Test
  void anEmptyDirectoryIsAnEmptyManifest() throws IOException {
    Path empty = Files.createDirectories(temp.resolve("nothing"));

    MemoryEncodeContext context = encode(empty);

    assertThat(context.bytes()).isEmpty();
    Path tree = codec.decode(contextOf(context.bytes()));
    try (Stream<Path> entries = Files.list(tree)) {
      assertThat(entries).isEmpty();
    }
  }

  @Test
  void aSymbolicLinkInTheTreeIsRejectedByName() throws IOException {
    Files.createSymbolicLink(source.resolve("a/link.txt"), source.resolve("README.md"));

    assertThatThrownBy(() -> encode(source))
        .isInstanceOf(OpsException.class)
        .hasMessageContaining("symbolic link, 'a/link.txt'");
  }

  @Test
  void aLinkToADirectoryInTheTreeIsRejectedToo() throws IOException {
    Files.createSymbolicLink(source.resolve("elsewhere"), temp);

    assertThatThrownBy(() -> encode(source))
        .isInstanceOf(OpsException.class)
        .hasMessageContaining("symbolic link, 'elsewhere'");
  }

  @Test
  void theRootMayBeALinkToADirectory() throws IOException {
    Path link = Files.createSymbolicLink(temp.resolve("link"), source);

    assertThat(encode(link).bytes()).isEqualTo(encode(source).bytes());
  }

  @Test
  void aPathThatIsNotADirectoryIsRejected() {
    assertThatThrownBy(() -> encode(source.resolve("README.md")))
        .isInstanceOf(OpsException.class)
        .hasMessageContaining("is not a directory");
  }

  @Test
  void aManifestThatLeadsOutsideTheTreeIsRejected() throws IOException {
    String blob = blobs.put("x".getBytes(StandardCharsets.UTF_8)).id();
    for (String path : List.of("../escape.txt", "a/../../escape.txt", "/etc/passwd", "a//b", "./a")) {
      byte[] manifest = ("{\"path\":\"" + path + "\",\"blob\":\"" + blob + "\",\"size\":1}\n")
          .getBytes(StandardCharsets.UTF_8);

      assertThatThrownBy(() -> codec.decode(contextOf(manifest)))
          .as(path)
          .isInstanceOf(OpsException.class)
          .hasMessageContaining("line 1 of the manifest of version " + MemoryDecodeContext.sha256(manifest))
          .hasMessageContaining(path);
    }
    assertThat(temp.resolve("scratch").resolve("escape.txt")).doesNotExist();
  }

  @Test
  void aManifestOutOfOrderOrWithDuplicatesIsRejected() throws IOException {
    String blob = blobs.put("x".getBytes(StandardCharsets.UTF_8)).id();
    String b = "{\"path\":\"b\",\"blob\":\"" + blob + "\",\"size\":1}\n";
    String a = "{\"path\":\"a\",\"blob\":\"" + blob + "\",\"size\":1}\n";

    assertThatThrownBy(() -> codec.decode(contextOf((b + a).getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(OpsException.class)
        .hasMessageContaining("line 2 of the manifest")
        .hasMessageContaining("names 'a' after 'b'");
    assertThatThrownBy(() -> codec.decode(contextOf((a + a).getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(OpsException.class)
        .hasMessageContaining("names 'a' after 'a'");
  }

  @Test
  void aSizeThatDoesNotMatchTheBlobIsAnError() throws IOException {
    String blob = blobs.put("xyz".getBytes(StandardCharsets.UTF_8)).id();
    byte[] manifest = ("{\"path\":\"f\",\"blob\":\"" + blob + "\",\"size\":2}\n").getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> codec.decode(contextOf(manifest)))
        .isInstanceOf(OpsException.class)
        .hasMessageContaining("should have 2 bytes but blob " + blob + " holds 3");
  }

  @Test
  void aMalformedEntryIsAnError() {
    byte[] manifest = "{\"path\":\"f\",\"blob\":\"nothex\",\"size\":2}\n".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> codec.decode(contextOf(manifest)))
        .isInstanceOf(OpsException.class)
        .hasMessageContaining("line 1 of the manifest")
        .hasMessageContaining("nothex");
  }

  @Test
  void namesBeyondTheBasicPlaneSortByCodePoint() throws IOException {
    Path tree = Files.createDirectories(temp.resolve("planes"));
    // U+FF5E is one UTF-16 unit above the surrogates U+1F600 is written with, but below it as a code point.
    write(tree.resolve("\uFF5E.txt"), "fullwidth tilde");
    write(tree.resolve("\uD83D\uDE00.txt"), "emoji");

    assertThat(lines(encode(tree).text())).extracting(line -> line.get("path").stringValue())
        .containsExactly("\uFF5E.txt", "\uD83D\uDE00.txt");
  }

  private List<BlobInfo> blobsOf(byte[] manifest) {
    return lines(new String(manifest, StandardCharsets.UTF_8)).stream()
        .map(line -> blobs.stat(line.get("blob").stringValue()).orElseThrow())
        .collect(Collectors.toList());
  }
}
