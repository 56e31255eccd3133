package dev.opskit.pipeline;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Declares one step. A declaration names what the step reads, what it writes, and ends with its function:
 *
 * <pre>{@code
 * Pipeline.builder("churn")
 *     .step("clean", s -> s.reads(raw).writes(clean).apply(Cleaning::clean))
 *     .step("join", s -> s.reads(clean, regions).writes(joined).apply(Joins::byRegion))
 *     .step("split", s -> s.inputs(joined).outputs(train, test).run(ctx -> { ... }))
 *     .build();
 * }</pre>
 *
 * <p>The typed forms ({@code reads(...).writes(...).apply(...)}) check at compile time that the function fits the
 * datasets. {@link #inputs}, {@link #outputs} and {@link #run} are the general form for any number of each.
 * Options from {@link StepSpec} may come anywhere in the chain. A builder is used by one thread while a pipeline is
 * declared.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class StepBuilder extends StepSpec<StepBuilder> {
  StepBuilder(StepDraft draft) {
    super(draft);
  }

  /**
   * Declares one input.
   *
   * @param a the input
   * @param <A> its type
   * @return the next stage, which takes the output
   */
  public <A> Reads1<A> reads(Dataset<A> a) {
    draft.inputs(a);
    return new Reads1<>(draft, a);
  }

  /**
   * Declares two inputs.
   *
   * @param a the first input
   * @param b the second input
   * @param <A> the first input's type
   * @param <B> the second input's type
   * @return the next stage, which takes the output
   */
  public <A, B> Reads2<A, B> reads(Dataset<A> a, Dataset<B> b) {
    draft.inputs(a, b);
    return new Reads2<>(draft, a, b);
  }

  /**
   * Declares three inputs.
   *
   * @param a the first input
   * @param b the second input
   * @param c the third input
   * @param <A> the first input's type
   * @param <B> the second input's type
   * @param <C> the third input's type
   * @return the next stage, which takes the output
   */
  public <A, B, C> Reads3<A, B, C> reads(Dataset<A> a, Dataset<B> b, Dataset<C> c) {
    draft.inputs(a, b, c);
    return new Reads3<>(draft, a, b, c);
  }

  /**
   * Declares the output of a step with no input: a source.
   *
   * @param output the output
   * @param <O> its type
   * @return the stage that takes the function
   */
  public <O> Writes0<O> writes(Dataset<O> output) {
    draft.inputs();
    draft.outputs(output);
    return new Writes0<>(draft, output);
  }

  /**
   * Declares any number of inputs, for the general {@link #run(StepFunction)} form.
   *
   * @param inputs the inputs
   * @return this builder
   */
  public StepBuilder inputs(Dataset<?>... inputs) {
    draft.inputs(inputs);
    return this;
  }

  /**
   * Declares one or more outputs, for the general {@link #run(StepFunction)} form.
   *
   * @param outputs the outputs
   * @return this builder
   */
  public StepBuilder outputs(Dataset<?>... outputs) {
    draft.outputs(outputs);
    return this;
  }

  /**
   * Sets the function, which reads inputs and writes every output through its {@link StepContext}.
   *
   * @param function the function
   * @return this builder
   */
  public StepBuilder run(StepFunction function) {
    Objects.requireNonNull(function, "function");
    draft.function(function, function);
    return this;
  }

  /**
   * The stage of a step with one input, before its output.
   *
   * @param <A> the input type
   * @since 0.1.0
   */
  @API(status = API.Status.STABLE, since = "0.1.0")
  public static final class Reads1<A> extends StepSpec<Reads1<A>> {
    private final Dataset<A> a;

    Reads1(StepDraft draft, Dataset<A> a) {
      super(draft);
      this.a = a;
    }

    /**
     * Declares the output.
     *
     * @param output the output
     * @param <O> its type
     * @return the stage that takes the function
     */
    public <O> Writes1<A, O> writes(Dataset<O> output) {
      draft.outputs(output);
      return new Writes1<>(draft, a, output);
    }
  }

  /**
   * The stage of a step with two inputs, before its output.
   *
   * @param <A> the first input type
   * @param <B> the second input type
   * @since 0.1.0
   */
  @API(status = API.Status.STABLE, since = "0.1.0")
  public static final class Reads2<A, B> extends StepSpec<Reads2<A, B>> {
    private final Dataset<A> a;
    private final Dataset<B> b;

    Reads2(StepDraft draft, Dataset<A> a, Dataset<B> b) {
      super(draft);
      this.a = a;
      this.b = b;
    }

    /**
     * Declares the output.
     *
     * @param output the output
     * @param <O> its type
     * @return the stage that takes the function
     */
    public <O> Writes2<A, B, O> writes(Dataset<O> output) {
      draft.outputs(output);
      return new Writes2<>(draft, a, b, output);
    }
  }

  /**
   * The stage of a step with three inputs, before its output.
   *
   * @param <A> the first input type
   * @param <B> the second input type
   * @param <C> the third input type
   * @since 0.1.0
   */
  @API(status = API.Status.STABLE, since = "0.1.0")
  public static final class Reads3<A, B, C> extends StepSpec<Reads3<A, B, C>> {
    private final Dataset<A> a;
    private final Dataset<B> b;
    private final Dataset<C> c;

    Reads3(StepDraft draft, Dataset<A> a, Dataset<B> b, Dataset<C> c) {
      super(draft);
      this.a = a;
      this.b = b;
      this.c = c;
    }

    /**
     * Declares the output.
     *
     * @param output the output
     * @param <O> its type
     * @return the stage that takes the function
     */
    public <O> Writes3<A, B, C, O> writes(Dataset<O> output) {
      draft.outputs(output);
      return new Writes3<>(draft, a, b, c, output);
    }
  }

  /**
   * The last stage of a source step: it takes the function.
   *
   * @param <O> the output type
   * @since 0.1.0
   */
  @API(status = API.Status.STABLE, since = "0.1.0")
  public static final class Writes0<O> extends StepSpec<Writes0<O>> {
    private final Dataset<O> out;

    Writes0(StepDraft draft, Dataset<O> out) {
      super(draft);
      this.out = out;
    }

    /**
     * Sets the function.
     *
     * @param fn computes the output
     * @return this stage, for options that follow
     */
    public Writes0<O> apply(Fn0<? extends O> fn) {
      Objects.requireNonNull(fn, "fn");
      // Locals, not fields, in the lambda: capturing this stage would keep the whole draft alive with the step.
      Dataset<O> o = out;
      draft.function(ctx -> ctx.output(o, fn.apply()), fn);
      return this;
    }
  }

  /**
   * The last stage of a step with one input: it takes the function.
   *
   * @param <A> the input type
   * @param <O> the output type
   * @since 0.1.0
   */
  @API(status = API.Status.STABLE, since = "0.1.0")
  public static final class Writes1<A, O> extends StepSpec<Writes1<A, O>> {
    private final Dataset<A> a;
    private final Dataset<O> out;

    Writes1(StepDraft draft, Dataset<A> a, Dataset<O> out) {
      super(draft);
      this.a = a;
      this.out = out;
    }

    /**
     * Sets the function.
     *
     * @param fn computes the output from the input
     * @return this stage, for options that follow
     */
    public Writes1<A, O> apply(Fn1<? super A, ? extends O> fn) {
      Objects.requireNonNull(fn, "fn");
      Dataset<A> in = a;
      Dataset<O> o = out;
      draft.function(ctx -> ctx.output(o, fn.apply(ctx.input(in))), fn);
      return this;
    }
  }

  /**
   * The last stage of a step with two inputs: it takes the function.
   *
   * @param <A> the first input type
   * @param <B> the second input type
   * @param <O> the output type
   * @since 0.1.0
   */
  @API(status = API.Status.STABLE, since = "0.1.0")
  public static final class Writes2<A, B, O> extends StepSpec<Writes2<A, B, O>> {
    private final Dataset<A> a;
    private final Dataset<B> b;
    private final Dataset<O> out;

    Writes2(StepDraft draft, Dataset<A> a, Dataset<B> b, Dataset<O> out) {
      super(draft);
      this.a = a;
      this.b = b;
      this.out = out;
    }

    /**
     * Sets the function.
     *
     * @param fn computes the output from the inputs
     * @return this stage, for options that follow
     */
    public Writes2<A, B, O> apply(Fn2<? super A, ? super B, ? extends O> fn) {
      Objects.requireNonNull(fn, "fn");
      Dataset<A> in1 = a;
      Dataset<B> in2 = b;
      Dataset<O> o = out;
      draft.function(ctx -> ctx.output(o, fn.apply(ctx.input(in1), ctx.input(in2))), fn);
      return this;
    }
  }

  /**
   * The last stage of a step with three inputs: it takes the function.
   *
   * @param <A> the first input type
   * @param <B> the second input type
   * @param <C> the third input type
   * @param <O> the output type
   * @since 0.1.0
   */
  @API(status = API.Status.STABLE, since = "0.1.0")
  public static final class Writes3<A, B, C, O> extends StepSpec<Writes3<A, B, C, O>> {
    private final Dataset<A> a;
    private final Dataset<B> b;
    private final Dataset<C> c;
    private final Dataset<O> out;

    Writes3(StepDraft draft, Dataset<A> a, Dataset<B> b, Dataset<C> c, Dataset<O> out) {
      super(draft);
      this.a = a;
      this.b = b;
      this.c = c;
      this.out = out;
    }

    /**
     * Sets the function.
     *
     * @param fn computes the output from the inputs
     * @return this stage, for options that follow
     */
    public Writes3<A, B, C, O> apply(Fn3<? super A, ? super B, ? super C, ? extends O> fn) {
      Objects.requireNonNull(fn, "fn");
      Dataset<A> in1 = a;
      Dataset<B> in2 = b;
      Dataset<C> in3 = c;
      Dataset<O> o = out;
      draft.function(ctx -> ctx.output(o, fn.apply(ctx.input(in1), ctx.input(in2), ctx.input(in3))), fn);
      return this;
    }
  }
}
