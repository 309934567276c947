package dev.outrigger.proxy.http;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The request as received so far, kept so that a retry can send it again, up to a bound on the body
 * bytes. It owns what it keeps (one reference each) and hands each attempt copies of its own:
 * retained duplicates of the body, fresh copies of the head's headers, so attempts never share
 * reader indexes or header mutations. Past the bound it keeps nothing more and the request can no
 * longer be retried. Everything kept is released exactly once, by {@link #giveUp} or {@link
 * #release}.
 */
final class RequestReplay {
  private final long limitBytes;
  private final List<HttpObject> kept = new ArrayList<>(4);
  private long keptBytes;
  private boolean overflowed;

  /** {@code limitBytes} negative: keeps nothing (no retries for this request). */
  RequestReplay(long limitBytes) {
    this.limitBytes = limitBytes;
    this.overflowed = limitBytes < 0;
  }

  /** Takes {@code message} and returns true when it fits; else returns false and the caller keeps it. */
  boolean keep(HttpObject message) {
    if (overflowed) {
      return false;
    }
    long bytes = message instanceof HttpContent ? ((HttpContent) message).content().readableBytes() : 0;
    if (keptBytes + bytes > limitBytes) {
      overflowed = true;
      return false;
    }
    keptBytes += bytes;
    kept.add(message);
    return true;
  }

  /** Whether everything received so far is kept, so that a new attempt can be sent all of it. */
  boolean replayable() {
    return !overflowed;
  }

  /** Whether the request was worth keeping but outgrew the bound. */
  boolean outgrewLimit() {
    return overflowed && limitBytes >= 0;
  }

  /** Copies of everything kept, in order, for a new attempt; the attempt owns them. */
  List<HttpObject> copies() {
    List<HttpObject> copies = new ArrayList<>(kept.size());
    for (HttpObject message : kept) {
      copies.add(copy(message));
    }
    return copies;
  }

  /** A copy of {@code message} for one attempt; {@code message} stays kept here. */
  static HttpObject copy(HttpObject message) {
    if (message instanceof FullHttpRequest) {
      return ((FullHttpRequest) message).retainedDuplicate(); // copies headers and trailers
    }
    if (message instanceof HttpRequest) {
      HttpRequest head = (HttpRequest) message;
      return new DefaultHttpRequest(head.protocolVersion(), head.method(), head.uri(), head.headers().copy());
    }
    return ((HttpContent) message).retainedDuplicate(); // a last content copies its trailers
  }

  /**
   * Stops keeping after the bound was passed: what was kept goes to {@code into} (an attempt that
   * has not sent it yet), or is released when {@code into} is null (the attempt has its copies).
   */
  void giveUp(Collection<HttpObject> into) {
    if (into != null) {
      into.addAll(kept);
    } else {
      kept.forEach(ReferenceCountUtil::release);
    }
    kept.clear();
    keptBytes = 0;
  }

  void release() {
    giveUp(null);
    overflowed = true;
  }
}
