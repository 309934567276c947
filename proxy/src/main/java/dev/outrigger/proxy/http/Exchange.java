package dev.outrigger.proxy.http;

import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.http.routing.HeaderMutator;
import dev.outrigger.proxy.http.routing.RouteDecision;
import dev.outrigger.proxy.stream.ResponseFlag;
import dev.outrigger.proxy.stream.StreamInfo;
import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One request and its response, on the downstream's event loop: routes the request, takes an upstream
 * stream from the loop's pool, and relays both bodies as they come, reading from one side only while
 * the other can take more. Ends in exactly one report to the stream listener.
 */
final class Exchange implements UpstreamListener {
  private static final AsciiString UPSTREAM_SERVICE_TIME = AsciiString.cached("x-envoy-upstream-service-time");
  private static final AsciiString GRPC_TIMEOUT = AsciiString.cached("grpc-timeout");

  private final ConnectionScope scope;
  private final Downstream downstream;
  private final StreamInfo info;
  private final ExchangeTimers timers;
  /** Request objects that arrived before the upstream stream was ready; owned until written. */
  private final ArrayDeque<HttpObject> waitingForUpstream = new ArrayDeque<>(2);

  private boolean grpc;
  private boolean headRequest;
  private boolean webSocket;
  private boolean bodyless;
  private List<HeaderMutations> responseMutations = List.of();
  private Endpoint endpoint;
  private UpstreamStream upstream;
  private long upstreamStartNanos;
  private boolean upstreamKeepAlive;
  private boolean swallowInterimEnd;
  /** The client waits for 100 Continue before it sends its body, and none was sent. */
  private boolean bodyAwaitsContinue;

  private boolean requestEnded;
  private boolean responseStarted;
  private boolean responseEnded;
  /** After a local reply or an early response: the rest of the request body is read and dropped. */
  private boolean discardingRequest;
  /** The request cannot be read to its end (malformed): the connection closes after the reply. */
  private boolean abandonRequest;
  private ChannelFuture lastResponseWrite;
  private boolean done;

  Exchange(ConnectionScope scope, Downstream downstream) {
    this.scope = scope;
    this.downstream = downstream;
    this.info =
        new StreamInfo(
            System.currentTimeMillis(),
            scope.ticker().nanoTime(),
            scope.context().listener().name(),
            scope.context().remoteAddress());
    info.protocol(downstream.protocol());
    this.timers = new ExchangeTimers(downstream.channel().eventLoop(), scope.ticker(), this::fail);
  }

  /** Records the request as received and tells the stream listener it began (active requests). */
  private void started(HttpRequest request) {
    info.requestLine(request.method().name(), request.uri());
    info.requestHeaders(request.headers());
    scope.context().streamListener().onStart(info);
  }

  /** The request head; {@code bodyless} when no body follows at all. */
  void onRequestHead(HttpRequest request, boolean bodyless) {
    this.bodyless = bodyless;
    HttpHeaders headers = request.headers();
    started(request);
    grpc = isGrpc(headers);
    headRequest = HttpMethod.HEAD.equals(request.method());
    bodyAwaitsContinue = !bodyless && HttpUtil.is100ContinueExpected(request);
    timers.startRequest(scope.config().requestTimeout());
    timers.startIdle(scope.config().streamIdleTimeout());
    webSocket = !downstream.isHttp2() && HopByHopHeaders.isWebSocketUpgrade(headers);
    HopByHopHeaders.strip(headers, webSocket);
    info.downstreamRemoteAddress(ForwardedHeaders.apply(scope, headers));

    RouteDecision decision =
        scope.router().route(headers.get(HttpHeaderNames.HOST, ""), request.uri(), headers);
    if (decision instanceof RouteDecision.Forward forward) {
      forward(request, forward);
      return;
    }
    ReferenceCountUtil.release(request);
    if (request instanceof LastHttpContent) {
      onRequestEnded();
    }
    if (decision instanceof RouteDecision.Respond respond) {
      responseMutations = respond.headerMutations();
      respondLocally(LocalReply.configured(respond.status(), respond.body().orElse("")), null);
    } else if (decision instanceof RouteDecision.Redirect redirect) {
      responseMutations = redirect.headerMutations();
      respondLocally(LocalReply.configured(redirect.status(), ""), redirect.location());
    } else {
      fail(LocalReply.NO_ROUTE);
    }
  }

  /** A request the codec could not parse, or one that smuggling rules forbid: {@code reply}, then close. */
  void rejectMalformed(HttpRequest request, LocalReply reply) {
    started(request);
    ReferenceCountUtil.release(request);
    abandonRequest = true;
    fail(reply);
  }

  private void forward(HttpRequest request, RouteDecision.Forward route) {
    info.routeName(route.routeName());
    responseMutations = route.headerMutations();
    request.setUri(route.path());
    route.hostRewrite().ifPresent(host -> request.headers().set(HttpHeaderNames.HOST, host));
    HeaderMutator.applyRequest(request.headers(), route.headerMutations());
    waitingForUpstream.add(request);
    if (request instanceof LastHttpContent) {
      onRequestEnded();
    }
    if (route.cluster().isEmpty()) {
      fail(LocalReply.NO_CLUSTER);
      return;
    }
    info.upstreamCluster(route.cluster().get());
    UpstreamCluster cluster = scope.context().clusters().cluster(route.cluster().get());
    if (cluster == null) {
      fail(LocalReply.NO_CLUSTER);
      return;
    }
    Endpoint picked = cluster.pick(RequestHash.of(route.hashPolicies(), request, info.downstreamRemoteAddress()));
    if (picked == null) {
      fail(LocalReply.NO_HEALTHY_UPSTREAM);
      return;
    }
    if (route.autoHostRewrite()) {
      request.headers().set(HttpHeaderNames.HOST, picked.address().getHostString());
    }
    endpoint = picked;
    picked.requestStarted();
    info.upstreamHost(picked.toString());
    route.idleTimeout().ifPresent(timers::startIdle);
    Duration timeout =
        grpc ? GrpcTimeout.tighter(route.timeout(), GrpcTimeout.parse(request.headers().get(GRPC_TIMEOUT))) : route.timeout();
    timers.routeTimeout(timeout, requestEnded);
    upstreamStartNanos = scope.ticker().nanoTime();
    UpstreamPools.of(downstream.channel().eventLoop(), cluster, picked).acquire(this);
  }

  void onRequestContent(HttpContent content) {
    timers.touch();
    boolean last = content instanceof LastHttpContent;
    if (done || discardingRequest) {
      content.release();
      if (last) {
        onRequestEnded();
      } else {
        downstream.requestMore();
      }
      return;
    }
    info.addBytesReceived(content.content().readableBytes());
    if (upstream == null) {
      waitingForUpstream.add(content);
    } else {
      upstream.writeAndFlush(content);
      if (!last && upstream.isWritable()) {
        downstream.requestMore();
      }
    }
    if (last) {
      onRequestEnded();
    }
  }

  private void onRequestEnded() {
    requestEnded = true;
    timers.requestEnded();
    if (responseEnded) {
      finish();
    }
  }

  @Override
  public void onUpstreamReady(UpstreamStream stream) {
    if (done || responseEnded) {
      stream.release(true);
      return;
    }
    upstream = stream;
    stream.prepareRequest((HttpRequest) waitingForUpstream.peekFirst(), bodyless);
    HttpObject waiting;
    while ((waiting = waitingForUpstream.pollFirst()) != null) {
      stream.writeAndFlush(waiting);
    }
    stream.read();
    if (!requestEnded && stream.isWritable()) {
      downstream.requestMore();
    }
  }

  @Override
  public void onUpstreamConnectFailed(Throwable cause) {
    if (!done && upstream == null) {
      fail(LocalReply.CONNECT_FAILURE);
    }
  }

  @Override
  public void onUpstreamMessage(HttpObject message) {
    timers.touch();
    if (responseEnded || done) {
      ReferenceCountUtil.release(message);
      return;
    }
    if (message instanceof HttpResponse response) {
      int code = response.status().code();
      if (code < 200 && code != 101) {
        forwardInterim(response);
        return;
      }
      if (code == 101 && webSocket && !upstream.isHttp2()) {
        switchToTunnel(response);
        return;
      }
      prepareResponseHead(response);
    } else if (swallowInterimEnd && message instanceof LastHttpContent) {
      swallowInterimEnd = false;
      ReferenceCountUtil.release(message);
      readUpstream();
      return;
    }
    if (message instanceof HttpContent content) {
      info.addBytesSent(content.content().readableBytes());
      if (content instanceof LastHttpContent last) {
        recordTrailers(last);
      }
    }
    ChannelFuture written = downstream.writeAndFlush(message);
    if (message instanceof LastHttpContent) {
      onResponseEnded(written);
    } else if (downstream.isWritable()) {
      readUpstream();
    }
  }

  private void prepareResponseHead(HttpResponse response) {
    responseStarted = true;
    upstreamKeepAlive = upstream.isHttp2() || HttpUtil.isKeepAlive(response);
    HttpHeaders headers = response.headers();
    HopByHopHeaders.strip(headers, false);
    HeaderMutator.applyResponse(headers, responseMutations);
    headers.set(HttpHeaderNames.SERVER, LocalReply.SERVER);
    endpoint.recordResponseTime(upstreamStartNanos, scope.ticker().nanoTime());
    headers.set(
        UPSTREAM_SERVICE_TIME,
        TimeUnit.NANOSECONDS.toMillis(scope.ticker().nanoTime() - upstreamStartNanos));
    response.setProtocolVersion(HttpVersion.HTTP_1_1);
    downstream.prepareResponse(response, bodyAllowed(response.status().code()), abandonsRequest());
    info.responseCode(response.status().code());
    info.responseHeaders(headers);
  }

  private void recordTrailers(LastHttpContent last) {
    if (last.trailingHeaders().isEmpty()) {
      return;
    }
    if (downstream.isHttp2()) {
      info.responseTrailers(last.trailingHeaders());
    } else {
      // Envoy drops trailers towards HTTP/1.1 clients unless told otherwise.
      last.trailingHeaders().clear();
    }
  }

  /** 100 Continue and other 1xx: passed on as they are, the exchange goes on. */
  private void forwardInterim(HttpResponse interim) {
    FullHttpResponse copy =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, interim.status(), Unpooled.EMPTY_BUFFER);
    copy.headers().set(interim.headers());
    HopByHopHeaders.strip(copy.headers(), false);
    swallowInterimEnd = !(interim instanceof LastHttpContent);
    bodyAwaitsContinue &= interim.status().code() != 100;
    ReferenceCountUtil.release(interim);
    downstream.writeAndFlush(copy);
    readUpstream();
  }

  /** The upstream accepted the WebSocket upgrade: pass the 101 on, then relay bytes until both close. */
  private void switchToTunnel(HttpResponse switching) {
    timers.cancel();
    FullHttpResponse accepted =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, switching.status(), Unpooled.EMPTY_BUFFER);
    accepted.headers().set(switching.headers());
    ReferenceCountUtil.release(switching);
    HopByHopHeaders.strip(accepted.headers(), true);
    accepted.headers().set(HttpHeaderNames.SERVER, LocalReply.SERVER);
    info.responseCode(101);
    info.responseHeaders(accepted.headers());
    downstream.writeAndFlush(accepted);
    UpstreamStream tunnelled = upstream;
    upstream = null;
    done = true;
    WebSocketTunnel.open(
        downstream,
        tunnelled,
        (fromDownstream, toDownstream) -> {
          info.addBytesReceived(fromDownstream);
          info.addBytesSent(toDownstream);
          releaseEndpoint();
          report();
        });
  }

  private void onResponseEnded(ChannelFuture written) {
    responseEnded = true;
    lastResponseWrite = written;
    releaseUpstream(requestEnded && upstreamKeepAlive);
    if (requestEnded || abandonsRequest() || downstream.isHttp2()) {
      finish();
    } else {
      discardingRequest = true;
      downstream.requestMore();
    }
  }

  @Override
  public void onUpstreamWritable() {
    if (!requestEnded && !discardingRequest) {
      downstream.requestMore();
    }
  }

  void onDownstreamWritable() {
    if (responseStarted) {
      readUpstream();
    }
  }

  /** Reads more of the response, unless a write just failed and the exchange let go of the upstream. */
  private void readUpstream() {
    if (upstream != null) {
      upstream.read();
    }
  }

  @Override
  public void onUpstreamGone(boolean reset) {
    upstream = null;
    fail(reset ? LocalReply.UPSTREAM_RESET : LocalReply.UPSTREAM_CLOSED);
  }

  /** The client went away (connection closed, stream reset): cancel upstream, report, no reply. */
  void onDownstreamGone() {
    if (done) {
      return;
    }
    info.addResponseFlag(ResponseFlag.DC);
    releaseUpstream(false);
    done = true;
    report();
  }

  /** Ends the exchange for {@code reason}: a local reply if nothing was sent yet, else a reset. */
  private void fail(LocalReply reason) {
    if (done || responseEnded) {
      return;
    }
    if (reason.flag() != null) {
      info.addResponseFlag(reason.flag());
    }
    // A client that stalls gets no more waiting: its connection closes after the reply.
    abandonRequest |= reason == LocalReply.REQUEST_TIMEOUT || reason == LocalReply.STREAM_IDLE_TIMEOUT;
    releaseUpstream(false);
    if (!responseStarted) {
      respondLocally(reason, null);
      return;
    }
    downstream.reset();
    done = true;
    report();
  }

  private void respondLocally(LocalReply reply, String location) {
    FullHttpResponse response = reply.toResponse(grpc, downstream.channel().alloc());
    if (location != null) {
      response.headers().set(HttpHeaderNames.LOCATION, location);
    }
    HeaderMutator.applyResponse(response.headers(), responseMutations);
    responseStarted = true;
    downstream.prepareResponse(response, bodyAllowed(response.status().code()), abandonsRequest());
    info.responseCode(response.status().code());
    info.responseHeaders(response.headers());
    info.addBytesSent(response.content().readableBytes());
    onResponseEnded(downstream.writeAndFlush(response));
  }

  /**
   * The rest of the request will not be read: it cannot be (malformed, stalled), or a client still
   * waiting for 100 Continue may never send it.
   */
  private boolean abandonsRequest() {
    return !requestEnded && (abandonRequest || bodyAwaitsContinue);
  }

  private boolean bodyAllowed(int status) {
    return !headRequest && status >= 200 && status != 204 && status != 304;
  }

  private void releaseUpstream(boolean reusable) {
    if (upstream != null) {
      UpstreamStream releasing = upstream;
      upstream = null;
      releasing.release(reusable);
    }
    waitingForUpstream.forEach(ReferenceCountUtil::release);
    waitingForUpstream.clear();
    releaseEndpoint();
  }

  private void releaseEndpoint() {
    if (endpoint != null) {
      endpoint.requestEnded();
      endpoint = null;
    }
  }

  private void finish() {
    if (done) {
      return;
    }
    done = true;
    report();
    downstream.exchangeEnded(lastResponseWrite, requestEnded);
  }

  private void report() {
    timers.cancel();
    info.end(scope.ticker().nanoTime());
    scope.context().streamListener().onComplete(info);
  }

  private static boolean isGrpc(HttpHeaders headers) {
    String contentType = headers.get(HttpHeaderNames.CONTENT_TYPE);
    return contentType != null && contentType.regionMatches(true, 0, "application/grpc", 0, 16);
  }
}
