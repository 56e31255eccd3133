package dev.opskit.s3.internal;

import dev.opskit.s3.S3BlobStoreException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns the SDK's errors into messages that name the bucket and key and say what to check. */
final class Failures {
  private Failures() {}

  /** HTTP status of a service error, or 0 for a client-side one. */
  static int status(SdkException e) {
    return e instanceof AwsServiceException s ? s.statusCode() : 0;
  }

  /** The service's error code, or empty. */
  static String code(SdkException e) {
    if (e instanceof AwsServiceException s && s.awsErrorDetails() != null
        && s.awsErrorDetails().errorCode() != null) {
      return s.awsErrorDetails().errorCode();
    }
    return "";
  }

  /**
   * Whether the SDK failed before sending anything because no provider gave credentials: its default chain says
   * "Unable to load credentials from any of the providers", a single provider names its own source.
   */
  private static boolean missingCredentials(SdkException e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    return m.startsWith("Unable to load credentials") || m.contains("contained no credentials")
        || m.contains("Access key must be specified");
  }

  /**
   * Describes a failed request.
   *
   * @param settings the store's settings
   * @param what what was being done, for example {@code "put blob ab12..."}
   * @param key the object key, or empty for the bucket
   * @param action the IAM action the request needs, for a denial
   * @param e the SDK's error
   * @return the exception to throw
   */
  static S3BlobStoreException of(S3Settings settings, String what, String key, String action, SdkException e) {
    String where = "s3://" + settings.bucket() + (key.isEmpty() ? "" : "/" + key);
    int status = status(e);
    String code = code(e);
    String message;
    if (status == 403) {
      message = "could not " + what + " at " + where + ": access denied (" + code + "); the credentials need "
          + action + " on the bucket" + (key.isEmpty() ? "" : " and its keys") + " (see docs/configuration.md)";
    } else if ("NoSuchBucket".equals(code) || status == 404 && key.isEmpty()) {
      message = "could not " + what + ": bucket " + settings.bucket() + " does not exist at " + settings.endpoint()
          + "; create it, or check the bucket name, region and endpoint";
    } else if (e instanceof SdkClientException && missingCredentials(e)) {
      message = "could not " + what + " at " + where + ": no AWS credentials were found (" + e.getMessage()
          + "); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile or a role, or give the builder "
          + "credentials(...) (see docs/configuration.md)";
    } else if (e instanceof SdkClientException) {
      message = "could not " + what + " at " + where + " after " + settings.maxAttempts() + " attempts: "
          + e.getMessage() + "; check that " + settings.endpoint() + " can be reached";
    } else {
      message = "could not " + what + " at " + where + ": HTTP " + status + (code.isEmpty() ? "" : " " + code)
          + ": " + e.getMessage();
    }
    return new S3BlobStoreException(message, settings.bucket(), key, e);
  }
}
