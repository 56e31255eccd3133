package dev.opskit.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the Java in {@code docs/*.md} compiling and running. Every fenced {@code java} block of a page must follow an
 * HTML comment that names where it comes from:
 *
 * <ul>
 *   <li>{@code <!-- snippet: name -->}: the block equals the lines between {@code // doc:start name} and
 *       {@code // doc:end name} in this package's tests, after both are stripped of their common indentation;
 *   <li>{@code <!-- fragment -->}: a piece that does not compile on its own, such as an interface's signatures. Keep
 *       these few.
 * </ul>
 *
 * <p>A block of another language after {@code <!-- output: name -->} equals the lines of the region {@code name}, which
 * holds one Java string literal per line: the output a test checks.
 */
class DocSnippetsTest {
  static final Path MODULE = Path.of("").toAbsolutePath();
  static final Path DOCS = MODULE.getParent().resolve("docs");
  static final Path SOURCES = MODULE.resolve(Path.of("src", "test", "java", "dev", "opskit", "examples", "docs"));
  static final List<String> PAGES = List.of("concepts.md", "cookbook.md", "metrics.md", "compatibility.md",
      "security.md");

  private static final Pattern START = Pattern.compile("^\\s*// doc:start ([\\w.-]+)\\s*$");
  private static final Pattern END = Pattern.compile("^\\s*// doc:end ([\\w.-]+)\\s*$");
  private static final Pattern MARKER = Pattern.compile("^\\s*<!-- (snippet|output): ([\\w.-]+) -->\\s*$");
  private static final Pattern FRAGMENT = Pattern.compile("^\\s*<!-- fragment(: [^>]*)? -->\\s*$");
  private static final Pattern FENCE = Pattern.compile("^(\\s*)```(\\w*)\\s*$");
  private static final Pattern LITERAL = Pattern.compile("^\"((?:[^\"\\\\]|\\\\.)*)\",?$");

  /** A marked region of a test source: its lines as written. */
  record Region(String name, String source, int line, List<String> lines) {}

  /** A fenced block of a page and the marker before it. */
  record Block(String page, int line, String language, String kind, String name, List<String> lines) {}

  @Test
  void everyMarkedBlockOfTheDocsEqualsItsRegionInTheTests() throws IOException {
    Map<String, Region> regions = regions(SOURCES);
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (String page : PAGES) {
      Path file = DOCS.resolve(page);
      assertThat(file).as("docs page %s", file).isRegularFile();
      List<Block> blocks = blocks(page, Files.readAllLines(file, StandardCharsets.UTF_8), problems);
      for (Block block : blocks) {
        if (block.kind() != null) {
          checked++;
        }
      }
      problems.addAll(compare(blocks, regions));
    }
    assertThat(problems).as("docs that drifted from the tests in %s", SOURCES).isEmpty();
    assertThat(checked).as("verified blocks").isGreaterThanOrEqualTo(regions.size());
  }

  @Test
  void everyRegionOfTheTestsIsShownInTheDocs() throws IOException {
    Map<String, Region> regions = regions(SOURCES);
    Set<String> shown = new TreeSet<>();
    for (String page : PAGES) {
      for (Block block : blocks(page, Files.readAllLines(DOCS.resolve(page), StandardCharsets.UTF_8),
          new ArrayList<>())) {
        if (block.name() != null) {
          shown.add(block.name());
        }
      }
    }
    assertThat(new TreeSet<>(regions.keySet())).as("regions no page shows").isSubsetOf(shown);
  }

  @Test
  void theCheckCatchesAChangedLineAMissingMarkerAndAnUnknownName() {
    Map<String, Region> regions = Map.of("demo", new Region("demo", "Demo.java", 10,
        List.of("    Run run = ws.runner().run(pipeline);", "    run.throwIfFailed();")));
    List<String> same = List.of("<!-- snippet: demo -->", "```java", "Run run = ws.runner().run(pipeline);",
        "run.throwIfFailed();", "```");
    List<String> changed = List.of("<!-- snippet: demo -->", "```java", "Run run = ws.runner().run(pipeline);",
        "run.throwIfFailed(); // drifted", "```");
    List<String> unmarked = List.of("Some text.", "", "```java", "int x = 1;", "```");
    List<String> unknown = List.of("<!-- snippet: nope -->", "```java", "int x = 1;", "```");

    List<String> none = new ArrayList<>();
    assertThat(compare(blocks("same.md", same, none), regions)).isEmpty();
    assertThat(none).isEmpty();
    assertThat(compare(blocks("changed.md", changed, none), regions)).singleElement().asString()
        .contains("changed.md:2").contains("demo").contains("run.throwIfFailed(); // drifted");
    List<String> unmarkedProblems = new ArrayList<>();
    blocks("unmarked.md", unmarked, unmarkedProblems);
    assertThat(unmarkedProblems).singleElement().asString().contains("unmarked.md:3");
    assertThat(compare(blocks("unknown.md", unknown, none), regions)).singleElement().asString()
        .contains("no region 'nope'");
  }

  @Test
  void anOutputBlockIsComparedWithTheStringLiteralsOfItsRegion() {
    Map<String, Region> regions = Map.of("out", new Region("out", "Demo.java", 1,
        List.of("        \"flowchart LR\",", "        \"  d0([\\\"crm/raw\\\"])\",")));
    List<String> page = List.of("<!-- output: out -->", "```mermaid", "flowchart LR", "  d0([\"crm/raw\"])", "```");
    assertThat(compare(blocks("page.md", page, new ArrayList<>()), regions)).isEmpty();
    List<String> drifted = List.of("<!-- output: out -->", "```mermaid", "flowchart TD", "  d0([\"crm/raw\"])", "```");
    assertThat(compare(blocks("page.md", drifted, new ArrayList<>()), regions)).hasSize(1);
  }

  /** Every region of every Java file in a directory, by name; a name used twice is an error. */
  static Map<String, Region> regions(Path directory) throws IOException {
    Map<String, Region> regions = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files = listing.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    assertThat(files).as("test sources in %s", directory).isNotEmpty();
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      String open = null;
      int from = -1;
      for (int i = 0; i < lines.size(); i++) {
        Matcher start = START.matcher(lines.get(i));
        Matcher end = END.matcher(lines.get(i));
        if (start.matches()) {
          assertThat(open).as("%s:%d starts region '%s' inside region '%s'", file.getFileName(), i + 1,
              start.group(1), open).isNull();
          open = start.group(1);
          from = i;
        } else if (end.matches()) {
          assertThat(end.group(1)).as("%s:%d ends a region that is not open", file.getFileName(), i + 1)
              .isEqualTo(open);
          Region previous = regions.put(open, new Region(open, file.getFileName().toString(), from + 1,
              lines.subList(from + 1, i)));
          assertThat(previous).as("region '%s' is defined twice", open).isNull();
          open = null;
        }
      }
      assertThat(open).as("%s leaves region '%s' open", file.getFileName(), open).isNull();
    }
    return regions;
  }

  /** The fenced blocks of a page; a {@code java} block without a marker is reported as a problem. */
  static List<Block> blocks(String page, List<String> lines, List<String> problems) {
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher fence = FENCE.matcher(lines.get(i));
      if (!fence.matches()) {
        continue;
      }
      String indent = fence.group(1);
      String language = fence.group(2);
      int close = i + 1;
      while (close < lines.size() && !lines.get(close).equals(indent + "```")) {
        close++;
      }
      if (close == lines.size()) {
        problems.add(page + ":" + (i + 1) + ": the code block is not closed");
        return blocks;
      }
      int before = i - 1;
      while (before >= 0 && lines.get(before).isBlank()) {
        before--;
      }
      Matcher marker = before >= 0 ? MARKER.matcher(lines.get(before)) : null;
      if (marker != null && marker.matches()) {
        blocks.add(new Block(page, i + 1, language, marker.group(1), marker.group(2), lines.subList(i + 1, close)));
      } else if (language.equals("java") && (before < 0 || !FRAGMENT.matcher(lines.get(before)).matches())) {
        problems.add(page + ":" + (i + 1) + ": a java block needs <!-- snippet: name --> or <!-- fragment --> "
            + "before it");
      } else {
        blocks.add(new Block(page, i + 1, language, null, null, lines.subList(i + 1, close)));
      }
      i = close;
    }
    return blocks;
  }

  /** Compares each marked block with its region and describes every difference. */
  static List<String> compare(List<Block> blocks, Map<String, Region> regions) {
    List<String> problems = new ArrayList<>();
    for (Block block : blocks) {
      if (block.kind() == null) {
        continue;
      }
      Region region = regions.get(block.name());
      if (region == null) {
        problems.add(block.page() + ":" + block.line() + ": no region '" + block.name() + "' in the tests; regions: "
            + new TreeSet<>(regions.keySet()));
        continue;
      }
      List<String> expected = block.kind().equals("output") ? literals(region) : normalize(region.lines());
      List<String> actual = block.kind().equals("output") ? List.copyOf(block.lines()) : normalize(block.lines());
      if (!expected.equals(actual)) {
        problems.add(block.page() + ":" + block.line() + ": block '" + block.name() + "' differs from "
            + region.source() + ":" + region.line() + "\n--- in the test\n" + String.join("\n", expected)
            + "\n--- in the page\n" + String.join("\n", actual));
      }
    }
    return problems;
  }

  /** Strips trailing blanks, leading and trailing empty lines, and the indentation all lines share. */
  static List<String> normalize(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      out.add(line.stripTrailing());
    }
    while (!out.isEmpty() && out.get(0).isEmpty()) {
      out.remove(0);
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    int indent = Integer.MAX_VALUE;
    for (String line : out) {
      if (!line.isEmpty()) {
        indent = Math.min(indent, line.length() - line.stripLeading().length());
      }
    }
    List<String> stripped = new ArrayList<>();
    for (String line : out) {
      stripped.add(line.isEmpty() ? line : line.substring(indent));
    }
    return stripped;
  }

  /** Reads a region of one Java string literal per line, such as {@code "flowchart LR",}. */
  static List<String> literals(Region region) {
    List<String> out = new ArrayList<>();
    for (String line : region.lines()) {
      Matcher m = LITERAL.matcher(line.strip());
      if (!m.matches()) {
        throw new IllegalStateException("region '" + region.name() + "' of " + region.source()
            + " is an output region, so each line must be one string literal, but has: " + line.strip());
      }
      out.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
    }
    return out;
  }
}
