package dev.opskit.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keeps the Java of {@code docs/console.md} running: every {@code java} block after {@code <!-- snippet: name -->}
 * equals the region {@code // doc:start name} … {@code // doc:end name} of this file (indentation stripped), and the
 * regions run here.
 */
class ConsoleDocsTest {
  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path PAGE = MODULE.getParent().resolve("docs").resolve("console.md");
  private static final Path SOURCE = MODULE.resolve("src/test/java/dev/opskit/console/ConsoleDocsTest.java");

  @Test
  void theSnippetsRunAsWritten() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try (Workspace workspace = Workspace.inMemory()) {
      // doc:start serve
      try (ConsoleServer console = Console.serve(workspace, 0)) {   // 0: any free port; 8090, say
        System.out.println("opskit console at " + console.uri());   // http://127.0.0.1:<port>/
        awaitShutdown();                                            // your application's own wait
      }
      // doc:end serve
      String token = "a-long-random-token-from-your-vault";
      // doc:start builder
      ConsoleServer console = Console.builder(workspace)
          .port(0)                                // 8090, say; 0 picks a free one
          .token(token)                           // optional; at least 16 characters
          .pipelines(ConsoleFixture.DEMO)         // optional; draws the edges of their runs' graphs
          .serve();
      // doc:end builder
      try (console) {
        assertThat(http.send(HttpRequest.newBuilder(console.uri().resolve("/runs")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(http.send(HttpRequest.newBuilder(console.uri().resolve("/datasets"))
            .header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofString()).body()).contains("demo/a");
      }
    }
  }

  /** Where a host would block until it stops; the test goes on at once. */
  private static void awaitShutdown() {}

  @Test
  void everySnippetOfThePageEqualsItsRegionHereAndEveryRegionIsShown() throws Exception {
    Map<String, List<String>> regions = regions(Files.readAllLines(SOURCE, StandardCharsets.UTF_8));
    Map<String, List<String>> blocks = blocks(Files.readAllLines(PAGE, StandardCharsets.UTF_8));
    assertThat(blocks.keySet()).as("snippets of %s", PAGE).containsExactlyInAnyOrderElementsOf(regions.keySet());
    blocks.forEach((name, lines) -> assertThat(lines).as("snippet %s", name).isEqualTo(regions.get(name)));
  }

  private static Map<String, List<String>> regions(List<String> source) {
    Map<String, List<String>> regions = new LinkedHashMap<>();
    String open = null;
    List<String> lines = new ArrayList<>();
    for (String line : source) {
      String t = line.trim();
      if (t.startsWith("// doc:start ")) {
        open = t.substring("// doc:start ".length());
        lines = new ArrayList<>();
      } else if (t.startsWith("// doc:end ") && open != null) {
        regions.put(open, strip(lines));
        open = null;
      } else if (open != null) {
        lines.add(line);
      }
    }
    return regions;
  }

  private static Map<String, List<String>> blocks(List<String> page) {
    Map<String, List<String>> blocks = new LinkedHashMap<>();
    for (int i = 0; i < page.size(); i++) {
      String t = page.get(i).trim();
      if (t.startsWith("<!-- snippet: ") && t.endsWith(" -->")) {
        String name = t.substring("<!-- snippet: ".length(), t.length() - 4);
        assertThat(page.get(i + 1).trim()).as("line after the %s marker", name).isEqualTo("```java");
        List<String> lines = new ArrayList<>();
        for (int j = i + 2; !page.get(j).trim().equals("```"); j++) {
          lines.add(page.get(j));
        }
        blocks.put(name, strip(lines));
      } else if (t.equals("```java")) {
        assertThat(i > 0 && page.get(i - 1).trim().startsWith("<!-- snippet: ")).as("java block at line %d of %s "
            + "has a snippet marker", i + 1, PAGE).isTrue();
      }
    }
    return blocks;
  }

  private static List<String> strip(List<String> lines) {
    int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
        .min().orElse(0);
    return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
  }
}
