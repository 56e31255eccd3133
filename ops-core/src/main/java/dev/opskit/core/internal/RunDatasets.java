package dev.opskit.core.internal;

import java.util.Map;

/**
 * The datasets of one run in progress, as the parts of the run share them: each dataset's slot, the values held in
 * memory, and the versions known, by dataset name. The record only groups them; the values and the versions are
 * concurrent, so it is thread-safe.
 *
 * @param slots the slots of the run's pipeline
 * @param values the run's values in memory
 * @param versions the versions the run knows, by dataset
 */
record RunDatasets(DatasetSlots slots, RunValues values, Map<String, String> versions) {}
