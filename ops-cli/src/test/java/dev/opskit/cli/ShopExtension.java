package dev.opskit.cli;

import dev.opskit.pipeline.Pipeline;
import java.util.List;

/** The test application's extension: its pipeline, so that {@code plan} and keyed {@code diff} work. */
public final class ShopExtension implements CliExtension {
  /** Creates the extension, as ServiceLoader does. */
  public ShopExtension() {}

  @Override
  public List<Pipeline> pipelines() {
    return List.of(CliFixture.shop(4));
  }
}
