package dev.outrigger.proxy.accesslog;

import dev.outrigger.proxy.stream.StreamInfo;

/**
 * The value of one command operator for a finished stream: a {@link Long} for numbers, a
 * {@link String} otherwise, or null when the stream has no such value (printed as Envoy does:
 * {@code -} in text, {@code null} in JSON).
 */
@FunctionalInterface
interface Field {
  Object value(StreamInfo info);

  /** This field with string values cut to {@code maxLength} characters ({@code %OP:N%}). */
  default Field truncatedTo(int maxLength) {
    return info -> {
      Object value = value(info);
      if (value instanceof String s && s.length() > maxLength) {
        return s.substring(0, maxLength);
      }
      return value;
    };
  }
}
