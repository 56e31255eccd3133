package dev.opskit.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.run.StepOutcome;
import dev.opskit.run.StepWorker;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpsClusterConfigTest {
  private static final StepWorker WORKER = inv -> StepOutcome.succeeded(inv, Map.of());

  @Test
  void defaultsAreOneMemberOnTheLoopbackAddressWithAsManySlotsAsProcessors() {
    OpsClusterConfig config = OpsClusterConfig.builder("dev").worker(WORKER).build();
    assertThat(config.clusterName()).isEqualTo("dev");
    assertThat(config.port()).isEqualTo(5701);
    assertThat(config.members()).containsExactly("127.0.0.1:5701");
    assertThat(config.slots()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(config.tags()).isEmpty();
    assertThat(config.worker()).containsSame(WORKER);
    assertThat(config.pipelines()).isEmpty();
    assertThat(config.properties()).isEmpty();
  }

  @Test
  void settingsAreKeptAsGiven() {
    OpsClusterConfig config = OpsClusterConfig.builder("prod").members("10.0.0.1", "host-2.example.com:5702",
        "[::1]:5703").port(6000).slots(3).tags("gpu", "big").worker(WORKER).property("hazelcast.x", "1").build();
    assertThat(config.members()).containsExactly("10.0.0.1", "host-2.example.com:5702", "[::1]:5703");
    assertThat(config.port()).isEqualTo(6000);
    assertThat(config.slots()).isEqualTo(3);
    assertThat(config.tags()).containsExactly("big", "gpu");
    assertThat(config.properties()).containsExactly(Map.entry("hazelcast.x", "1"));
  }

  @Test
  void badValuesAreRejectedNamingTheValue() {
    assertThatThrownBy(() -> OpsClusterConfig.builder("bad name")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bad name'");
    assertThatThrownBy(() -> OpsClusterConfig.builder("c").port(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port must be from 1 to 65535, got 0");
    assertThatThrownBy(() -> OpsClusterConfig.builder("c").port(70000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 70000");
    assertThatThrownBy(() -> OpsClusterConfig.builder("c").slots(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slots must be from 1 to 1024, got 0");
    assertThatThrownBy(() -> OpsClusterConfig.builder("c").members()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one address");
    for (String address : List.of("", "host:", "host:0", "host:99999", "host:http", "a b", "-host")) {
      assertThatThrownBy(() -> OpsClusterConfig.builder("c").members("127.0.0.1", address))
          .as("address '%s'", address).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + address + "'");
    }
    assertThatThrownBy(() -> OpsClusterConfig.builder("c").tags("gpu", "no,commas"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'no,commas'");
    assertThatThrownBy(() -> OpsClusterConfig.builder("c").tags("x".repeat(122)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 121");
    assertThatThrownBy(() -> OpsClusterConfig.builder("c").property("phone.home", "true"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'phone.home'");
  }

  @Test
  void aSettingSetTwiceIsAnErrorNamingIt() {
    assertThatThrownBy(() -> OpsClusterConfig.builder("c").port(1).port(2)).isInstanceOf(IllegalStateException.class)
        .hasMessage("port is already set (to 1); set it once");
    assertThatThrownBy(() -> OpsClusterConfig.builder("c").members("a").members("b"))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("members is already set");
    assertThatThrownBy(() -> OpsClusterConfig.builder("c").slots(1).slots(1))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("slots is already set");
    assertThatThrownBy(() -> OpsClusterConfig.builder("c").tags("a").tags("b"))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("tags is already set");
    assertThatThrownBy(() -> OpsClusterConfig.builder("c").worker(WORKER).worker(WORKER))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("worker is already set");
    assertThatThrownBy(() -> OpsClusterConfig.builder("c").property("hazelcast.a", "1").property("hazelcast.a", "2"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("property 'hazelcast.a' is already set");
  }

  @Test
  void slotsAndTagsWithoutAWorkerAreReportedTogetherAtBuild() {
    OpsClusterConfig.Builder builder = OpsClusterConfig.builder("c").slots(2).tags("gpu");
    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("slots is set (to 2) but worker is not")
        .hasMessageContaining("tags is set (to [gpu]) but worker is not");
  }

  @Test
  void aClientRefusesMemberSettingsBeforeConnecting() {
    OpsClusterConfig config = OpsClusterConfig.builder("c").worker(WORKER).build();
    assertThatThrownBy(() -> OpsCluster.client(config)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a client of cluster 'c' runs no steps");
  }

  @Test
  void placementTagsPrefixMemberTags() {
    assertThat(HazelcastExecutor.placementTag("gpu")).isEqualTo("member.gpu");
    assertThatThrownBy(() -> HazelcastExecutor.placementTag("g p u")).isInstanceOf(IllegalArgumentException.class);
  }
}
