package dev.opskit.s3;

import dev.opskit.store.BlobInfo;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;

/**
 * Puts generated content of a given size into an S3 store and reads it back verified, in a JVM that
 * {@link S3BlobStoreHeapTest} starts with a heap smaller than the content, and prints the blob's id.
 */
public final class HeapBoundProbe {
  private HeapBoundProbe() {}

  /**
   * Entry point.
   *
   * @param args the endpoint, the bucket, the size in bytes and the seed
   * @throws Exception if the put or the read fails
   */
  public static void main(String[] args) throws Exception {
    URI endpoint = URI.create(args[0]);
    long size = Long.parseLong(args[2]);
    try (S3BlobStore store = S3BlobStore.builder(args[1]).endpoint(endpoint).pathStyle(true).region("us-east-1")
        .credentials(S3ProxyServer.credentials()).open()) {
      BlobInfo info = store.put(Content.of(Long.parseLong(args[3]), size));
      long read;
      try (InputStream in = store.open(info.id())) {
        read = in.transferTo(OutputStream.nullOutputStream());
      }
      System.out.println("PUT id=" + info.id() + " size=" + info.size() + " read=" + read + " maxHeap="
          + Runtime.getRuntime().maxMemory());
    }
  }
}
