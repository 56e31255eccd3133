package dev.opskit.hazelcast.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import dev.opskit.hazelcast.OpsClusterConfig;
import dev.opskit.run.StepOutcome;
import dev.opskit.run.StepWorker;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Hazelcast configuration a member gets from its {@link OpsClusterConfig}: the safe defaults the docs list. */
class HazelcastConfigsTest {
  private static final StepWorker WORKER = inv -> StepOutcome.succeeded(inv, Map.of());

  @Test
  void aMemberJoinsOnlyItsListedMembersPhonesNobodyAndLeavesGracefullyOnSigterm() {
    Config config = HazelcastConfigs.member(OpsClusterConfig.builder("prod")
        .members("127.0.0.1:5801", "127.0.0.1:5802").port(5801).slots(3).tags("gpu").worker(WORKER).build());
    assertThat(config.getClusterName()).isEqualTo("prod");
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:5801", "127.0.0.1:5802");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5801);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.logging.type")).isEqualTo("slf4j");
    assertThat(config.getProperty("hazelcast.shutdownhook.policy")).isEqualTo("GRACEFUL");
    assertThat(config.getMemberAttributeConfig().getAttribute(HazelcastConfigs.SLOTS_ATTRIBUTE)).isEqualTo("3");
    assertThat(config.getMemberAttributeConfig().getAttribute(HazelcastConfigs.TAGS_ATTRIBUTE)).isEqualTo("gpu");
  }

  @Test
  void aPropertyGivenByTheApplicationOverridesADefault() {
    Config config = HazelcastConfigs.member(OpsClusterConfig.builder("prod")
        .property("hazelcast.shutdownhook.enabled", "false")
        .property("hazelcast.shutdownhook.policy", "TERMINATE").build());
    assertThat(config.getProperty("hazelcast.shutdownhook.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.shutdownhook.policy")).isEqualTo("TERMINATE");
  }
}
