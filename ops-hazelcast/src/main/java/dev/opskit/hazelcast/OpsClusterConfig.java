package dev.opskit.hazelcast;

import dev.opskit.Names;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.StepWorker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * How this JVM takes part in an opskit cluster on Hazelcast: the cluster's name, the members to find it by, and, for a
 * member that runs steps, its worker, slots and tags. Immutable and thread-safe; made with {@link #builder(String)}.
 *
 * <pre>{@code
 * OpsClusterConfig config = OpsClusterConfig.builder("ml-prod")
 *     .members("10.0.0.11:5701", "10.0.0.12:5701", "10.0.0.13:5701")
 *     .port(5701)
 *     .slots(4)
 *     .tags("gpu")
 *     .worker(workspace.worker(pipelines))
 *     .pipelines(pipelines)
 *     .build();
 * try (OpsCluster cluster = OpsCluster.embedded(config)) {
 *   workspace.runner().plan(training).executor(cluster.executor()).run();
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class OpsClusterConfig {
  /** The port a member listens on unless {@link Builder#port(int)} says otherwise: Hazelcast's usual 5701. */
  public static final int DEFAULT_PORT = 5701;

  private final String clusterName;
  private final List<String> members;
  private final int port;
  private final int slots;
  private final Set<String> tags;
  private final @Nullable StepWorker worker;
  private final @Nullable PipelineRegistry pipelines;
  private final Map<String, String> properties;
  private final boolean memberSettingsSet;

  private OpsClusterConfig(Builder b, int slots) {
    this.clusterName = b.clusterName;
    this.port = b.port == null ? DEFAULT_PORT : b.port;
    this.members = b.members == null ? List.of("127.0.0.1:" + this.port) : b.members;
    this.slots = slots;
    this.tags = b.tags == null ? Set.of() : b.tags;
    this.worker = b.worker;
    this.pipelines = b.pipelines;
    this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
    this.memberSettingsSet = b.port != null || b.slots != null || b.tags != null || b.worker != null;
  }

  /**
   * Starts a configuration.
   *
   * @param clusterName the Hazelcast cluster name, a name ({@value Names#NAME_RULE}); members and clients of
   *     different names never join each other
   * @return the builder
   * @throws IllegalArgumentException if the name breaks the rule
   */
  public static Builder builder(String clusterName) {
    return new Builder(Names.requireValidName("cluster", Objects.requireNonNull(clusterName, "clusterName")));
  }

  /**
   * Returns the cluster name.
   *
   * @return the name
   */
  public String clusterName() {
    return clusterName;
  }

  /**
   * Returns the addresses of the members this JVM looks for, as {@code host} or {@code host:port}; by default this
   * member alone, on the loopback address.
   *
   * @return the addresses, in order
   */
  public List<String> members() {
    return members;
  }

  /**
   * Returns the port this member listens on, {@link #DEFAULT_PORT} by default. A client ignores it.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * Returns how many steps this member runs at once: the number of processors by default.
   *
   * @return at least 1
   */
  public int slots() {
    return slots;
  }

  /**
   * Returns the tags this member carries; a step tagged {@code member.<tag>} runs only on members carrying
   * {@code <tag>} (see {@link HazelcastExecutor}).
   *
   * @return the tags, sorted
   */
  public Set<String> tags() {
    return tags;
  }

  /**
   * Returns what runs the steps sent to this member; empty for a member that runs none, which is then sent none.
   *
   * @return the worker
   */
  public Optional<StepWorker> worker() {
    return Optional.ofNullable(worker);
  }

  /**
   * Returns the pipelines the executors of this JVM look steps up in to place them by tag.
   *
   * @return the registry, or empty if steps are placed without regard to tags
   */
  public Optional<PipelineRegistry> pipelines() {
    return Optional.ofNullable(pipelines);
  }

  /**
   * Returns the extra Hazelcast properties, which override the defaults {@link OpsCluster} sets.
   *
   * @return the properties by name, in the order they were set
   */
  public Map<String, String> properties() {
    return properties;
  }

  /** Whether a setting that only a member uses was set: a client refuses it. */
  boolean hasMemberSettings() {
    return memberSettingsSet;
  }

  /**
   * Collects the settings of an {@link OpsClusterConfig}. Each setting may be set once: a second call is an
   * {@link IllegalStateException} naming it. A bad value is an {@link IllegalArgumentException} naming it. Not
   * thread-safe; {@link #build()} does not change the builder.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  public static final class Builder {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+]");

    private final String clusterName;
    private @Nullable List<String> members;
    private @Nullable Integer port;
    private @Nullable Integer slots;
    private @Nullable Set<String> tags;
    private @Nullable StepWorker worker;
    private @Nullable PipelineRegistry pipelines;
    private final Map<String, String> properties = new LinkedHashMap<>();

    private Builder(String clusterName) {
      this.clusterName = clusterName;
    }

    /**
     * Sets the addresses of the members to find the cluster by: for a member, the members it joins (it may list
     * itself); for a client, the members it connects to. Multicast and cloud discovery stay off.
     *
     * @param addresses at least one {@code host} or {@code host:port}, for example {@code "127.0.0.1:5701"}
     * @return this builder
     * @throws IllegalArgumentException if none is given or one is not a host with an optional port from 1 to 65535
     */
    public Builder members(String... addresses) {
      Objects.requireNonNull(addresses, "addresses");
      checkUnset("members", members);
      if (addresses.length == 0) {
        throw new IllegalArgumentException("members needs at least one address such as 127.0.0.1:5701");
      }
      List<String> list = new ArrayList<>(addresses.length);
      for (int i = 0; i < addresses.length; i++) {
        list.add(checkAddress(Objects.requireNonNull(addresses[i], "addresses[" + i + "]")));
      }
      members = List.copyOf(list);
      return this;
    }

    /**
     * Sets the port this member listens on; it does not try the next ports when this one is taken.
     *
     * @param port from 1 to 65535
     * @return this builder
     * @throws IllegalArgumentException if the port is out of range
     */
    public Builder port(int port) {
      checkUnset("port", this.port);
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be from 1 to 65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets how many steps this member runs at once. Coordinators send it no more than that, and the member queues
     * any excess another coordinator sends. Needs a {@link #worker(StepWorker)}.
     *
     * @param slots from 1 to 1024
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder slots(int slots) {
      checkUnset("slots", this.slots);
      if (slots < 1 || slots > 1024) {
        throw new IllegalArgumentException("slots must be from 1 to 1024, got " + slots);
      }
      this.slots = slots;
      return this;
    }

    /**
     * Sets the tags this member carries. A step tagged {@code member.<tag>} runs only on members carrying all of its
     * {@code member.} tags. Needs a {@link #worker(StepWorker)}.
     *
     * @param tags names ({@value Names#NAME_RULE}) of at most {@value HazelcastExecutor#MAX_MEMBER_TAG_LENGTH}
     *     characters
     * @return this builder
     * @throws IllegalArgumentException if a tag breaks the rule
     */
    public Builder tags(String... tags) {
      Objects.requireNonNull(tags, "tags");
      checkUnset("tags", this.tags);
      TreeSet<String> set = new TreeSet<>();
      for (int i = 0; i < tags.length; i++) {
        set.add(HazelcastExecutor.checkMemberTag(Objects.requireNonNull(tags[i], "tags[" + i + "]")));
      }
      this.tags = Collections.unmodifiableSet(set);
      return this;
    }

    /**
     * Sets what runs the steps coordinators send to this member, usually
     * {@code workspace.worker(pipelines)} over a workspace whose stores every member shares. Without it, this member
     * runs no steps and is sent none.
     *
     * @param worker the worker
     * @return this builder
     */
    public Builder worker(StepWorker worker) {
      Objects.requireNonNull(worker, "worker");
      checkUnset("worker", this.worker);
      this.worker = worker;
      return this;
    }

    /**
     * Sets the pipelines that this JVM's executors look steps up in, to read their {@code member.} tags. Without it,
     * steps go to any member with a free slot.
     *
     * @param pipelines the registry
     * @return this builder
     */
    public Builder pipelines(PipelineRegistry pipelines) {
      Objects.requireNonNull(pipelines, "pipelines");
      checkUnset("pipelines", this.pipelines);
      this.pipelines = pipelines;
      return this;
    }

    /**
     * Sets a Hazelcast property, for example {@code hazelcast.wait.seconds.before.join}, overriding the default
     * {@link OpsCluster} would set.
     *
     * @param name the property name, starting with {@code hazelcast.}
     * @param value its value
     * @return this builder
     * @throws IllegalArgumentException if the name does not start with {@code hazelcast.}
     * @throws IllegalStateException if the property is already set
     */
    public Builder property(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (!name.startsWith("hazelcast.") || name.length() == "hazelcast.".length()) {
        throw new IllegalArgumentException("a Hazelcast property name starts with 'hazelcast.', got "
            + Names.quote(name));
      }
      String previous = properties.get(name);
      if (previous != null) {
        throw new IllegalStateException("property " + Names.quote(name) + " is already set (to "
            + Names.quote(previous) + "); set it once");
      }
      properties.put(name, value);
      return this;
    }

    /**
     * Checks the settings together and makes the configuration.
     *
     * @return the configuration
     * @throws IllegalStateException if slots or tags are set without a worker, listing each such setting
     */
    public OpsClusterConfig build() {
      List<String> problems = new ArrayList<>();
      if (worker == null && slots != null) {
        problems.add("slots is set (to " + slots + ") but worker is not: a member without a worker runs no steps");
      }
      if (worker == null && tags != null) {
        problems.add("tags is set (to " + tags + ") but worker is not: a member without a worker runs no steps");
      }
      if (!problems.isEmpty()) {
        throw new IllegalStateException("cluster " + Names.quote(clusterName) + " is configured inconsistently: "
            + String.join("; ", problems));
      }
      return new OpsClusterConfig(this, slots == null ? Runtime.getRuntime().availableProcessors() : slots);
    }

    private void checkUnset(String setting, @Nullable Object current) {
      if (current != null) {
        throw new IllegalStateException(setting + " is already set (to " + current + "); set it once");
      }
    }

    private static String checkAddress(String address) {
      String host = address;
      int colon = address.lastIndexOf(':');
      if (colon > 0 && address.indexOf(':') == colon || colon > 0 && address.startsWith("[")
          && address.charAt(colon - 1) == ']') {
        host = address.substring(0, colon);
        String digits = address.substring(colon + 1);
        int port = -1;
        if (!digits.isEmpty() && digits.length() <= 5 && digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
          port = Integer.parseInt(digits);
        }
        if (port < 1 || port > 65535) {
          throw new IllegalArgumentException("member address " + Names.quote(address)
              + " has no port from 1 to 65535 after its ':'");
        }
      }
      if (!HOST.matcher(host).matches()) {
        throw new IllegalArgumentException("member address " + Names.quote(address)
            + " is not a host name or IP address with an optional :port, such as 127.0.0.1:5701");
      }
      return address;
    }
  }
}
