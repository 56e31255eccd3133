package dev.opskit.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The selections and force options of a run request, as given: each array is null when the option was not used. Used
 * by one thread.
 */
final class Selection {
  String @Nullable [] only;
  String @Nullable [] from;
  String @Nullable [] to;
  String @Nullable [] tags;
  String @Nullable [] namespaces;
  String @Nullable [] fromInputs;
  String @Nullable [] toOutputs;
  String @Nullable [] forced;
  String @Nullable [] forcedDownstream;
  boolean forceAll;

  /** Whether a selection (not a force option) was used. */
  boolean selects() {
    return only != null || from != null || to != null || tags != null || namespaces != null || fromInputs != null
        || toOutputs != null;
  }

  /** The selections used, as {@code only[a, b]}, for messages. */
  List<String> describe() {
    List<String> out = new ArrayList<>();
    add(out, "only", only);
    add(out, "from", from);
    add(out, "to", to);
    add(out, "withTags", tags);
    add(out, "inNamespace", namespaces);
    add(out, "fromInputs", fromInputs);
    add(out, "toOutputs", toOutputs);
    return out;
  }

  private static void add(List<String> out, String name, String @Nullable [] values) {
    if (values != null) {
      out.add(name + Arrays.toString(values));
    }
  }
}
