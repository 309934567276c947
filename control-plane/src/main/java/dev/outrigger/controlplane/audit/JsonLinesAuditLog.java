package dev.outrigger.controlplane.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends each event as one JSON line to a file, and logs the same line (issued at INFO,
 * refused at WARN). Fields that do not apply are left out.
 */
public final class JsonLinesAuditLog implements AuditSink {
  private static final Logger LOG = LoggerFactory.getLogger("outrigger.audit");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  public JsonLinesAuditLog(Path file) {
    this.file = file;
  }

  @Override
  public void record(AuditEvent event) {
    String line = toJson(event);
    if (event.result() == AuditEvent.Result.ISSUED) {
      LOG.info("{}", line);
    } else {
      LOG.warn("{}", line);
    }
    // Serialised so concurrent signatures never interleave within a line.
    synchronized (this) {
      try {
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        LOG.error("cannot append to the audit log {}: {}", file, e.toString());
      }
    }
  }

  static String toJson(AuditEvent event) {
    ObjectNode json = JSON.createObjectNode()
        .put("time", event.time().toString())
        .put("result", event.result().name().toLowerCase(Locale.ROOT));
    putIfPresent(json, "spiffeId", event.spiffeId());
    putIfPresent(json, "caller", event.caller());
    putIfPresent(json, "serial", event.serial());
    putIfPresent(json, "notAfter", event.notAfter() == null ? null : event.notAfter().toString());
    putIfPresent(json, "reason", event.reason());
    return json.toString();
  }

  private static void putIfPresent(ObjectNode json, String field, String value) {
    if (value != null) {
      json.put(field, value);
    }
  }
}
