package dev.outrigger.proxy.accesslog;

import dev.outrigger.proxy.stream.StreamInfo;

/** One compiled piece of a text template: literal text or a command operator. */
@FunctionalInterface
interface Part {
  void appendTo(StringBuilder line, StreamInfo info);

  static Part literal(String text) {
    return (line, info) -> line.append(text);
  }

  static Part field(Field field) {
    return (line, info) -> {
      Object value = field.value(info);
      line.append(value == null ? "-" : value);
    };
  }
}
