package dev.opskit.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** docs/cli.md's command table and the command tree name the same commands, and every command's help has examples. */
class CliDocsTest {
  static final Path DOC = Path.of("").toAbsolutePath().getParent().resolve("docs").resolve("cli.md");

  static Set<String> leaves(CommandLine cmd, String prefix, Set<String> into) {
    if (cmd.getSubcommands().isEmpty()) {
      into.add(prefix.strip());
    }
    cmd.getSubcommands().forEach((name, sub) -> leaves(sub, prefix + " " + name, into));
    return into;
  }

  @Test
  void theDocsTableNamesEveryCommandAndNoOther() throws Exception {
    Set<String> commands = leaves(new CommandLine(new RootCommand()), "", new TreeSet<>());
    Set<String> documented = new TreeSet<>();
    Matcher m = Pattern.compile("`opskit ([a-z-]+(?: [a-z-]+)?)").matcher(Files.readString(DOC));
    while (m.find()) {
      String words = m.group(1);
      documented.add(commands.contains(words) ? words : words.split(" ")[0]);
    }
    assertThat(documented).containsAll(commands);
    assertThat(commands).containsAll(documented);
  }

  @Test
  void everyCommandsHelpHasExamples() {
    CommandLine root = new CommandLine(new RootCommand());
    Set<String> leaves = leaves(root, "", new TreeSet<>());
    leaves.remove("generate-completion");
    for (String path : leaves) {
      CommandLine cmd = root;
      for (String word : path.split(" ")) {
        cmd = cmd.getSubcommands().get(word);
      }
      StringWriter help = new StringWriter();
      cmd.usage(new PrintWriter(help));
      assertThat(help.toString()).as("opskit %s --help", path).contains("Examples:", "  opskit " + path);
    }
  }
}
