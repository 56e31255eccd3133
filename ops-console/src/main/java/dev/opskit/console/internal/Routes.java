package dev.opskit.console.internal;

import dev.opskit.Names;
import dev.opskit.Workspace;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Which page answers which address, and the checks on the address's parts. Thread-safe: it holds no request state. */
final class Routes {
  /** The theme cookie's name; its value is {@code light} or {@code dark}, absent to follow the system. */
  static final String THEME_COOKIE = "opskit-theme";

  private final Workspace workspace;
  private final ReadModel read;
  private final Map<String, Pipeline> pipelines;

  Routes(Workspace workspace, ReadModel read, Map<String, Pipeline> pipelines) {
    this.workspace = workspace;
    this.read = read;
    this.pipelines = pipelines;
  }

  Answer route(Request r) {
    if (r.size() == 0) {
      return Answer.redirect("/runs");
    }
    String section = r.segment(0);
    if (section.equals("runs") && r.size() == 1) {
      RunFilter filter = RunFilter.of(r);
      return Answer.ok(RunsView.render(read.runs(filter, r.offset()), filter));
    }
    if (section.equals("runs") && r.size() == 2) {
      String id = r.segment(1);
      Run run = read.run(id).orElseThrow(() -> new HttpError(404, "There is no run '" + id + "' in this workspace."));
      return Answer.ok(RunView.render(run, pipelines.get(run.pipeline()), workspace.clock().instant()));
    }
    if (section.equals("models") && r.size() == 1) {
      return Answer.ok(ModelsView.render(read.models(r.offset())));
    }
    if (section.equals("models") && r.size() == 2) {
      String name = model(r.segment(1));
      return Answer.ok(ModelView.render(read.model(name, r.offset(), r.offset("audit"))
          .orElseThrow(() -> new HttpError(404, "There is no model '" + name + "' in this workspace."))));
    }
    if (section.equals("datasets") && r.size() == 1) {
      return Answer.ok(DatasetsView.render(read.datasets(r.offset()), pipelines.values()));
    }
    if (section.equals("datasets")) {
      String last = r.segment(r.size() - 1);
      if (last.startsWith("@") && r.size() > 2) {
        String name = dataset(r, 1, r.size() - 1);
        return Answer.ok(VersionView.render(read.versionDetail(name, versionId("version", last.substring(1)))));
      }
      String name = dataset(r, 1, r.size());
      return Answer.ok(DatasetView.render(name, read.versions(name, r.offset())));
    }
    if (section.equals("diff") && r.size() > 1) {
      String name = dataset(r, 1, r.size());
      String from = versionId("from", required(r, "from"));
      String to = versionId("to", required(r, "to"));
      return Answer.ok(DiffView.render(name, read.compare(name, from, to), read.versions(name, 0)));
    }
    if (section.equals("compare") && r.size() == 3 && r.segment(1).equals("models")) {
      String name = model(r.segment(2));
      List<String> given = chosen(r, "v", "versions");
      int[] numbers = new int[given.size()];
      for (int i = 0; i < numbers.length; i++) {
        try {
          numbers[i] = Integer.parseInt(given.get(i));
        } catch (NumberFormatException e) {
          numbers[i] = -1;
        }
        if (numbers[i] < 1) {
          throw new HttpError(400, "v must be a version number of at least 1, got '" + given.get(i) + "'");
        }
      }
      // Oldest first, whatever order the boxes were ticked in: the charts read left to right over time.
      Arrays.sort(numbers);
      return Answer.ok(CompareView.models(read.compareModel(name, numbers)));
    }
    if (section.equals("compare") && r.size() == 2 && r.segment(1).equals("runs")) {
      return Answer.ok(CompareView.runs(read.compareRuns(chosen(r, "run", "runs"))));
    }
    if (section.equals("theme") && r.size() == 1) {
      return theme(r);
    }
    throw new HttpError(404, "The console has no page at this address: see Runs, Models or Datasets above.");
  }

  /** Sets or clears the theme cookie and sends the browser back: a preference of this browser, not a change. */
  private static Answer theme(Request r) {
    String set = r.param("set");
    Layout.Theme theme = Layout.Theme.of(set);
    if (theme == null && !"auto".equals(set)) {
      throw new HttpError(400, "set must be one of [auto, light, dark], got '" + set + "'");
    }
    String back = r.param("back");
    // Only a path on this console: never another site (//host) or a scheme.
    if (back == null || !back.startsWith("/") || back.startsWith("//") || back.contains("\\")
        || back.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      back = "/";
    }
    String cookie = theme == null ? THEME_COOKIE + "=; Path=/; Max-Age=0; SameSite=Strict"
        : THEME_COOKIE + "=" + theme.value() + "; Path=/; Max-Age=31536000; SameSite=Strict";
    return new Answer(303, "", back, cookie);
  }

  private static String required(Request r, String name) {
    String v = r.param(name);
    if (v == null) {
      throw new HttpError(400, name + " is required: the id (or a unique prefix) of a version of the dataset");
    }
    return v;
  }

  /** The distinct values chosen for a comparison, 2 to {@link CompareView#MAX} of them. */
  private static List<String> chosen(Request r, String name, String what) {
    List<String> values = List.copyOf(new LinkedHashSet<>(r.params(name)));
    if (values.size() < 2 || values.size() > CompareView.MAX) {
      throw new HttpError(400, "choose 2 to " + CompareView.MAX + " " + what + " to compare (" + name + "=…&" + name
          + "=…), got " + values.size());
    }
    return values;
  }

  private static String model(String name) {
    Names.nameProblem("model", name).ifPresent(p -> {
      throw new HttpError(400, p);
    });
    return name;
  }

  private static String dataset(Request r, int from, int to) {
    String name = String.join("/", Arrays.asList(r.segments()).subList(from, to));
    Names.datasetNameProblem(name).ifPresent(p -> {
      throw new HttpError(400, p);
    });
    return name;
  }

  private static String versionId(String what, String id) {
    if (id.isEmpty() || id.length() > 128 || !id.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-'
        || c == '_')) {
      throw new HttpError(400, what + " must be a version id or a prefix of one (letters, digits, '-' and '_'), got '"
          + id + "'");
    }
    return id;
  }
}
