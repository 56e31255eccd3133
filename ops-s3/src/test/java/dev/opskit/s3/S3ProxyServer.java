package dev.opskit.s3;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.Constants;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server for tests: S3Proxy, in this JVM, on 127.0.0.1 and a free port, keeping objects as files in a
 * directory. It signs requests as AWS does (V4), so the SDK runs as it would against S3. It can be stopped and started
 * again on the same port, with its objects, to test what a store does when the service goes away.
 */
public final class S3ProxyServer implements AutoCloseable {
  /** The access key the server accepts. */
  public static final String ACCESS_KEY = "opskit-test";
  /** The secret key the server accepts. */
  public static final String SECRET_KEY = "opskit-test-secret";

  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private final BlobStore backend;
  private @Nullable S3Proxy proxy;
  private int port;
  private final S3Client client;

  private S3ProxyServer(Path directory) throws Exception {
    Files.createDirectories(directory);
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", directory.toAbsolutePath().toString());
    properties.setProperty(Constants.PROPERTY_IDENTITY, ACCESS_KEY);
    properties.setProperty(Constants.PROPERTY_CREDENTIAL, SECRET_KEY);
    this.backend = BlobStores.create("filesystem-nio2", properties);
    startOn(0);
    this.client = rawClient(endpoint());
  }

  /**
   * Starts a server keeping its objects under a directory.
   *
   * @param directory where the buckets live; created if missing
   * @return the running server
   * @throws Exception if it cannot start
   */
  public static S3ProxyServer start(Path directory) throws Exception {
    return new S3ProxyServer(directory);
  }

  private void startOn(int wanted) throws Exception {
    S3Proxy p = S3Proxy.builder().blobStore(backend)
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .endpoint(URI.create("http://127.0.0.1:" + wanted)).stopTimeout(0)
        .build();
    p.start();
    for (int i = 0; i < 500 && !"STARTED".equals(p.getState()); i++) {
      Thread.sleep(10); // S3Proxy starts Jetty asynchronously and offers no latch
    }
    if (!"STARTED".equals(p.getState())) {
      throw new IllegalStateException("S3Proxy did not start: " + p.getState());
    }
    proxy = p;
    port = p.getPort();
  }

  /**
   * Returns the server's endpoint.
   *
   * @return {@code http://127.0.0.1:<port>}
   */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /**
   * Returns the server's port.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * Returns the credentials the server accepts.
   *
   * @return static credentials
   */
  public static AwsCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
  }

  /**
   * Returns a plain SDK client of the server, for tests that look at or damage objects behind the store's back.
   *
   * @return the client, closed with the server
   */
  public S3Client client() {
    return client;
  }

  /**
   * Makes a plain SDK client of an endpoint with the server's credentials.
   *
   * @param endpoint the endpoint, for example a proxy in front of the server
   * @return the client; the caller closes it
   */
  public static S3Client rawClient(URI endpoint) {
    return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(credentials()).build();
  }

  /**
   * Creates a bucket with a fresh name.
   *
   * @return its name
   */
  public String createBucket() {
    String bucket = "opskit-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
    client.createBucket(b -> b.bucket(bucket));
    return bucket;
  }

  /**
   * Starts configuring a store of a bucket on this server.
   *
   * @param bucket the bucket
   * @return the builder, with endpoint, path style, region and credentials set
   */
  public S3BlobStoreBuilder store(String bucket) {
    return S3BlobStore.builder(bucket).endpoint(endpoint()).pathStyle(true).region("us-east-1")
        .credentials(credentials());
  }

  /**
   * Stops serving; the objects stay.
   *
   * @throws Exception if Jetty does not stop
   */
  public void stop() throws Exception {
    S3Proxy p = proxy;
    proxy = null;
    if (p != null) {
      p.stop();
    }
  }

  /**
   * Serves again on the same port, with the same objects.
   *
   * @throws Exception if it cannot start
   */
  public void restart() throws Exception {
    if (proxy == null) {
      startOn(port);
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (Exception e) {
      throw new IllegalStateException("S3Proxy did not stop", e);
    } finally {
      client.close();
      backend.close();
    }
  }

  /**
   * Deletes a directory tree, for tests that clean up after the server.
   *
   * @param directory the directory
   * @throws IOException if it cannot be deleted
   */
  static void deleteTree(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (var paths = Files.walk(directory)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
