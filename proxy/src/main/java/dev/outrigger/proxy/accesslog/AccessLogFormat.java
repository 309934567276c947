package dev.outrigger.proxy.accesslog;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.outrigger.proxy.config.AccessLogConfig;
import dev.outrigger.proxy.config.AccessLogConfig.JsonField;
import dev.outrigger.proxy.stream.StreamInfo;
import java.util.List;

/**
 * A compiled access log format: text ({@code text_format_source}) or one JSON object per line
 * ({@code json_format}). {@link #compile} is also the validator the bootstrap uses: an unknown or
 * malformed command operator is an {@link IllegalArgumentException} naming it.
 */
public final class AccessLogFormat {
  /** Envoy's default format, used when an access log configures none. */
  public static final AccessLogConfig.Format ENVOY_DEFAULT =
      new AccessLogConfig.Format.Text(
          "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" "
              + "%RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
              + "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" "
              + "\"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\"\n");

  /** Writes one line for a stream. */
  @FunctionalInterface
  private interface Renderer {
    void render(StringBuilder line, StreamInfo info);
  }

  private final Renderer renderer;

  private AccessLogFormat(Renderer renderer) {
    this.renderer = renderer;
  }

  public static AccessLogFormat compile(AccessLogConfig.Format format) {
    if (format instanceof AccessLogConfig.Format.Text text) {
      return new AccessLogFormat(Template.compile(text.template())::appendTo);
    }
    return new AccessLogFormat(json(((AccessLogConfig.Format.Json) format).fields()));
  }

  /** The line for {@code info}, with its trailing newline when the format has one (JSON always). */
  public String format(StreamInfo info) {
    StringBuilder line = new StringBuilder(256);
    renderer.render(line, info);
    return line.toString();
  }

  private static Renderer json(List<JsonField> fields) {
    String[] keys = new String[fields.size()];
    Template[] values = new Template[fields.size()];
    for (int i = 0; i < keys.length; i++) {
      JsonField field = fields.get(i);
      keys[i] = (i == 0 ? "{" : ",") + quoted(field.key()) + ":";
      try {
        values[i] = Template.compile(field.template());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("json_format." + field.key() + ": " + e.getMessage(), e);
      }
    }
    return (line, info) -> {
      for (int i = 0; i < keys.length; i++) {
        line.append(keys[i]);
        appendJsonValue(line, values[i], info);
      }
      line.append(keys.length == 0 ? "{}\n" : "}\n");
    };
  }

  /**
   * A value that is exactly one operator keeps its type (a number stays a number, missing is
   * null), as in Envoy; anything else is the rendered template as a string.
   */
  private static void appendJsonValue(StringBuilder line, Template template, StreamInfo info) {
    Field only = template.onlyField();
    if (only == null) {
      StringBuilder text = new StringBuilder();
      template.appendTo(text, info);
      appendQuoted(line, text);
      return;
    }
    Object value = only.value(info);
    if (value == null || value instanceof Long) {
      line.append(value);
    } else {
      appendQuoted(line, value.toString());
    }
  }

  private static String quoted(String text) {
    StringBuilder out = new StringBuilder();
    appendQuoted(out, text);
    return out.toString();
  }

  private static void appendQuoted(StringBuilder out, CharSequence text) {
    out.append('"');
    JsonStringEncoder.getInstance().quoteAsString(text, out);
    out.append('"');
  }
}
