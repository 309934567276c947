package dev.outrigger.proxy.bootstrap;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outrigger.proxy.accesslog.AccessLogFormat;
import dev.outrigger.proxy.config.AccessLogConfig;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Stdout and file access loggers; formats are compiled here once, so a bad operator fails load. */
final class AccessLogTranslator {
  private final Translation translation;

  AccessLogTranslator(Translation translation) {
    this.translation = translation;
  }

  List<AccessLogConfig> translate(List<AccessLog> logs, FieldPath path) {
    List<AccessLogConfig> result = new ArrayList<>();
    for (int i = 0; i < logs.size(); i++) {
      accessLog(logs.get(i), path.index(i).field("typed_config")).ifPresent(result::add);
    }
    return result;
  }

  private Optional<AccessLogConfig> accessLog(AccessLog log, FieldPath path) {
    if (log.getTypedConfig().is(StdoutAccessLog.class)) {
      return translation.unpack(log.getTypedConfig(), StdoutAccessLog.class, path)
          .flatMap(stdout -> format(stdout.hasLogFormat(), stdout.getLogFormat(), path.field("log_format")))
          .map(format -> new AccessLogConfig(Optional.empty(), format));
    }
    return translation.unpack(log.getTypedConfig(), FileAccessLog.class, path).flatMap(file -> file(file, path));
  }

  private Optional<AccessLogConfig> file(FileAccessLog file, FieldPath path) {
    Optional<AccessLogConfig.Format> format = format(file.hasLogFormat(), file.getLogFormat(), path.field("log_format"));
    if (file.getPath().isEmpty()) {
      translation.error(path.field("path"), "required");
      return Optional.empty();
    }
    return format.map(f -> new AccessLogConfig(Optional.of(Path.of(file.getPath())), f));
  }

  private Optional<AccessLogConfig.Format> format(
      boolean configured, SubstitutionFormatString format, FieldPath path) {
    if (!configured) {
      return Optional.of(AccessLogFormat.ENVOY_DEFAULT);
    }
    switch (format.getFormatCase()) {
      case JSON_FORMAT:
        return json(format.getJsonFormat(), path.field("json_format")).filter(json -> compiles(json, path));
      case TEXT_FORMAT_SOURCE:
        DataSource source = format.getTextFormatSource();
        if (source.getSpecifierCase() != DataSource.SpecifierCase.INLINE_STRING) {
          translation.error(path.field("text_format_source"), "only inline_string is supported");
          return Optional.empty();
        }
        return Optional.<AccessLogConfig.Format>of(new AccessLogConfig.Format.Text(source.getInlineString()))
            .filter(text -> compiles(text, path.field("text_format_source").field("inline_string")));
      default:
        translation.error(path, "one of json_format, text_format_source is required");
        return Optional.empty();
    }
  }

  private boolean compiles(AccessLogConfig.Format format, FieldPath path) {
    try {
      AccessLogFormat.compile(format);
      return true;
    } catch (IllegalArgumentException e) {
      translation.error(path, e.getMessage());
      return false;
    }
  }

  private Optional<AccessLogConfig.Format> json(Struct struct, FieldPath path) {
    List<AccessLogConfig.JsonField> fields = new ArrayList<>();
    boolean ok = true;
    for (Map.Entry<String, Value> field : struct.getFieldsMap().entrySet()) {
      if (field.getValue().getKindCase() != Value.KindCase.STRING_VALUE) {
        translation.error(path.field(field.getKey()), "only string values (templates) are supported");
        ok = false;
      } else {
        fields.add(new AccessLogConfig.JsonField(field.getKey(), field.getValue().getStringValue()));
      }
    }
    return ok ? Optional.of(new AccessLogConfig.Format.Json(fields)) : Optional.empty();
  }
}
