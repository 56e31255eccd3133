package dev.opskit.s3.internal;

import dev.opskit.s3.S3BlobStoreException;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Makes the S3 client a store owns. */
public final class S3Clients {
  private S3Clients() {}

  /**
   * What the client is made of.
   *
   * @param region the region, or null for the SDK's chain (us-east-1 with an endpoint)
   * @param endpoint the endpoint, or null for AWS
   * @param pathStyle whether to address the bucket in the path
   * @param credentials the credentials, or null for the default chain
   * @param maxAttempts attempts per request
   * @param parallelism parts per put, to size the connection pool
   */
  public record Spec(@Nullable String region, @Nullable URI endpoint, boolean pathStyle,
      @Nullable AwsCredentialsProvider credentials, int maxAttempts, int parallelism) {}

  /**
   * Makes a client: the Apache 5 HTTP client with a pool large enough for parallel parts, the SDK's standard retries
   * with the attempts asked for, and checksums sent where S3 supports them. Responses are not checked by the SDK:
   * the store checks every byte against the blob's SHA-256 itself.
   *
   * @param spec the settings
   * @param bucket the bucket, for messages
   * @return the client
   * @throws S3BlobStoreException if no region can be found
   */
  public static S3Client create(Spec spec, String bucket) {
    S3ClientBuilder builder = S3Client.builder()
        .httpClientBuilder(Apache5HttpClient.builder()
            .maxConnections(Math.max(50, spec.parallelism() * 8))
            .connectionTimeout(Duration.ofSeconds(10)))
        .forcePathStyle(spec.pathStyle())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(spec.maxAttempts())));
    if (spec.region() != null) {
      builder.region(Region.of(spec.region()));
    } else if (spec.endpoint() != null) {
      builder.region(Region.US_EAST_1);
    }
    if (spec.endpoint() != null) {
      builder.endpointOverride(spec.endpoint());
    }
    if (spec.credentials() != null) {
      builder.credentialsProvider(spec.credentials());
    }
    try {
      return builder.build();
    } catch (SdkClientException e) {
      throw new S3BlobStoreException("could not make an S3 client for bucket " + bucket + ": " + e.getMessage()
          + "; set the region (region=... in the URI, or AWS_REGION)", bucket, "", e);
    }
  }
}
