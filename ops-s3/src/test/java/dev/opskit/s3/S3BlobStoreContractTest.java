package dev.opskit.s3;

import dev.opskit.store.BlobStore;
import dev.opskit.test.contract.BlobStoreContract;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The whole blob store contract against a real S3 API server (S3Proxy on 127.0.0.1), a fresh bucket per test, damage
 * done through the S3 API: the object is read, a bit is flipped, and it is written back with its metadata.
 */
class S3BlobStoreContractTest extends BlobStoreContract {
  @TempDir
  static Path dir;
  private static S3ProxyServer server;
  private String bucket;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start(dir.resolve("s3"));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected BlobStore createStore() {
    bucket = server.createBucket();
    return server.store(bucket).prefix("ws/blobs").clock(clock()).partSize(5L << 20).open();
  }

  @Override
  protected Optional<String> corrupt(BlobStore store, String id) throws IOException {
    String key = ((S3BlobStore) store).keyOf(id);
    ResponseBytes<GetObjectResponse> object = server.client().getObjectAsBytes(b -> b.bucket(bucket).key(key));
    return Optional.of(flip(key, object, object.asByteArray().length - 1));
  }

  @Override
  protected Optional<String> corrupt(BlobStore store, String id, long offset) throws IOException {
    String key = ((S3BlobStore) store).keyOf(id);
    ResponseBytes<GetObjectResponse> object = server.client().getObjectAsBytes(b -> b.bucket(bucket).key(key));
    return Optional.of(flip(key, object, offset));
  }

  private String flip(String key, ResponseBytes<GetObjectResponse> object, long offset) {
    byte[] bytes = object.asByteArray();
    bytes[(int) offset] ^= 1;
    server.client().putObject(b -> b.bucket(bucket).key(key).metadata(object.response().metadata()),
        RequestBody.fromBytes(bytes));
    return "s3://" + bucket + "/" + key;
  }
}
