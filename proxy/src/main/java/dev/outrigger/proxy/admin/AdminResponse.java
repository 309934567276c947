package dev.outrigger.proxy.admin;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * What an admin endpoint answers.
 *
 * @param afterSent runs once the response is written, so that an action that ends the server
 *     (shutdown) cannot cut off its own answer
 */
record AdminResponse(HttpResponseStatus status, String contentType, String body, Runnable afterSent) {
  static final String TEXT = "text/plain; charset=utf-8";

  static AdminResponse text(HttpResponseStatus status, String body) {
    return new AdminResponse(status, TEXT, body, () -> {});
  }

  AdminResponse then(Runnable action) {
    return new AdminResponse(status, contentType, body, action);
  }
}
