package dev.opskit.console.internal;

import org.jspecify.annotations.Nullable;

/**
 * What the console answers to one request.
 *
 * @param status the HTTP status
 * @param html the page, or empty for none
 * @param location where a redirect goes, or null
 * @param cookie a Set-Cookie value, or null
 */
record Answer(int status, String html, @Nullable String location, @Nullable String cookie) {
  static Answer ok(String html) {
    return new Answer(200, html, null, null);
  }

  static Answer redirect(String location) {
    return new Answer(303, "", location, null);
  }
}
