package dev.outrigger.controlplane.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends each event to a file as one line of CloudEvents JSON. Each line is one write to a file
 * opened for appending, so the control plane and {@code outrigger ctl} (root rotation) can write
 * the same file without interleaving lines; the file is opened per event, so it may be rotated
 * away at any time.
 */
public final class JsonLinesEventFile implements EventSink {
  private static final Logger LOG = LoggerFactory.getLogger(JsonLinesEventFile.class);

  private final Path file;

  public JsonLinesEventFile(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized void deliver(CloudEvent event) throws IOException {
    ByteBuffer line = ByteBuffer.wrap((CloudEventJson.write(event) + "\n").getBytes(StandardCharsets.UTF_8));
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      while (line.hasRemaining()) {
        channel.write(line);
      }
    }
  }

  /**
   * A publisher that appends on the caller's thread and logs a failure, for a short-lived process
   * that has no {@link EventHub} ({@code outrigger ctl}).
   */
  public EventPublisher appendingNow() {
    return event -> {
      try {
        deliver(event);
      } catch (IOException e) {
        LOG.error("cannot append event {} ({}) to {}: {}", event.id(), event.type(), file, e.toString());
      }
    };
  }
}
