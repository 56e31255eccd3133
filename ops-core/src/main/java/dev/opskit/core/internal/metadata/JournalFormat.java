package dev.opskit.core.internal.metadata;

import dev.opskit.core.internal.metadata.H2Journal.Counter;
import dev.opskit.core.internal.metadata.H2Journal.Delete;
import dev.opskit.core.internal.metadata.H2Journal.Effect;
import dev.opskit.core.internal.metadata.H2Journal.Put;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * The files of an {@link H2Journal}: {@code <database>.journal.<generation>}, each a header ({@code OPSKITJ1}, the
 * database's journal identity, the generation), then frames of {@code [length][CRC-32][payload]}; a payload is a type
 * (a commit or a checkpoint), a number, and a commit's changes. A change is a record as the commit left it (collection,
 * key, version, body, attributes with their types), a deleted key, or a counter's value; strings are UTF-8 with their
 * length. Reading stops at the first frame that is cut short or fails its CRC. Stateless.
 */
final class JournalFormat {
  private JournalFormat() {}

  /** A frame of a commit's changes. */
  static final byte COMMIT = 1;
  /** A frame saying that every commit up to its number is in the database file. */
  static final byte CHECKPOINT = 2;
  /** The bytes of a file's header. */
  static final int HEADER_BYTES = 24;
  private static final long MAGIC = 0x4f50534b49544a31L; // "OPSKITJ1"
  /** A frame longer than this is taken for damage, not a commit. */
  private static final int MAX_FRAME = 1 << 30;

  /**
   * A frame: {@code [length][CRC-32][type][seq][changes]}.
   *
   * @param type {@link #COMMIT} or {@link #CHECKPOINT}
   * @param seq the commit's number, or the last one a checkpoint covers
   * @param effects a commit's changes; null for a checkpoint
   * @return the frame, ready to be written
   * @throws IOException never, in practice: it is written to memory
   */
  static ByteBuffer frame(byte type, long seq, @Nullable List<Effect> effects) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(effects == null ? 32 : 1024);
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0); // length, patched below
    out.writeInt(0); // CRC, patched below
    out.writeByte(type);
    out.writeLong(seq);
    if (effects != null) {
      out.writeInt(effects.size());
      for (Effect e : effects) {
        writeEffect(out, e);
      }
    }
    out.flush();
    byte[] frame = bytes.toByteArray();
    int length = frame.length - 8;
    CRC32 crc = new CRC32();
    crc.update(frame, 8, length);
    ByteBuffer buffer = ByteBuffer.wrap(frame);
    buffer.putInt(0, length);
    buffer.putInt(4, (int) crc.getValue());
    return buffer;
  }

  private static void writeEffect(DataOutputStream out, Effect effect) throws IOException {
    if (effect instanceof Put p) {
      out.writeByte('P');
      writeString(out, p.collection());
      writeString(out, p.key());
      out.writeLong(p.version());
      writeString(out, p.body());
      out.writeInt(p.attributes().size());
      for (Map.Entry<String, Object> a : p.attributes().entrySet()) {
        writeString(out, a.getKey());
        Object v = a.getValue();
        if (v instanceof String s) {
          out.writeByte('S');
          writeString(out, s);
        } else if (v instanceof Long l) {
          out.writeByte('L');
          out.writeLong(l);
        } else if (v instanceof Double d) {
          out.writeByte('D');
          out.writeDouble(d);
        } else if (v instanceof Boolean b) {
          out.writeByte('B');
          out.writeBoolean(b);
        } else if (v instanceof Instant i) {
          out.writeByte('T');
          out.writeLong(i.getEpochSecond());
          out.writeInt(i.getNano());
        } else {
          throw new IllegalArgumentException("attribute '" + a.getKey() + "' has type " + v.getClass().getName()
              + ", which the journal does not know");
        }
      }
    } else if (effect instanceof Delete d) {
      out.writeByte('X');
      writeString(out, d.collection());
      writeString(out, d.key());
    } else if (effect instanceof Counter k) {
      out.writeByte('C');
      writeString(out, k.name());
      out.writeLong(k.value());
    }
  }

  private static Effect readEffect(DataInputStream in) throws IOException {
    int kind = in.readByte();
    switch (kind) {
      case 'P': {
        String collection = readString(in);
        String key = readString(in);
        long version = in.readLong();
        String body = readString(in);
        int n = in.readInt();
        Map<String, Object> attrs = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          String name = readString(in);
          int tag = in.readByte();
          Object value = switch (tag) {
            case 'S' -> readString(in);
            case 'L' -> in.readLong();
            case 'D' -> in.readDouble();
            case 'B' -> in.readBoolean();
            case 'T' -> Instant.ofEpochSecond(in.readLong(), in.readInt());
            default -> throw new IOException("unknown attribute type " + tag);
          };
          attrs.put(name, value);
        }
        return new Put(collection, key, version, body, attrs);
      }
      case 'X':
        return new Delete(readString(in), readString(in));
      case 'C':
        return new Counter(readString(in), in.readLong());
      default:
        throw new IOException("unknown change " + kind);
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_FRAME) {
      throw new IOException("a string of " + n + " bytes");
    }
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }

  /** A frame read back: a commit's changes, or a checkpoint. */
  record Frame(byte type, long seq, List<Effect> effects) {}

  /** A journal file read back: its database's identity, its frames, and whether it ends in a damaged frame. */
  record JournalFile(@Nullable Long id, List<Frame> frames, boolean torn) {}

  /**
   * Reads a journal file: every whole frame up to the first one that is cut short or fails its CRC.
   *
   * @param f the file
   * @return what it holds; no identity if its header is missing or damaged
   * @throws IOException if it cannot be read
   */
  static JournalFile read(Path f) throws IOException {
    List<Frame> frames = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(f);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      byte[] header = in.readNBytes(HEADER_BYTES);
      if (header.length < HEADER_BYTES || ByteBuffer.wrap(header).getLong(0) != MAGIC) {
        return new JournalFile(null, frames, true);
      }
      long id = ByteBuffer.wrap(header).getLong(8);
      while (true) {
        int length;
        try {
          length = in.readInt();
        } catch (EOFException end) {
          return new JournalFile(id, frames, false);
        }
        if (length < 9 || length > MAX_FRAME) {
          return new JournalFile(id, frames, true);
        }
        int crc;
        byte[] payload;
        try {
          crc = in.readInt();
          payload = in.readNBytes(length);
        } catch (EOFException cut) {
          return new JournalFile(id, frames, true);
        }
        CRC32 check = new CRC32();
        check.update(payload);
        if (payload.length < length || (int) check.getValue() != crc) {
          return new JournalFile(id, frames, true);
        }
        DataInputStream p = new DataInputStream(new ByteArrayInputStream(payload));
        byte type = p.readByte();
        long seq = p.readLong();
        List<Effect> effects = new ArrayList<>();
        if (type == COMMIT) {
          int n = p.readInt();
          for (int i = 0; i < n; i++) {
            effects.add(readEffect(p));
          }
        }
        frames.add(new Frame(type, seq, effects));
      }
    }
  }

  /**
   * Creates a journal file with its header.
   *
   * @param base the database file without {@code .mv.db}
   * @param id the database's journal identity
   * @param generation the file's number
   * @return the file, open for appending
   * @throws IOException if it cannot be created
   */
  static FileChannel create(Path base, long id, long generation) throws IOException {
    FileChannel channel = FileChannel.open(fileOf(base, generation), StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    header.putLong(MAGIC).putLong(id).putLong(generation).flip();
    while (header.hasRemaining()) {
      channel.write(header);
    }
    return channel;
  }

  /**
   * A journal file's path.
   *
   * @param base the database file without {@code .mv.db}
   * @param generation the file's number
   * @return its path
   */
  static Path fileOf(Path base, long generation) {
    return base.resolveSibling(base.getFileName() + ".journal." + generation);
  }

  /**
   * A journal file's number.
   *
   * @param base the database file without {@code .mv.db}
   * @param file one of its journal files
   * @return the number
   */
  static long generationOf(Path base, Path file) {
    return Long.parseLong(file.getFileName().toString().substring(base.getFileName().toString().length()
        + ".journal.".length()));
  }

  /**
   * The journal files of a database, oldest first.
   *
   * @param base the database file without {@code .mv.db}
   * @return the files
   * @throws IOException if the directory cannot be listed
   */
  static List<Path> files(Path base) throws IOException {
    Pattern name = Pattern.compile(Pattern.quote(base.getFileName().toString()) + "\\.journal\\.(\\d{1,18})");
    Path dir = base.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> all = Files.list(dir)) {
      return all.filter(p -> name.matcher(p.getFileName().toString()).matches())
          .sorted(Comparator.comparingLong(p -> {
            Matcher m = name.matcher(p.getFileName().toString());
            m.matches();
            return Long.parseLong(m.group(1));
          }))
          .toList();
    }
  }

}
