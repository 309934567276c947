package dev.outrigger.proxy.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An access log: where lines go and how they look.
 *
 * @param path the file to append to; empty means standard output
 */
public record AccessLogConfig(Optional<Path> path, Format format) {

  /** A parsed log format. */
  public sealed interface Format {
    /** {@code text_format_source}: literal text with command operators; ends with a newline. */
    record Text(String template) implements Format {}

    /**
     * {@code json_format}: one JSON object per line. Each value is a template; a value that is
     * exactly one operator keeps its type (numbers stay numbers), as in Envoy.
     */
    record Json(List<JsonField> fields) implements Format {
      public Json {
        fields = List.copyOf(fields);
      }
    }
  }

  /** One key of a JSON log line and its template. */
  public record JsonField(String key, String template) {}
}
