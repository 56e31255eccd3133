package dev.opskit.pipeline;

import dev.opskit.Names;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** The mutable state behind a step's builder stages. Not thread-safe; lives only while a pipeline is declared. */
final class StepDraft {
  final String name;
  final List<String> problems = new ArrayList<>();
  @Nullable String description;
  @Nullable List<Dataset<?>> inputs;
  @Nullable List<Dataset<?>> outputs;
  final TreeMap<String, Object> params = new TreeMap<>();
  final TreeSet<String> tags = new TreeSet<>();
  @Nullable String codeVersion;
  @Nullable RetryPolicy retry;
  boolean retrySet;
  @Nullable Duration timeout;
  boolean timeoutSet;
  @Nullable Freshness freshness;
  @Nullable StepFunction function;
  @Nullable Object implementation;

  StepDraft(String name) {
    this.name = name;
  }

  void describedAs(String text) {
    Objects.requireNonNull(text, "description");
    if (description != null) {
      throw alreadySet("description", description);
    }
    description = text;
  }

  void param(String key, Object value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, () -> "value of parameter '" + key + "' of step '" + name + "'");
    Names.requireValidName("parameter", key);
    if (params.containsKey(key)) {
      throw alreadySet("parameter '" + key + "'", params.get(key));
    }
    params.put(key, canonical(key, value));
  }

  void tags(String... values) {
    Objects.requireNonNull(values, "tags");
    for (String tag : values) {
      Objects.requireNonNull(tag, "tag");
      Names.requireValidName("tag", tag);
      tags.add(tag);
    }
  }

  void codeVersion(String version) {
    Objects.requireNonNull(version, "codeVersion");
    if (version.isBlank()) {
      throw new IllegalArgumentException("codeVersion of step '" + name + "' must not be blank");
    }
    if (codeVersion != null) {
      throw alreadySet("codeVersion", codeVersion);
    }
    codeVersion = version;
  }

  void retry(RetryPolicy policy) {
    Objects.requireNonNull(policy, "retry");
    if (retrySet) {
      throw alreadySet("retry", retry);
    }
    retrySet = true;
    retry = policy;
  }

  void retries(int maxAttempts) {
    if (retrySet) {
      throw alreadySet("retry", retry);
    }
    retrySet = true;
    if (maxAttempts < 1) {
      problems.add("step '" + name + "' has a retry count of " + maxAttempts
          + "; maxAttempts counts the first attempt and must be at least 1");
    } else {
      retry = RetryPolicy.fixed(maxAttempts, Duration.ZERO);
    }
  }

  void timeout(Duration value) {
    Objects.requireNonNull(value, "timeout");
    if (timeoutSet) {
      throw alreadySet("timeout", timeout);
    }
    timeoutSet = true;
    if (value.isNegative() || value.isZero()) {
      problems.add("step '" + name + "' has a timeout of " + value + "; a timeout must be positive");
    } else {
      timeout = value;
    }
  }

  void freshness(Freshness rule) {
    Objects.requireNonNull(rule, "freshness");
    if (freshness != null) {
      throw alreadySet("freshness", freshness);
    }
    freshness = rule;
  }

  void inputs(Dataset<?>... datasets) {
    Objects.requireNonNull(datasets, "inputs");
    if (inputs != null) {
      throw alreadySet("inputs", inputs);
    }
    inputs = checkedList("input", datasets);
  }

  void outputs(Dataset<?>... datasets) {
    Objects.requireNonNull(datasets, "outputs");
    if (outputs != null) {
      throw alreadySet("outputs", outputs);
    }
    outputs = checkedList("output", datasets);
  }

  void function(StepFunction fn, Object impl) {
    Objects.requireNonNull(impl, "function");
    if (function != null) {
      throw alreadySet("function", function);
    }
    function = fn;
    implementation = impl;
  }

  /** Turns the draft into a step; problems that only a whole pipeline can judge are left to the validator. */
  Step toStep() {
    if (function == null) {
      problems.add("step '" + name + "' has no function; end its declaration with apply(...) or run(...)");
    }
    List<Dataset<?>> in = inputs == null ? List.of() : inputs;
    List<Dataset<?>> out = outputs == null ? List.of() : outputs;
    // Most steps have no parameters and no tags: they share the empty ones, which keeps a large pipeline smaller.
    SortedMap<String, Object> frozenParams = params.isEmpty() ? Collections.emptySortedMap()
        : Collections.unmodifiableSortedMap(new TreeMap<>(params));
    SortedSet<String> frozenTags = tags.isEmpty() ? Collections.emptySortedSet()
        : Collections.unmodifiableSortedSet(new TreeSet<>(tags));
    StepFunction fn = function == null ? ctx -> { } : function;
    Object impl = implementation == null ? fn : implementation;
    return new Step(name, description == null ? "" : description, in, out, in, out, frozenParams,
        frozenTags, codeVersion, retry, timeout, freshness, fn, impl);
  }

  private List<Dataset<?>> checkedList(String kind, Dataset<?>[] datasets) {
    List<Dataset<?>> list = new ArrayList<>(datasets.length);
    java.util.Set<String> names = new java.util.HashSet<>();
    java.util.Set<String> reported = new java.util.HashSet<>();
    for (int i = 0; i < datasets.length; i++) {
      Dataset<?> d = Objects.requireNonNull(datasets[i], kind + "s[" + i + "]");
      if (!names.add(d.name())) {
        if (reported.add(d.name())) {
          problems.add("step '" + name + "' declares " + kind + " '" + d.name() + "' more than once");
        }
        continue;
      }
      list.add(d);
    }
    return list;
  }

  private IllegalStateException alreadySet(String what, @Nullable Object current) {
    return new IllegalStateException("step '" + name + "': " + what + " is already set"
        + (current == null ? "" : " (to " + current + ")") + "; set it once");
  }

  /** Copies a parameter value into an immutable, JSON-shaped form, or rejects it naming the key and the type. */
  static Object canonical(String key, Object value) {
    if (value instanceof String || value instanceof Boolean || value instanceof Integer || value instanceof Long
        || value instanceof BigInteger || value instanceof BigDecimal || value instanceof Short
        || value instanceof Byte) {
      return value;
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("parameter '" + key + "' is " + d + "; parameters must be finite numbers");
      }
      return value;
    }
    if (value instanceof List<?>) {
      List<Object> copy = new ArrayList<>();
      int i = 0;
      for (Object item : (List<?>) value) {
        Objects.requireNonNull(item, () -> "parameter '" + key + "' has a null element");
        copy.add(canonical(key + "[" + i++ + "]", item));
      }
      return Collections.unmodifiableList(copy);
    }
    if (value instanceof Map<?, ?>) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new IllegalArgumentException("parameter '" + key + "' is a map with a non-string key " + e.getKey());
        }
        Object v = Objects.requireNonNull(e.getValue(), () -> "parameter '" + key + "' has a null value");
        sorted.put((String) e.getKey(), canonical(key + "." + e.getKey(), v));
      }
      return Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
    }
    throw new IllegalArgumentException("parameter '" + key + "' has type " + value.getClass().getName()
        + "; parameters are strings, booleans, numbers, and lists or string-keyed maps of them");
  }
}
