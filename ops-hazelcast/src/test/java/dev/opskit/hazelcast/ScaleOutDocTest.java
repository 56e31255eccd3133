package dev.opskit.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.Run;
import dev.opskit.run.RunStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the code of {@code docs/scale-out.md}, and checks that every {@code <!-- snippet: name -->} block of the page
 * equals the lines between {@code // doc:start name} and {@code // doc:end name} here, stripped of their common
 * indentation.
 */
class ScaleOutDocTest {
  private static final Path PAGE = Path.of("").toAbsolutePath().getParent().resolve(Path.of("docs", "scale-out.md"));
  private static final Path SOURCE = Path.of("src", "test", "java", "dev", "opskit", "hazelcast",
      "ScaleOutDocTest.java");

  static Pipeline lengths() {
    // doc:start scale-out-pipeline
    Dataset<String> text = Dataset.of("text", String.class);
    Dataset<Integer> length = Dataset.of("length", Integer.class);
    Pipeline pipeline = Pipeline.builder("lengths")
        .step("read", s -> s.writes(text).apply(() -> "hello"))
        .step("measure", s -> s.reads(text).writes(length)
            .tags(HazelcastExecutor.placementTag("gpu"))   // the step tag member.gpu
            .apply(String::length))
        .build();
    // doc:end scale-out-pipeline
    return pipeline;
  }

  @Test
  void aMemberRunsTheStepsOfItsOwnRuns() {
    int port = TestCluster.freePort();
    String[] members = {"127.0.0.1:" + port};
    Pipeline pipeline = lengths();
    try (Workspace workspace = Workspace.inMemory()) {
      // doc:start scale-out-member
      PipelineRegistry pipelines = PipelineRegistry.of(pipeline);
      OpsClusterConfig config = OpsClusterConfig.builder("ml-prod")
          .members(members)                      // host:port of every member, the same list everywhere
          .port(port)                            // this member's port
          .slots(4)                              // steps it runs at once
          .tags("gpu")                           // it may run steps tagged member.gpu
          .worker(workspace.worker(pipelines))   // what runs the steps sent here
          .pipelines(pipelines)                  // where this JVM's executors read the steps' tags
          .build();
      try (OpsCluster cluster = OpsCluster.embedded(config)) {
        Run run = workspace.runner().plan(pipeline).executor(cluster.executor()).run();
        assert run.status() == RunStatus.SUCCEEDED;
      }
      // doc:end scale-out-member
    }
  }

  @Test
  void aClientSendsStepsToTheMembers() {
    Pipeline pipeline = lengths();
    try (Workspace workspace = Workspace.inMemory();
        TestCluster cluster = TestCluster.start("ml-prod", 1,
            (i, b) -> b.tags("gpu").worker(workspace.worker(PipelineRegistry.of(pipeline))))) {
      String[] members = cluster.addresses.toArray(new String[0]);
      // doc:start scale-out-client
      OpsClusterConfig config = OpsClusterConfig.builder("ml-prod")
          .members(members)
          .pipelines(PipelineRegistry.of(pipeline))
          .build();
      try (OpsCluster client = OpsCluster.client(config)) {
        Run run = workspace.runner().plan(pipeline).executor(client.executor()).run();
        assert run.status() == RunStatus.SUCCEEDED;
      }
      // doc:end scale-out-client
    }
  }

  @Test
  void theSnippetsOfThePageEqualTheCodeHere() throws IOException {
    Map<String, List<String>> regions = regions(Files.readAllLines(SOURCE, StandardCharsets.UTF_8));
    Map<String, List<String>> blocks = blocks(Files.readAllLines(PAGE, StandardCharsets.UTF_8));
    assertThat(blocks.keySet()).as("the snippets of %s", PAGE).containsExactlyInAnyOrderElementsOf(regions.keySet());
    regions.forEach((name, lines) -> assertThat(blocks.get(name)).as("snippet %s", name).isEqualTo(lines));
  }

  private static Map<String, List<String>> regions(List<String> source) {
    Pattern start = Pattern.compile("^\\s*// doc:start ([\\w.-]+)\\s*$");
    Pattern end = Pattern.compile("^\\s*// doc:end ([\\w.-]+)\\s*$");
    Map<String, List<String>> regions = new LinkedHashMap<>();
    String open = null;
    List<String> lines = new ArrayList<>();
    for (String line : source) {
      Matcher s = start.matcher(line);
      Matcher e = end.matcher(line);
      if (s.matches()) {
        open = s.group(1);
        lines = new ArrayList<>();
      } else if (e.matches() && e.group(1).equals(open)) {
        regions.put(open, dedent(lines));
        open = null;
      } else if (open != null) {
        lines.add(line);
      }
    }
    return regions;
  }

  private static Map<String, List<String>> blocks(List<String> page) {
    Pattern marker = Pattern.compile("^<!-- snippet: ([\\w.-]+) -->$");
    Map<String, List<String>> blocks = new LinkedHashMap<>();
    for (int i = 0; i < page.size(); i++) {
      Matcher m = marker.matcher(page.get(i).strip());
      if (m.matches() && i + 1 < page.size() && page.get(i + 1).strip().equals("```java")) {
        List<String> lines = new ArrayList<>();
        int j = i + 2;
        while (j < page.size() && !page.get(j).strip().equals("```")) {
          lines.add(page.get(j++));
        }
        blocks.put(m.group(1), dedent(lines));
      }
    }
    return blocks;
  }

  private static List<String> dedent(List<String> lines) {
    int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
        .min().orElse(0);
    return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
  }
}
