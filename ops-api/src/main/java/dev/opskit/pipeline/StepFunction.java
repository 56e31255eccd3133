package dev.opskit.pipeline;

import org.apiguardian.api.API;

/**
 * The general form of a step's work: it reads its inputs from, and writes each declared output to, a
 * {@link StepContext}. Use it for steps with several outputs or that need parameters; the typed forms
 * ({@link Fn0}..{@link Fn3}) cover the common single-output cases.
 *
 * <pre>{@code
 * .step("split", s -> s.inputs(all).outputs(train, test).run(ctx -> {
 *   List<Row> rows = ctx.input(all);
 *   int cut = (int) (rows.size() * ctx.param("trainFraction", Double.class));
 *   ctx.output(train, rows.subList(0, cut));
 *   ctx.output(test, rows.subList(cut, rows.size()));
 * }))
 * }</pre>
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
@FunctionalInterface
public interface StepFunction {
  /**
   * Does the step's work.
   *
   * @param context the inputs, parameters and output sink of this attempt
   * @throws Exception any failure; the attempt fails with it as the cause
   */
  void run(StepContext context) throws Exception;
}
