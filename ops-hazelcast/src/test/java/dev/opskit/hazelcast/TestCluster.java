package dev.opskit.hazelcast;

import dev.opskit.test.LoopbackPorts;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** Starts members of an in-JVM cluster on free loopback ports, with Hazelcast's waits shortened for tests. */
final class TestCluster implements AutoCloseable {
  final String name;
  final List<String> addresses = new ArrayList<>();
  final List<OpsCluster> members = new ArrayList<>();

  private TestCluster(String name, int size) {
    this.name = name;
    for (int i = 0; i < size; i++) {
      addresses.add("127.0.0.1:" + freePort());
    }
  }

  /**
   * Starts {@code size} members, one after the other.
   *
   * @param name the cluster name
   * @param size how many members
   * @param configure the settings of member {@code i}, given a builder with the cluster's addresses and port set
   */
  static TestCluster start(String name, int size,
      BiFunction<Integer, OpsClusterConfig.Builder, OpsClusterConfig.Builder> configure) {
    TestCluster cluster = new TestCluster(name, size);
    try {
      for (int i = 0; i < size; i++) {
        cluster.members.add(OpsCluster.embedded(configure.apply(i, cluster.builder(i)).build()));
      }
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** A builder for member {@code i}: the cluster's addresses, its port and short waits. */
  OpsClusterConfig.Builder builder(int i) {
    String address = addresses.get(i);
    return fast(OpsClusterConfig.builder(name).members(addresses.toArray(new String[0]))
        .port(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1))));
  }

  /** Shortens Hazelcast's waits for joining and leaving. */
  static OpsClusterConfig.Builder fast(OpsClusterConfig.Builder builder) {
    return builder
        .property("hazelcast.wait.seconds.before.join", "0")
        .property("hazelcast.max.wait.seconds.before.join", "0")
        .property("hazelcast.partition.count", "11")
        .property("hazelcast.graceful.shutdown.max.wait", "5")
        .property("hazelcast.shutdownhook.enabled", "false");
  }

  OpsCluster member(int i) {
    return members.get(i);
  }

  @Override
  public void close() {
    for (int i = members.size() - 1; i >= 0; i--) {
      members.get(i).close();
    }
  }

  /** A free loopback port outside the ephemeral range, which a member's attempts to reach it cannot take first. */
  static int freePort() {
    return LoopbackPorts.free();
  }
}
