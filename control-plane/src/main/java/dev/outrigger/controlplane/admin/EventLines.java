package dev.outrigger.controlplane.admin;

import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import dev.outrigger.controlplane.events.CloudEvent;
import dev.outrigger.controlplane.events.EventFeed;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/events}: the recent events, then (following) each new one, as CloudEvents JSON
 * one per line on a chunked response. It subscribes before reading the recent window, so nothing
 * falls between the two and nothing is sent twice. New events wait in a bounded queue for this
 * request's thread; a reader that lets it fill is cut off (the response ends), never the
 * publishers slowed. An empty line every {@value #KEEPALIVE_SECONDS} s of silence finds readers
 * that went away.
 */
final class EventLines {
  static final int KEEPALIVE_SECONDS = 15;
  private static final int QUEUE = 1024;
  private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();
  /** Queued by {@link #end()}: compared by identity, never sent. */
  private static final CloudEvent END = new CloudEvent("", "", "", null, Instant.EPOCH, null);

  private final EventFeed feed;
  private final boolean follow;
  private final BlockingQueue<CloudEvent> queue = new ArrayBlockingQueue<>(QUEUE);
  private volatile boolean overflowed;

  EventLines(EventFeed feed, boolean follow) {
    this.feed = feed;
    this.follow = follow;
  }

  void writeTo(HttpExchange exchange) throws IOException {
    EventFeed.Subscription subscription = follow ? feed.subscribe(this::offer, this::end) : () -> { };
    try (subscription; OutputStream out = exchange.getResponseBody()) {
      exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
      exchange.sendResponseHeaders(200, 0);
      Set<String> recent = new HashSet<>();
      for (CloudEvent event : feed.recent()) {
        recent.add(event.id());
        line(out, event);
      }
      out.flush();
      while (follow && !overflowed) {
        CloudEvent event = queue.poll(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
        if (event == END) {
          break;
        } else if (event == null) {
          out.write('\n');
        } else if (!recent.contains(event.id())) {
          line(out, event);
        }
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the server is stopping
    }
  }

  /**
   * Ends the response cleanly (the server is stopping, or the feed cut this reader off): the
   * reader sees the stream end, not break.
   */
  void end() {
    queue.clear();
    queue.offer(END);
  }

  private void offer(CloudEvent event) {
    if (!queue.offer(event)) {
      overflowed = true;
    }
  }

  private static void line(OutputStream out, CloudEvent event) throws IOException {
    out.write((JSON.print(EventMessages.message(event)) + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
