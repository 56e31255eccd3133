package dev.opskit.s3;

import dev.opskit.Names;
import dev.opskit.s3.internal.S3BlobStoreImpl;
import dev.opskit.s3.internal.S3Clients;
import dev.opskit.s3.internal.S3Settings;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Configures and opens an {@link S3BlobStore}. Every setting may be set once; a second call is an
 * {@link IllegalStateException} naming it. {@link #open()} checks the settings together, makes the S3 client unless
 * one was given, and checks the bucket.
 *
 * <pre>{@code
 * S3BlobStore blobs = S3BlobStore.builder("team-ml")
 *     .prefix("opskit/prod")
 *     .region("eu-west-1")
 *     .open();
 * }</pre>
 *
 * <p>Not thread-safe; {@link #open()} does not change the builder.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class S3BlobStoreBuilder {
  /** The smallest part S3 accepts in a multipart upload, but the last. */
  public static final long MIN_PART_SIZE = 5L << 20;
  /** The largest part S3 accepts. */
  public static final long MAX_PART_SIZE = 5L << 30;
  /** The part size unless one is set: 8 MiB, so that four parallel parts and the one being read fit in 40 MiB. */
  public static final long DEFAULT_PART_SIZE = 8L << 20;
  /** The parts uploaded at once per put unless set. */
  public static final int DEFAULT_PARALLELISM = 4;

  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final String bucket;
  private @Nullable String prefix;
  private @Nullable String region;
  private @Nullable URI endpoint;
  private @Nullable Boolean pathStyle;
  private @Nullable S3Client client;
  private @Nullable AwsCredentialsProvider credentials;
  private @Nullable Clock clock;
  private @Nullable Long partSize;
  private @Nullable Integer parallelism;
  private @Nullable Path spoolDirectory;
  private @Nullable Integer maxAttempts;
  private @Nullable Boolean checksums;
  private boolean readOnly;

  S3BlobStoreBuilder(String bucket) {
    this.bucket = checkBucket(bucket);
  }

  /**
   * Reads a URI {@code s3://bucket/prefix?region=...&endpoint=...&pathStyle=true}.
   *
   * @param uri the URI
   * @return the builder with what the URI says set
   */
  static S3BlobStoreBuilder fromUri(URI uri) {
    if (!"s3".equals(uri.getScheme())) {
      throw new IllegalArgumentException("an S3 blob store URI starts with s3://, got " + Names.quote(uri.toString()));
    }
    String host = uri.getAuthority();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("the URI " + Names.quote(uri.toString()) + " names no bucket: write "
          + "s3://bucket/prefix");
    }
    S3BlobStoreBuilder builder = new S3BlobStoreBuilder(host);
    String path = uri.getRawPath() == null ? "" : URLDecoder.decode(uri.getRawPath(), StandardCharsets.UTF_8);
    if (path.startsWith("/")) {
      path = path.substring(1);
    }
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (!path.isEmpty()) {
      builder.prefix(path);
    }
    String query = uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&", -1)) {
        int eq = pair.indexOf('=');
        if (eq < 1) {
          throw new IllegalArgumentException("the URI parameter " + Names.quote(pair) + " is not name=value");
        }
        String name = pair.substring(0, eq);
        String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        switch (name) {
          case "region" -> builder.region(value);
          case "endpoint" -> builder.endpoint(URI.create(value));
          case "pathStyle" -> builder.pathStyle(parseBoolean(name, value));
          default -> throw new IllegalArgumentException("unknown S3 blob store URI parameter " + Names.quote(name)
              + "; the parameters are region, endpoint and pathStyle");
        }
      }
    }
    return builder;
  }

  private static boolean parseBoolean(String name, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(name + " must be true or false, got " + Names.quote(value));
    };
  }

  /**
   * Sets the key prefix the blobs live under, so that one bucket can hold several workspaces.
   *
   * @param prefix segments of {@code [A-Za-z0-9][A-Za-z0-9._-]*} separated by {@code /}, without a leading or
   *     trailing {@code /}
   * @return this builder
   */
  public S3BlobStoreBuilder prefix(String prefix) {
    checkUnset("prefix", this.prefix);
    this.prefix = checkPrefix(prefix);
    return this;
  }

  /**
   * Sets the region, for example {@code eu-west-1}. Without it, the SDK's default region chain applies
   * ({@code AWS_REGION}, the profile), or {@code us-east-1} when an endpoint is set.
   *
   * @param region the region
   * @return this builder
   */
  public S3BlobStoreBuilder region(String region) {
    checkUnset("region", this.region);
    Objects.requireNonNull(region, "region");
    if (!region.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      throw new IllegalArgumentException("region " + Names.quote(region) + " is not a region name such as eu-west-1");
    }
    this.region = region;
    return this;
  }

  /**
   * Sets the endpoint of an S3-compatible service, for example {@code http://127.0.0.1:9000} for MinIO.
   *
   * @param endpoint an http or https URI without a path
   * @return this builder
   */
  public S3BlobStoreBuilder endpoint(URI endpoint) {
    checkUnset("endpoint", this.endpoint);
    Objects.requireNonNull(endpoint, "endpoint");
    if (!("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme())) || endpoint.getHost() == null) {
      throw new IllegalArgumentException("endpoint " + Names.quote(endpoint.toString())
          + " is not an http or https URI with a host");
    }
    this.endpoint = endpoint;
    return this;
  }

  /**
   * Sets whether the bucket is addressed in the path ({@code http://host/bucket/key}), as most S3-compatible services
   * other than AWS need, rather than in the host name.
   *
   * @param pathStyle true for path-style addressing
   * @return this builder
   */
  public S3BlobStoreBuilder pathStyle(boolean pathStyle) {
    checkUnset("pathStyle", this.pathStyle);
    this.pathStyle = pathStyle;
    return this;
  }

  /**
   * Uses the caller's own client instead of one the store makes; the store never closes it. Region, endpoint,
   * path style, credentials and attempts are then the client's business and may not be set here.
   *
   * @param client the client
   * @return this builder
   */
  public S3BlobStoreBuilder client(S3Client client) {
    checkUnset("client", this.client);
    this.client = Objects.requireNonNull(client, "client");
    return this;
  }

  /**
   * Sets the credentials; without it, the SDK's default credential chain applies (environment, profile, instance or
   * container role, web identity).
   *
   * @param credentials the credentials provider
   * @return this builder
   */
  public S3BlobStoreBuilder credentials(AwsCredentialsProvider credentials) {
    checkUnset("credentials", this.credentials);
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    return this;
  }

  /**
   * Sets the clock that stamps blobs; give the workspace's, so that garbage collection's grace period and the stamps
   * agree. The system clock by default.
   *
   * @param clock the clock
   * @return this builder
   */
  public S3BlobStoreBuilder clock(Clock clock) {
    checkUnset("clock", this.clock);
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Sets the size of a multipart upload's parts, {@value #DEFAULT_PART_SIZE} bytes by default; content up to this
   * size is sent in one request. The part size grows for content of more than 10,000 parts, S3's limit.
   *
   * @param bytes from {@value #MIN_PART_SIZE} (5 MiB, S3's minimum) to {@value #MAX_PART_SIZE} (5 GiB)
   * @return this builder
   */
  public S3BlobStoreBuilder partSize(long bytes) {
    checkUnset("partSize", this.partSize);
    if (bytes < MIN_PART_SIZE || bytes > MAX_PART_SIZE) {
      throw new IllegalArgumentException("partSize must be from " + MIN_PART_SIZE + " (5 MiB) to " + MAX_PART_SIZE
          + " (5 GiB) bytes, got " + bytes);
    }
    this.partSize = bytes;
    return this;
  }

  /**
   * Sets how many parts of one put are uploaded at once, {@value #DEFAULT_PARALLELISM} by default.
   *
   * @param parts from 1 to 64
   * @return this builder
   */
  public S3BlobStoreBuilder parallelism(int parts) {
    checkUnset("parallelism", this.parallelism);
    if (parts < 1 || parts > 64) {
      throw new IllegalArgumentException("parallelism must be from 1 to 64, got " + parts);
    }
    this.parallelism = parts;
    return this;
  }

  /**
   * Sets where content larger than one part is spooled while it is hashed, the JVM's temporary directory by
   * default. It needs room for the largest blob put at once.
   *
   * @param directory an existing, writable directory
   * @return this builder
   */
  public S3BlobStoreBuilder spoolDirectory(Path directory) {
    checkUnset("spoolDirectory", this.spoolDirectory);
    this.spoolDirectory = Objects.requireNonNull(directory, "directory");
    return this;
  }

  /**
   * Sets how many times a request is attempted before it fails, counting the first (the SDK's standard retry mode,
   * 3 by default), and how many times a broken read is resumed.
   *
   * @param attempts from 1 to 20
   * @return this builder
   */
  public S3BlobStoreBuilder maxAttempts(int attempts) {
    checkUnset("maxAttempts", this.maxAttempts);
    if (attempts < 1 || attempts > 20) {
      throw new IllegalArgumentException("maxAttempts must be from 1 to 20, got " + attempts);
    }
    this.maxAttempts = attempts;
    return this;
  }

  /**
   * Sets whether objects carry checksums that the service checks on receipt (on by default): content sent in one
   * request carries its SHA-256, each part of a multipart upload its CRC32C. Turn it off
   * only for a service that rejects them; reads are verified either way.
   *
   * @param enabled false to send no checksums
   * @return this builder
   */
  public S3BlobStoreBuilder checksums(boolean enabled) {
    checkUnset("checksums", this.checksums);
    this.checksums = enabled;
    return this;
  }

  /**
   * Opens the store for reading only, for credentials that may only read: the check at open does not write, and puts
   * and deletes are refused.
   *
   * @return this builder
   */
  public S3BlobStoreBuilder readOnly() {
    if (readOnly) {
      throw new IllegalStateException("readOnly is already set; set it once");
    }
    readOnly = true;
    return this;
  }

  /**
   * Makes the client unless one was given and checks the bucket: that it exists, that it can be listed and, unless
   * {@link #readOnly()}, written.
   *
   * @return the store
   * @throws IllegalStateException if a client was given together with settings that belong to the client
   * @throws S3BlobStoreException if the bucket is missing, access is denied or the service cannot be reached
   */
  public S3BlobStore open() {
    if (client != null) {
      java.util.List<String> clash = new java.util.ArrayList<>();
      addIfSet(clash, "region", region);
      addIfSet(clash, "endpoint", endpoint);
      addIfSet(clash, "pathStyle", pathStyle);
      addIfSet(clash, "credentials", credentials);
      addIfSet(clash, "maxAttempts", maxAttempts);
      if (!clash.isEmpty()) {
        throw new IllegalStateException("a client was given, and also " + String.join(", ", clash) + ", which are "
            + "the client's own settings; configure them on the client, or do not pass one");
      }
    }
    Path spool = spoolDirectory != null ? spoolDirectory : Path.of(System.getProperty("java.io.tmpdir"));
    int attempts = maxAttempts != null ? maxAttempts : 3;
    String where = endpoint != null ? endpoint.toString() : region != null ? "AWS S3 in " + region : "AWS S3";
    S3Settings settings = new S3Settings(bucket, prefix == null ? "" : prefix,
        clock == null ? Clock.systemUTC() : clock, partSize == null ? DEFAULT_PART_SIZE : partSize,
        parallelism == null ? DEFAULT_PARALLELISM : parallelism, spool, attempts,
        checksums == null || checksums, readOnly, client != null ? "the given client's endpoint" : where);
    S3Client s3 = client;
    boolean owned = false;
    if (s3 == null) {
      s3 = S3Clients.create(new S3Clients.Spec(region, endpoint, pathStyle != null && pathStyle, credentials,
          attempts, settings.parallelism()), bucket);
      owned = true;
    }
    return S3BlobStoreImpl.open(s3, owned, settings);
  }

  private static void addIfSet(java.util.List<String> names, String name, @Nullable Object value) {
    if (value != null) {
      names.add(name);
    }
  }

  private static String checkBucket(String bucket) {
    Objects.requireNonNull(bucket, "bucket");
    if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
      throw new IllegalArgumentException("bucket " + Names.quote(bucket) + " is not an S3 bucket name: 3 to 63 "
          + "lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit");
    }
    return bucket;
  }

  private static String checkPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (prefix.length() > 512) {
      throw new IllegalArgumentException("prefix must be at most 512 characters, got " + prefix.length());
    }
    for (String segment : prefix.split("/", -1)) {
      if (!SEGMENT.matcher(segment).matches()) {
        throw new IllegalArgumentException("prefix " + Names.quote(prefix) + " is not segments of "
            + "[A-Za-z0-9][A-Za-z0-9._-]* separated by single slashes, without a leading or trailing slash");
      }
    }
    return prefix;
  }

  private static void checkUnset(String name, @Nullable Object current) {
    if (current != null) {
      throw new IllegalStateException("S3 blob store " + name + " is already set (to " + current + "); set it once");
    }
  }
}
