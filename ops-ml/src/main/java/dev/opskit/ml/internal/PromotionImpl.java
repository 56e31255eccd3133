package dev.opskit.ml.internal;

import dev.opskit.ml.Actor;
import dev.opskit.ml.Stage;
import dev.opskit.ml.promotion.Promotion;
import dev.opskit.ml.promotion.PromotionGate;
import dev.opskit.ml.promotion.PromotionReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A promotion being prepared. Used by one thread. */
final class PromotionImpl implements Promotion {
  private final Promotions promotions;
  private final String model;
  private final int number;
  private @Nullable Stage target;
  private @Nullable Actor actor;
  private String reason = "";
  private final List<PromotionGate> gates = new ArrayList<>();
  private boolean strict;

  PromotionImpl(Promotions promotions, String model, int number) {
    this.promotions = promotions;
    this.model = model;
    this.number = number;
  }

  @Override
  public Promotion to(Stage stage) {
    target = Objects.requireNonNull(stage, "stage");
    return this;
  }

  @Override
  public Promotion as(Actor value) {
    actor = Objects.requireNonNull(value, "actor");
    return this;
  }

  @Override
  public Promotion reason(String value) {
    reason = dev.opskit.ml.internal.input.Arguments.text("reason", value);
    return this;
  }

  @Override
  public Promotion gates(PromotionGate... more) {
    Objects.requireNonNull(more, "gates");
    for (int i = 0; i < more.length; i++) {
      gates.add(Objects.requireNonNull(more[i], "gates[" + i + "]"));
    }
    return this;
  }

  @Override
  public Promotion strict() {
    strict = true;
    return this;
  }

  private void check() {
    if (target == null) {
      throw new IllegalStateException("say where to promote " + model + " v" + number + " with to(stage)");
    }
    if (actor == null) {
      throw new IllegalStateException("say who promotes " + model + " v" + number + " with as(actor)");
    }
  }

  @Override
  public PromotionReport dryRun() {
    check();
    return promotions.promote(model, number, target, actor, reason, gates, Promotions.PromotionMode.DRY_RUN);
  }

  @Override
  public PromotionReport execute() {
    check();
    return promotions.promote(model, number, target, actor, reason, gates,
        strict ? Promotions.PromotionMode.EXECUTE_STRICT : Promotions.PromotionMode.EXECUTE);
  }
}
