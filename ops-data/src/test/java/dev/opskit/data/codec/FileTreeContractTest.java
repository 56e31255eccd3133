package dev.opskit.data.codec;

import dev.opskit.data.Codecs;
import dev.opskit.pipeline.DatasetCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

class FileTreeContractTest extends DatasetCodecContract<Path> {
  private int trees;

  static final Map<String, String> FILES = Map.of(
      "README.md", "# docs\n",
      "b/2.txt", "two",
      "a/1.txt", "one",
      "a/b/c/deep.txt", "deep",
      "a/same.txt", "two",
      "empty.bin", "",
      "ünïcödé 😀.txt", "emoji",
      "a.txt", "sorted before a/ because '.' < '/'");

  @Override
  DatasetCodec<Path> codec() {
    return Codecs.fileTree();
  }

  @Override
  Path sample() throws IOException {
    return write(FILES.keySet().stream().sorted().toList());
  }

  @Override
  Path sampleBuiltDifferently() throws IOException {
    return write(FILES.keySet().stream().sorted(java.util.Comparator.reverseOrder()).toList());
  }

  private Path write(List<String> order) throws IOException {
    Path root = temp.resolve("tree-" + trees++);
    for (String path : order) {
      Path file = root.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, FILES.get(path), StandardCharsets.UTF_8);
    }
    return root;
  }

  @Override
  Object contentOf(Path value) throws IOException {
    return contents(value);
  }

  static Map<String, String> contents(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        files.put(root.relativize(file).toString().replace('\\', '/'), Files.readString(file));
      }
    }
    return files;
  }
}
