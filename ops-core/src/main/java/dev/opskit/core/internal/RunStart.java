package dev.opskit.core.internal;

import dev.opskit.run.StepRecord;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a run starts from, as its request resolved it: which pipeline positions are part of it, which of those a
 * resumed run already completed, the values and versions known before any step runs, and the planner that decides
 * the rest. The arrays and maps are handed over, not copied.
 *
 * @param resumedFrom the run this one resumes, or null
 * @param selected which positions are part of the run
 * @param reused positions that the resumed run already completed, a subset of {@code selected}
 * @param seed values available before any step runs: supplied inputs and resumed outputs
 * @param seedVersions versions available before any step runs, by dataset
 * @param reusedRecords the resumed run's records of the reused steps, by step name
 * @param planner decides whether each step runs, and why
 * @param keepIntermediates whether in-memory intermediates are kept until the run ends instead of released
 */
record RunStart(@Nullable String resumedFrom, boolean[] selected, boolean[] reused, Map<String, Object> seed,
    Map<String, String> seedVersions, Map<String, StepRecord> reusedRecords, Planner planner,
    boolean keepIntermediates) {}
