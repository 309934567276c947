package dev.outrigger.proxy.http.filter;

import dev.outrigger.proxy.runtime.ConnectionContext;
import dev.outrigger.proxy.stream.StreamInfo;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.AttributeKey;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * One request going through its route's filters, on the downstream's event loop: walks them in
 * order and ends in exactly one call to {@code proceed} or {@code respond}, unless {@link #cancel
 * cancelled} first. A delay parks the walk on a timer; cancelling releases the timer. Made before
 * it runs, so that the caller holds it when a filter answers at once (the answer takes its headers).
 */
public final class FilterRun implements FilterRequest {
  /** A request on a route without filters: nothing to cancel, no headers to add. */
  public static final FilterRun NONE = new FilterRun(RouteFilters.NONE, null, false, null, null, null);

  private static final AttributeKey<Map<ConnectionLocal<?>, Object>> CONNECTION_LOCALS =
      AttributeKey.valueOf("outrigger.http.filter.connectionLocals");

  private final RouteFilters route;
  private final HttpRequest request;
  private final boolean grpc;
  private final Channel downstream;
  private final ConnectionContext connection;
  private final StreamInfo info;
  private Runnable proceed;
  private Consumer<FilterVerdict.Respond> respond;
  private HttpHeaders responseHeaders;
  private Future<?> delayTimer;
  private FilterVerdict.Delay delaying;

  private FilterRun(
      RouteFilters route,
      HttpRequest request,
      boolean grpc,
      Channel downstream,
      ConnectionContext connection,
      StreamInfo info) {
    this.route = route;
    this.request = request;
    this.grpc = grpc;
    this.downstream = downstream;
    this.connection = connection;
    this.info = info;
  }

  /**
   * {@code route}'s filters for {@code request}, ready to {@link #run}; {@link #NONE} when the
   * route has none.
   *
   * @param downstream the request's channel: its event loop runs delays, its connection holds
   *     connection locals
   */
  public static FilterRun of(
      RouteFilters route,
      HttpRequest request,
      boolean grpc,
      Channel downstream,
      ConnectionContext connection,
      StreamInfo info) {
    return route.isEmpty() ? NONE : new FilterRun(route, request, grpc, downstream, connection, info);
  }

  /**
   * Walks the filters; without any, proceeds at once.
   *
   * @param proceed forwards the request upstream
   * @param respond answers it locally instead
   */
  public void run(Runnable proceed, Consumer<FilterVerdict.Respond> respond) {
    if (route.isEmpty()) {
      proceed.run(); // NONE is shared: it keeps nothing
      return;
    }
    this.proceed = proceed;
    this.respond = respond;
    walk(0);
  }

  private void walk(int from) {
    HttpFilter[] filters = route.filters;
    for (int i = from; i < filters.length; i++) {
      FilterVerdict verdict = filters[i].onRequest(this);
      if (verdict instanceof FilterVerdict.Respond reply) {
        respond.accept(reply);
        return;
      }
      if (verdict instanceof FilterVerdict.Delay delay) {
        park(delay, i + 1);
        return;
      }
    }
    proceed.run();
  }

  private void park(FilterVerdict.Delay delay, int next) {
    delaying = delay;
    delayTimer =
        route.scheduler.schedule(downstream.eventLoop(), () -> resume(delay, next), delay.delay().toNanos());
  }

  private void resume(FilterVerdict.Delay delay, int next) {
    if (delaying != delay) {
      return; // cancelled while the timer was already on its way
    }
    endDelay();
    if (delay.then() instanceof FilterVerdict.Respond reply) {
      respond.accept(reply);
    } else {
      walk(next);
    }
  }

  /** The request is over before the filters were (client gone, timeout): stop any timer. */
  public void cancel() {
    if (delaying != null) {
      delayTimer.cancel(false);
      endDelay();
    }
  }

  private void endDelay() {
    FilterVerdict.Delay ended = delaying;
    delaying = null;
    delayTimer = null;
    ended.ended().run();
  }

  /** Sets the headers filters asked for on a response about to be sent. */
  public void applyResponseHeaders(HttpHeaders response) {
    if (responseHeaders != null) {
      response.setAll(responseHeaders);
    }
  }

  @Override
  public HttpHeaders headers() {
    return request.headers();
  }

  @Override
  public String method() {
    return request.method().name();
  }

  @Override
  public String path() {
    return request.uri();
  }

  @Override
  public String authority() {
    return request.headers().get(HttpHeaderNames.HOST, "");
  }

  @Override
  public boolean isGrpc() {
    return grpc;
  }

  @Override
  public ConnectionContext connection() {
    return connection;
  }

  @Override
  public StreamInfo streamInfo() {
    return info;
  }

  @Override
  public HttpHeaders responseHeaders() {
    if (responseHeaders == null) {
      responseHeaders = new DefaultHttpHeaders();
    }
    return responseHeaders;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T connectionLocal(ConnectionLocal<T> local) {
    // An HTTP/2 request's channel is its stream; the connection is the stream's parent.
    Channel connectionChannel = downstream instanceof Http2StreamChannel ? downstream.parent() : downstream;
    Map<ConnectionLocal<?>, Object> locals = connectionChannel.attr(CONNECTION_LOCALS).get();
    if (locals == null) {
      locals = new IdentityHashMap<>();
      connectionChannel.attr(CONNECTION_LOCALS).set(locals);
    }
    return (T) locals.computeIfAbsent(local, ConnectionLocal::initialValue);
  }
}
