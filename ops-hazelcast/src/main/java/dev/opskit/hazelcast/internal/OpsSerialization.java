package dev.opskit.hazelcast.internal;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import org.jspecify.annotations.Nullable;

/**
 * Makes the objects that travel between opskit's members and clients, by type id: Hazelcast's
 * {@link IdentifiedDataSerializable}, without Java serialization or reflection. Every member and client registers it
 * under {@link #FACTORY_ID}.
 */
public final class OpsSerialization implements DataSerializableFactory {
  /** The factory id, positive as user factories are and unlikely to clash with an application's own. */
  public static final int FACTORY_ID = 0x0F5C17;
  /** The type id of {@link StepCall}. */
  static final int STEP_CALL = 1;
  /** The type id of {@link StepAnswer}. */
  static final int STEP_ANSWER = 2;

  @Override
  public @Nullable IdentifiedDataSerializable create(int typeId) {
    return switch (typeId) {
      case STEP_CALL -> new StepCall();
      case STEP_ANSWER -> new StepAnswer();
      default -> null;
    };
  }
}
