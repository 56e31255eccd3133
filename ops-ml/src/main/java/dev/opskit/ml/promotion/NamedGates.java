package dev.opskit.ml.promotion;

import dev.opskit.WorkspaceKey;
import dev.opskit.ml.Actor;
import dev.opskit.ml.Stage;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * Gates of the host's own code, registered by name for the workspace, so that a promotion policy stored in the
 * workspace can name them with {@link Gates#named(String)}. A stored policy holds only the name; each process that
 * opens the workspace registers the code. A process in which a named gate is not registered fails that gate, and so
 * the promotion, with a message naming the gate: a gate is never skipped.
 *
 * <pre>{@code
 * NamedGates mine = NamedGates.of(Gates.custom("fairness", ctx -> fairnessOk(ctx.candidate())));
 * Workspace ws = Workspace.builder().attribute(NamedGates.KEY, mine).openLocal(dir);
 * registry.setPolicy("churn", PromotionPolicy.builder()
 *     .gates(Stage.PRODUCTION, Gates.named("fairness")).build(), Actor.of("alice"), "fairness review");
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class NamedGates {
  /**
   * The workspace setting that holds the named gates: {@code Workspace.builder().attribute(NamedGates.KEY, g)}.
   *
   * @since 0.1.0
   */
  public static final WorkspaceKey<NamedGates> KEY = WorkspaceKey.of("opskit.ml.named-gates", NamedGates.class);

  private final Map<String, PromotionGate> gates;

  private NamedGates(Map<String, PromotionGate> gates) {
    this.gates = Collections.unmodifiableMap(gates);
  }

  /**
   * Registers gates under their {@link PromotionGate#name()}.
   *
   * @param gates the gates; their names must be distinct
   * @return the registry of named gates
   * @throws IllegalArgumentException if two gates have the same name, or a gate is itself a {@link Gates#named}
   *     reference
   */
  public static NamedGates of(PromotionGate... gates) {
    Objects.requireNonNull(gates, "gates");
    Map<String, PromotionGate> byName = new TreeMap<>();
    for (int i = 0; i < gates.length; i++) {
      PromotionGate gate = Objects.requireNonNull(gates[i], "gates[" + i + "]");
      String name = Objects.requireNonNull(gate.name(), "gates[" + i + "].name()");
      if (gate.spec().map(spec -> spec.kind().equals("named")).orElse(false)) {
        throw new IllegalArgumentException("gates[" + i + "] is Gates.named(\"" + name + "\"), a reference to a "
            + "registered gate; register the gate's code itself");
      }
      if (byName.putIfAbsent(name, gate) != null) {
        throw new IllegalArgumentException("two gates are named '" + name + "'; a named gate's name must be unique");
      }
    }
    return new NamedGates(byName);
  }

  /**
   * Finds a gate.
   *
   * @param name its name
   * @return the gate, or empty
   */
  public Optional<PromotionGate> gate(String name) {
    return Optional.ofNullable(gates.get(Objects.requireNonNull(name, "name")));
  }

  /**
   * Returns the names registered.
   *
   * @return the names, sorted
   */
  public java.util.Set<String> names() {
    return gates.keySet();
  }

  @Override
  public String toString() {
    return "NamedGates" + gates.keySet();
  }
}
