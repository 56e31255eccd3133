package dev.opskit.data.internal;

import dev.opskit.data.profile.DatasetProfile;
import dev.opskit.pipeline.ValidationReport;
import dev.opskit.store.BlobManifest;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A version's content, stored in the blob store but not recorded yet, with what was learned on the way.
 *
 * @param dataset the dataset's name
 * @param blob the content's blob
 * @param format the codec's format
 * @param rows the rows, or -1 for content that is not tabular
 * @param schema the codec's columns, or empty
 * @param report what the dataset's checks found, or null without checks
 * @param profile the columns' profile, or null if not computed in the commit
 * @param parts the blobs the content refers to, such as a file tree's files
 * @param profileLater whether the profile is to be computed after the commit, from the stored content
 */
record StoredContent(String dataset, BlobManifest blob, String format, long rows, Map<String, String> schema,
    @Nullable ValidationReport report, @Nullable DatasetProfile profile, List<BlobManifest> parts,
    boolean profileLater) {
  StoredContent(String dataset, BlobManifest blob, String format, long rows, Map<String, String> schema,
      @Nullable ValidationReport report, @Nullable DatasetProfile profile, List<BlobManifest> parts) {
    this(dataset, blob, format, rows, schema, report, profile, parts, false);
  }

  List<String> partIds() {
    return parts.stream().map(BlobManifest::id).toList();
  }

  boolean blocks() {
    return report != null && report.blocks();
  }
}
