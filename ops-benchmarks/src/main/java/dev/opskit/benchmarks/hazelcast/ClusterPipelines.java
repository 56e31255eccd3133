package dev.opskit.benchmarks.hazelcast;

import dev.opskit.data.Datasets;
import dev.opskit.hazelcast.HazelcastExecutor;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.PipelineBuilder;
import dev.opskit.run.PipelineRegistry;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * The pipelines of the {@code hazelcast} suite. The coordinator and every worker JVM build them from the same
 * arguments, since steps travel by name:
 *
 * <ul>
 *   <li>{@value #FANOUT}: a source writes {@code seed} (JSON), and {@code width} steps each read it and write a JSON
 *       dataset of their own; workers commit on the shared PostgreSQL workspace;
 *   <li>{@value #EMPTY_PG}: {@code width} independent steps with no inputs and no outputs, on the PostgreSQL workspace
 *       (a worker still records, in one transaction, that the run's step committed its outputs, none);
 *   <li>{@value #EMPTY_MEM}: the same steps, but each JVM runs them over an in-memory workspace of its own: nothing
 *       is shared or stored, so only the executor, the runner and the worker are measured;
 *   <li>{@value #HASH_SOLO} and {@value #HASH_ALL}: {@code hashSteps} independent steps, each hashing a 64 KiB block
 *       {@code hashBlocks} times with SHA-256 (no inputs or outputs, in-memory); the first carry the placement tag of
 *       member tag {@value #SOLO_TAG}, which only the first worker carries, the second go to any worker.
 * </ul>
 */
final class ClusterPipelines {
  static final String FANOUT = "fanout-pg";
  static final String EMPTY_PG = "empty-pg";
  static final String EMPTY_MEM = "empty-mem";
  static final String HASH_SOLO = "hash-solo";
  static final String HASH_ALL = "hash-all";
  /** The member tag only the first worker carries. */
  static final String SOLO_TAG = "solo";
  /** The pipelines whose workers use the shared PostgreSQL workspace. */
  static final Set<String> ON_POSTGRES = Set.of(FANOUT, EMPTY_PG);

  private static final int BLOCK = 64 * 1024;

  private ClusterPipelines() {}

  /**
   * Builds every pipeline.
   *
   * @param width the fan-out's width and the number of empty steps
   * @param hashSteps the number of hashing steps
   * @param hashBlocks how many 64 KiB blocks each hashing step hashes
   * @return the registry
   */
  static PipelineRegistry all(int width, int hashSteps, long hashBlocks) {
    return PipelineRegistry.of(fanOut(width), empty(EMPTY_PG, width), empty(EMPTY_MEM, width),
        hashing(HASH_SOLO, hashSteps, hashBlocks, true), hashing(HASH_ALL, hashSteps, hashBlocks, false));
  }

  static Pipeline fanOut(int width) {
    Dataset<Integer> seed = Datasets.json("hz/seed", Integer.class);
    PipelineBuilder b = Pipeline.builder(FANOUT).step("source", s -> s.writes(seed).apply(() -> 1));
    for (int i = 0; i < width; i++) {
      int n = i;
      Dataset<Integer> out = Datasets.json("hz/out-" + i, Integer.class);
      b.step("s" + i, s -> s.reads(seed).writes(out).apply(x -> x + n));
    }
    return b.build();
  }

  static Pipeline empty(String name, int width) {
    PipelineBuilder b = Pipeline.builder(name);
    for (int i = 0; i < width; i++) {
      b.step("s" + i, s -> s.run(ctx -> { }));
    }
    return b.build();
  }

  static Pipeline hashing(String name, int steps, long blocks, boolean solo) {
    PipelineBuilder b = Pipeline.builder(name);
    for (int i = 0; i < steps; i++) {
      int n = i;
      b.step("h" + i, s -> (solo ? s.tags(HazelcastExecutor.placementTag(SOLO_TAG)) : s).run(ctx -> hash(n, blocks)));
    }
    return b.build();
  }

  /**
   * Hashes a 64 KiB block {@code blocks} times, chaining the digests, so that nothing can be skipped.
   *
   * @param salt makes each step's first block different
   * @param blocks how many blocks
   * @return the first byte of the last digest
   */
  static byte hash(int salt, long blocks) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] block = new byte[BLOCK];
    block[0] = (byte) salt;
    byte[] digest = new byte[0];
    for (long i = 0; i < blocks; i++) {
      sha.update(block);
      digest = sha.digest();
      System.arraycopy(digest, 0, block, 1, digest.length);
    }
    return digest.length == 0 ? 0 : digest[0];
  }
}
