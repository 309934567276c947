package dev.outrigger.proxy.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * One flush, so one write system call, per event-loop turn and connection instead of one per message.
 * An exchange writes and flushes each object as it comes: a response head, its body pieces, its end.
 * They mostly come from one read of the other side, and an HTTP/2 connection shared by many
 * exchanges gets the messages of all of them. Placed before the codec (after TLS, so that a batch
 * makes one TLS record), this handler holds flushes made while the connection itself reads until
 * its read completes, and flushes made from elsewhere until the event loop has handled the turn's
 * other ready channels. Each message still goes out in the turn it was written in.
 */
final class FlushBatching {
  private FlushBatching() {}

  /** A new handler for one connection's pipeline. */
  static ChannelHandler handler() {
    return new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true);
  }

  /**
   * For a connection about to close once its last bytes are out: flushes what the handler holds
   * back, now, and lets every later flush through at once.
   */
  static void stop(ChannelPipeline pipeline) {
    if (pipeline.get(FlushConsolidationHandler.class) != null) {
      pipeline.remove(FlushConsolidationHandler.class); // flushes on removal
    }
  }
}
