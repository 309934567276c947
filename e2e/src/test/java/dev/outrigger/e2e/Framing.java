package dev.outrigger.e2e;

/** How an HTTP/1.1 message body is delimited. */
enum Framing {
  /** {@code Content-Length}: the size up front. */
  LENGTH,
  /** {@code Transfer-Encoding: chunked}: the size unknown until the end. */
  CHUNKED
}
