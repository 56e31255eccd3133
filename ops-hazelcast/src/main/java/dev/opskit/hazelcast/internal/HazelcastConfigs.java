package dev.opskit.hazelcast.internal;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.spi.properties.ClusterProperty;
import dev.opskit.hazelcast.OpsClusterConfig;
import dev.opskit.run.StepWorker;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes the Hazelcast configuration of an opskit member or client, with safe defaults: an explicit TCP/IP member
 * list (multicast and auto-detection off), no phone-home, logging through SLF4J, one fixed port, opskit's
 * serialization factory, and Java deserialization limited to JDK and Hazelcast classes.
 */
public final class HazelcastConfigs {
  /** The user-context key under which a member keeps its {@link StepWorker}. */
  public static final String WORKER_KEY = "dev.opskit.hazelcast.worker";
  /** The name of the Hazelcast executor service that carries steps. */
  public static final String EXECUTOR = "opskit-steps";
  /** The member attribute that says how many steps a member runs at once; only members with a worker have it. */
  public static final String SLOTS_ATTRIBUTE = "opskit.slots";
  /** The member attribute that lists a member's tags, comma-separated. */
  public static final String TAGS_ATTRIBUTE = "opskit.tags";
  /** How long a client tries to reach the cluster when it starts, in milliseconds. */
  static final long CLIENT_CONNECT_TIMEOUT_MILLIS = 30_000;

  private HazelcastConfigs() {}

  /**
   * Makes a member's configuration.
   *
   * @param s the settings
   * @return the configuration
   */
  public static Config member(OpsClusterConfig s) {
    Config config = new Config();
    config.setClusterName(s.clusterName());
    config.setProperty(ClusterProperty.PHONE_HOME_ENABLED.getName(), "false");
    config.setProperty(ClusterProperty.LOGGING_TYPE.getName(), "slf4j");
    // On SIGTERM, Hazelcast's own shutdown hook leaves the cluster gracefully instead of terminating ("Terminating
    // forcefully..."): the other members see the member leave at once rather than after their failure detector's
    // timeout, and its attempts in flight fail with MemberLostException right away.
    config.setProperty(ClusterProperty.SHUTDOWNHOOK_POLICY.getName(), "GRACEFUL");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(s.port()).setPortAutoIncrement(false);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(s.members());
    serialization(config.getSerializationConfig());
    ConcurrentHashMap<String, Object> context = new ConcurrentHashMap<>();
    StepWorker worker = s.worker().orElse(null);
    if (worker != null) {
      context.put(WORKER_KEY, worker);
      config.getMemberAttributeConfig().setAttribute(SLOTS_ATTRIBUTE, Integer.toString(s.slots()));
      if (!s.tags().isEmpty()) {
        config.getMemberAttributeConfig().setAttribute(TAGS_ATTRIBUTE, String.join(",", s.tags()));
      }
      // The pool never runs more than the slots, whoever sends: a second coordinator's excess waits in its queue.
      config.getExecutorConfig(EXECUTOR).setPoolSize(s.slots()).setStatisticsEnabled(false);
    }
    config.setUserContext(context);
    s.properties().forEach(config::setProperty);
    return config;
  }

  /**
   * Registers opskit's factory, and turns on Hazelcast's protection against untrusted Java deserialization with its
   * defaults: only JDK and Hazelcast classes are read from Java serialization, and known gadget classes never. opskit
   * itself sends nothing in Java serialization through Hazelcast.
   */
  private static void serialization(SerializationConfig config) {
    config.addDataSerializableFactory(OpsSerialization.FACTORY_ID, new OpsSerialization());
    config.setJavaSerializationFilterConfig(new JavaSerializationFilterConfig().setDefaultsDisabled(false));
  }

  /**
   * Makes a client's configuration: the same cluster name, member list, logging, serialization and properties as a
   * member's, and a bounded first connection.
   *
   * @param s the settings
   * @return the configuration
   */
  public static ClientConfig client(OpsClusterConfig s) {
    ClientConfig config = new ClientConfig();
    config.setClusterName(s.clusterName());
    config.setProperty(ClusterProperty.LOGGING_TYPE.getName(), "slf4j");
    config.getNetworkConfig().setAddresses(new ArrayList<>(s.members())).getAutoDetectionConfig().setEnabled(false);
    config.getConnectionStrategyConfig().getConnectionRetryConfig()
        .setClusterConnectTimeoutMillis(CLIENT_CONNECT_TIMEOUT_MILLIS);
    serialization(config.getSerializationConfig());
    s.properties().forEach(config::setProperty);
    return config;
  }
}
