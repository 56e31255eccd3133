package dev.opskit.data.internal.codec;

import dev.opskit.OpsException;
import dev.opskit.pipeline.DatasetCodec;
import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;

/**
 * A directory, stored the way DVC stores a {@code .dir}: every regular file is put into the blob store on its own, and
 * the version's content is a manifest of JSON lines, one per file, sorted by path in code-point order:
 *
 * <pre>{@code
 * {"path":"images/cat.png","blob":"9f86d0...","size":48213}
 * }</pre>
 *
 * <p>Paths are relative, with {@code /} between names. Only regular files and the directories that lead to them are
 * kept:
 *
 * <ul>
 *   <li>a symbolic link anywhere in the tree is an error naming it, because following it could store files from
 *       outside the tree and keeping it would make the version depend on what it points to; the tree's root itself
 *       may be a link to a directory;
 *   <li>a device, pipe or socket is an error naming it;
 *   <li>empty directories are not recorded and do not come back;
 *   <li>permissions and timestamps are not recorded.
 * </ul>
 *
 * <p>Decoding materializes the tree in {@code scratch/tree} and returns that path. The files are first written into a
 * temporary sibling directory and then renamed into place, so the path never shows a partial tree. A tree already
 * there is reused after it is verified: the same files, each with the size and SHA-256 of its blob. A tree that fails
 * verification (a step edited it, or a crash cut a write short) is logged, set aside and materialized again. Treat the
 * returned directory as read-only. Blobs are read through the store, so a corrupt blob surfaces as
 * {@link dev.opskit.store.CorruptBlobException}. Stateless and thread-safe; concurrent decoders of one version
 * converge on one verified tree.
 */
public final class FileTreeCodec implements DatasetCodec<Path> {
  /** The only instance. */
  public static final FileTreeCodec INSTANCE = new FileTreeCodec();

  private static final Logger LOG = LoggerFactory.getLogger(FileTreeCodec.class);
  private static final String TREE = "tree";
  private static final int CHUNK = 128 * 1024;
  private static final Comparator<String> CODE_POINT_ORDER = FileTreeCodec::compareCodePoints;

  private FileTreeCodec() {}

  @Override
  public String format() {
    return "filetree";
  }

  @Override
  public void encode(Path value, EncodeContext context) throws IOException {
    if (!Files.isDirectory(value)) {
      throw new OpsException("cannot store " + value + " as a file tree: it is not a directory");
    }
    Path root = value.toRealPath();
    List<Source> files = list(root);
    BlobStore blobs = context.blobs();
    try (JsonGenerator out = CanonicalJson.MAPPER.createGenerator(context.output())) {
      for (Source file : files) {
        BlobInfo blob;
        try (InputStream in = Files.newInputStream(file.path, LinkOption.NOFOLLOW_LINKS)) {
          blob = blobs.put(in);
        }
        out.writeStartObject();
        out.writeStringProperty("path", file.relative);
        out.writeStringProperty("blob", blob.id());
        out.writeNumberProperty("size", blob.size());
        out.writeEndObject();
        out.writeRaw('\n');
      }
    } catch (JacksonException e) {
      throw CodecFailures.writing("the manifest of file tree " + root, e);
    }
  }

  private static List<Source> list(Path root) throws IOException {
    List<Source> files = new ArrayList<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        String relative = relative(root, file);
        if (attrs.isSymbolicLink()) {
          throw new OpsException("file tree " + root + " contains a symbolic link, '" + relative + "'; file trees "
              + "hold regular files only: replace the link with a copy of its target, or remove it");
        }
        if (!attrs.isRegularFile()) {
          throw new OpsException("file tree " + root + " contains '" + relative + "', which is not a regular file "
              + "(a device, pipe or socket); remove it");
        }
        files.add(new Source(relative, file));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        throw e;
      }
    });
    files.sort(Comparator.comparing(s -> s.relative, CODE_POINT_ORDER));
    return files;
  }

  private static String relative(Path root, Path file) {
    StringBuilder out = new StringBuilder();
    for (Path name : root.relativize(file)) {
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(name);
    }
    return out.toString();
  }

  @Override
  public Path decode(DecodeContext context) throws IOException {
    String versionId = context.versionId() + " of " + context.dataset();
    List<Entry> entries = readManifest(context);
    Path scratch = context.scratch();
    Path tree = scratch.resolve(TREE);
    if (Files.exists(tree, LinkOption.NOFOLLOW_LINKS)) {
      Optional<String> problem = mismatch(tree, entries);
      if (problem.isEmpty()) {
        return tree;
      }
      LOG.warn("The file tree of version {} in {} no longer matches its manifest ({}); materializing it again",
          versionId, tree, problem.get());
      setAside(tree, scratch);
    }
    Path staging = Files.createTempDirectory(scratch, ".tree-");
    try {
      materialize(staging, entries, context.blobs(), versionId);
      install(staging, tree, entries, scratch);
    } finally {
      try {
        deleteRecursively(staging);
      } catch (IOException e) {
        LOG.warn("Could not remove the staging directory {}; delete it by hand", staging, e);
      }
    }
    return tree;
  }

  private static List<Entry> readManifest(DecodeContext context) throws IOException {
    String versionId = context.versionId() + " of " + context.dataset();
    List<Entry> entries = new ArrayList<>();
    long line = 1;
    try (InputStream in = context.open(); JsonParser parser = CanonicalJson.MAPPER.createParser(in)) {
      while (parser.nextToken() != null) {
        line = parser.currentTokenLocation().getLineNr();
        JsonNode node = CanonicalJson.MAPPER.readTree(parser);
        Entry entry = Entry.of(node, "line " + line + " of the manifest of version " + versionId);
        if (!entries.isEmpty() && compareCodePoints(entries.get(entries.size() - 1).path, entry.path) >= 0) {
          throw new OpsException("line " + line + " of the manifest of version " + versionId + " names '"
              + entry.path + "' after '" + entries.get(entries.size() - 1).path + "'; a manifest lists each path "
              + "once, sorted: the version was not written by this codec");
        }
        entries.add(entry);
      }
    } catch (JacksonException e) {
      throw CodecFailures.reading("JSON", "line " + line + " of the manifest of version " + versionId,
          "a file tree manifest", e);
    }
    return entries;
  }

  private static void materialize(Path staging, List<Entry> entries, BlobStore blobs, String versionId)
      throws IOException {
    for (Entry entry : entries) {
      Path target = staging.resolve(entry.path).normalize();
      if (!target.startsWith(staging) || target.equals(staging)) {
        throw new OpsException("the manifest of version " + versionId + " names '" + entry.path
            + "', which leads outside the tree; the version was not written by this codec");
      }
      Files.createDirectories(target.getParent());
      long copied;
      try (InputStream in = blobs.open(entry.blob);
          OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE)) {
        copied = in.transferTo(out);
      }
      if (copied != entry.size) {
        throw new OpsException("file '" + entry.path + "' of version " + versionId + " should have " + entry.size
            + " bytes but blob " + entry.blob + " holds " + copied);
      }
    }
  }

  /** Renames the staged tree into place; if another decoder got there first, keeps theirs once it is verified. */
  private static void install(Path staging, Path tree, List<Entry> entries, Path scratch) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        Files.move(staging, tree, StandardCopyOption.ATOMIC_MOVE);
        return;
      } catch (IOException e) {
        if (!Files.exists(tree, LinkOption.NOFOLLOW_LINKS) || attempt == 3) {
          throw e;
        }
        if (mismatch(tree, entries).isEmpty()) {
          return;
        }
        setAside(tree, scratch);
      }
    }
  }

  /** Moves a tree that failed verification out of the way, then deletes it; another decoder may have moved it first. */
  private static void setAside(Path tree, Path scratch) throws IOException {
    Path aside = Files.createTempDirectory(scratch, ".stale-");
    try {
      Files.move(tree, aside.resolve(TREE), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException alreadyMoved) {
      LOG.debug("Another decoder moved {} first", tree, alreadyMoved);
    }
    deleteRecursively(aside);
  }

  /** Compares a materialized tree with its manifest: same regular files, same sizes, same hashes. */
  private static Optional<String> mismatch(Path tree, List<Entry> entries) throws IOException {
    if (!Files.isDirectory(tree, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(tree + " is not a directory");
    }
    Map<String, Entry> expected = new HashMap<>();
    for (Entry entry : entries) {
      expected.put(entry.path, entry);
    }
    List<String> problems = new ArrayList<>(1);
    int[] seen = {0};
    Files.walkFileTree(tree, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        String relative = relative(tree, file);
        Entry entry = expected.get(relative);
        if (entry == null || !attrs.isRegularFile()) {
          problems.add("'" + relative + "' is not in the manifest");
        } else if (attrs.size() != entry.size) {
          problems.add("'" + relative + "' has " + attrs.size() + " bytes instead of " + entry.size);
        } else if (!sha256(file).equals(entry.blob)) {
          problems.add("'" + relative + "' was modified");
        } else {
          seen[0]++;
          return FileVisitResult.CONTINUE;
        }
        return FileVisitResult.TERMINATE;
      }
    });
    if (!problems.isEmpty()) {
      return Optional.of(problems.get(0));
    }
    if (seen[0] != entries.size()) {
      return Optional.of((entries.size() - seen[0]) + " of " + entries.size() + " files are missing");
    }
    return Optional.empty();
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must provide", e);
    }
    byte[] buffer = new byte[CHUNK];
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      int n;
      while ((n = in.read(buffer)) != -1) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /**
   * Orders strings by Unicode code point, which is also the order of their UTF-8 bytes, so that a manifest sorts the
   * same in any language; {@link String#compareTo} differs for characters beyond the Basic Multilingual Plane.
   */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  @Override
  public String toString() {
    return "filetree";
  }

  /** A regular file found in a tree being stored. */
  private static final class Source {
    final String relative;
    final Path path;

    Source(String relative, Path path) {
      this.relative = relative;
      this.path = path;
    }
  }

  /** One line of a manifest, checked. */
  private static final class Entry {
    final String path;
    final String blob;
    final long size;

    private Entry(String path, String blob, long size) {
      this.path = path;
      this.blob = blob;
      this.size = size;
    }

    static Entry of(JsonNode node, String where) {
      JsonNode path = node.path("path");
      JsonNode blob = node.path("blob");
      JsonNode size = node.path("size");
      if (!node.isObject() || node.size() != 3 || !path.isString() || !blob.isString() || !size.canConvertToLong()
          || !size.isIntegralNumber() || size.longValue() < 0) {
        throw new OpsException(where + " is not a manifest entry {\"path\":...,\"blob\":...,\"size\":...}: "
            + CanonicalJson.text(node));
      }
      String relative = path.stringValue();
      String problem = pathProblem(relative);
      if (problem != null) {
        throw new OpsException(where + " names the path '" + relative + "', which " + problem);
      }
      try {
        BlobInfo.checkId(blob.stringValue());
      } catch (IllegalArgumentException e) {
        throw new OpsException(where + ": " + e.getMessage(), e);
      }
      return new Entry(relative, blob.stringValue(), size.longValue());
    }

    private static @org.jspecify.annotations.Nullable String pathProblem(String relative) {
      if (relative.isEmpty() || relative.startsWith("/")) {
        return "is not a relative path";
      }
      if (relative.indexOf('\0') >= 0) {
        return "contains a NUL character";
      }
      for (String name : relative.split("/", -1)) {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
          return "has an empty, '.' or '..' segment";
        }
      }
      return null;
    }
  }
}
