package dev.opskit.benchmarks.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.FlowBuilder;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.flow.Flow;
import org.springframework.batch.core.job.flow.support.SimpleFlow;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.support.TaskExecutorJobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.ResourcelessJobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Peer: a Spring Batch 6 job of no-op tasklet steps, with a {@link ResourcelessJobRepository} and a
 * {@link ResourcelessTransactionManager}, so that no database is involved.
 *
 * <ul>
 *   <li>{@code chain}: n steps in sequence ({@code start(s0).next(s1)...}), run by the launching thread, as a simple
 *       job always is;
 *   <li>{@code fanout}: a source step, a split of n one-step flows on a two-thread task executor, and a sink step.
 * </ul>
 *
 * <p>The job is built once per trial; each invocation launches a new job instance (a new {@code run} parameter, set up
 * outside the measured method) through a {@link TaskExecutorJobOperator}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class SpringBatchBenchmark {
  /** {@code chain} or {@code fanout}. */
  @Param({Shapes.CHAIN, Shapes.FANOUT})
  public String shape = Shapes.CHAIN;

  /** The chain length or fan-out width. */
  @Param({"1000"})
  public int size = 1_000;

  private @Nullable ExecutorService pool;
  private @Nullable TaskExecutorJobOperator operator;
  private @Nullable Job job;
  private @Nullable JobParameters parameters;
  private long runs;

  /** Builds the repository, the operator and the job. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    JobRepository repository = new ResourcelessJobRepository();
    PlatformTransactionManager transactions = new ResourcelessTransactionManager();
    TaskExecutorJobOperator op = new TaskExecutorJobOperator();
    op.setJobRepository(repository);
    op.setJobRegistry(new MapJobRegistry());
    op.afterPropertiesSet();
    operator = op;
    Tasklet noOp = (contribution, chunk) -> RepeatStatus.FINISHED;
    if (shape.equals(Shapes.FANOUT)) {
      ExecutorService threads = Executors.newFixedThreadPool(2);
      pool = threads;
      List<Flow> middles = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        Step step = new StepBuilder("m" + i, repository).tasklet(noOp, transactions).build();
        middles.add(new FlowBuilder<SimpleFlow>("f" + i).start(step).build());
      }
      job = new JobBuilder("fanout", repository)
          .start(new StepBuilder("source", repository).tasklet(noOp, transactions).build())
          .split(new TaskExecutorAdapter(threads)).add(middles.toArray(new Flow[0]))
          .next(new StepBuilder("sink", repository).tasklet(noOp, transactions).build())
          .end()
          .build();
    } else {
      var chain = new JobBuilder("chain", repository)
          .start(new StepBuilder("s0", repository).tasklet(noOp, transactions).build());
      for (int i = 1; i < size; i++) {
        chain = chain.next(new StepBuilder("s" + i, repository).tasklet(noOp, transactions).build());
      }
      job = chain.build();
    }
  }

  /** Chooses a new job instance for the next launch. */
  @Setup(Level.Invocation)
  public void nextInstance() {
    parameters = new JobParametersBuilder().addLong("run", ++runs).toJobParameters();
  }

  /** Stops the split's threads. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  /**
   * Launches the job once and waits for it.
   *
   * @param bh consumes the execution
   * @throws Exception if the launch fails
   */
  @Benchmark
  public void run(Blackhole bh) throws Exception {
    bh.consume(runOnce());
  }

  /**
   * The measured work: one launch. A job that did not complete, or that skipped a step, fails the benchmark rather than
   * flattering it.
   */
  JobExecution runOnce() throws Exception {
    JobExecution execution = Setups.require(operator).start(Setups.require(job), Setups.require(parameters));
    if (execution.getStatus() != BatchStatus.COMPLETED) {
      throw new IllegalStateException("job " + execution.getJobInstance().getJobName() + " ended "
          + execution.getStatus() + ": " + execution.getAllFailureExceptions());
    }
    int steps = execution.getStepExecutions().size();
    if (steps != Shapes.steps(shape, size)) {
      throw new IllegalStateException("job " + execution.getJobInstance().getJobName() + " ran " + steps
          + " steps instead of " + Shapes.steps(shape, size));
    }
    return execution;
  }
}
