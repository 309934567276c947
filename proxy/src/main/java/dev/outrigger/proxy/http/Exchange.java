package dev.outrigger.proxy.http;

import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.MaxStreamDuration;
import dev.outrigger.proxy.http.filter.FilterRun;
import dev.outrigger.proxy.http.filter.FilterVerdict;
import dev.outrigger.proxy.http.filter.RouteFilters;
import dev.outrigger.proxy.http.routing.HeaderMutator;
import dev.outrigger.proxy.http.routing.RouteDecision;
import dev.outrigger.proxy.http.routing.UpstreamPolicy;
import dev.outrigger.proxy.stream.ResponseFlag;
import dev.outrigger.proxy.stream.StreamInfo;
import dev.outrigger.proxy.upstream.CircuitBreakerState;
import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.RetryOutcome;
import dev.outrigger.proxy.upstream.EndpointOutcomes;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import dev.outrigger.proxy.upstream.UpstreamConnectionEvents;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongUnaryOperator;

/**
 * One request and its response, on the downstream's event loop: routes the request, takes an upstream
 * stream from the loop's pool, and relays both bodies as they come, reading from one side only while
 * the other can take more. An upstream try is an {@link Attempt}; when the route's retry policy says
 * so, a failed attempt is followed by another after a backoff, as long as no response byte went
 * downstream, the request is still kept whole ({@link RequestReplay}) and the cluster's retry
 * breaker allows it. Ends in exactly one report to the stream listener, having given back everything
 * it held: stream, pending slot, kept body, breaker counts.
 */
final class Exchange {
  private static final AsciiString UPSTREAM_SERVICE_TIME = AsciiString.cached("x-envoy-upstream-service-time");
  private static final AsciiString GRPC_TIMEOUT = AsciiString.cached("grpc-timeout");
  private static final AsciiString ATTEMPT_COUNT = AsciiString.cached("x-envoy-attempt-count");
  private static final AsciiString ENVOY_INTERNAL = AsciiString.cached("x-envoy-internal");
  private static final LongUnaryOperator JITTER = bound -> ThreadLocalRandom.current().nextLong(bound);

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
  private RouteDecision.Forward route;
  private UpstreamCluster cluster;
  /** Set while this request holds a slot of its cluster's {@code max_requests}. */
  private CircuitBreakerState breakers;
  /** Null when the request is not retried. */
  private RetryState retry;
  private RequestReplay replay = new RequestReplay(-1);
  /** The upstream try under way; null before the first, between two (backoff) and after the last. */
  private Attempt attempt;
  private int attempts;
  /** From the route's {@code hash_policy} (random without one): what RING_HASH and MAGLEV pick by. */
  private long requestHash;
  /** The hosts tried so far, when the retry policy avoids them ({@code previous_hosts}). */
  private List<Endpoint> triedHosts = List.of();
  /** A retry holds one of the cluster's {@code max_retries} from its scheduling until the next failure or the end. */
  private boolean holdsRetry;
  private ScheduledFuture<?> backoffTimer;
  private ScheduledFuture<?> perTryTimer;
  /** Body bytes read while no attempt could take them (waiting for a stream, or backing off). */
  private long heldBytes;
  private FilterRun filters = FilterRun.NONE;
  private RequestMirrors mirrors = RequestMirrors.NONE;
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
    info.peerIdentity(scope.peer().spiffeId());
    this.timers = new ExchangeTimers(downstream.channel().eventLoop(), scope.ticker(), this::timerExpired);
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
    scope.clientCert().apply(headers);

    RouteDecision decision = scope.routes().current().route(
        request.method().name(), headers.get(HttpHeaderNames.HOST, ""), request.uri(), headers);
    if (decision instanceof RouteDecision.Forward forward) {
      route = forward;
      info.routeName(forward.routeName());
      mirrors = RequestMirrors.of(forward, bodyless, scope.context().clusters(), downstream.channel().eventLoop());
      keepForRetries(request);
      if (forward.filters().isEmpty()) {
        forward(request, forward); // the common case, without the walk's two callbacks
      } else {
        runFilters(forward.filters(), request, () -> forward(request, forward), reply -> answerForFilter(request, reply));
      }
      return;
    }
    // Answered here: the body is dropped as it comes. The head stays readable for the filters
    // (releasing frees only the content of a full request).
    ReferenceCountUtil.release(request);
    discardingRequest = true;
    if (request instanceof LastHttpContent) {
      onRequestEnded();
    }
    if (decision instanceof RouteDecision.Respond respond) {
      runFilters(respond.filters(), request, () -> {
        responseMutations = respond.headerMutations();
        respondLocally(LocalReply.configured(respond.status(), respond.body().orElse("")), null);
      }, reply -> fail(LocalReply.fromFilter(reply)));
    } else if (decision instanceof RouteDecision.Redirect redirect) {
      runFilters(redirect.filters(), request, () -> {
        responseMutations = redirect.headerMutations();
        respondLocally(LocalReply.configured(redirect.status(), ""), redirect.location());
      }, reply -> fail(LocalReply.fromFilter(reply)));
    } else {
      fail(LocalReply.NO_ROUTE);
    }
  }

  /** Walks the route's filters for {@code request}: then {@code proceed}, or {@code respond} for a filter's answer. */
  private void runFilters(
      RouteFilters route, HttpRequest request, Runnable proceed, Consumer<FilterVerdict.Respond> respond) {
    filters = FilterRun.of(route, request, grpc, downstream.channel(), scope.context(), info);
    filters.run(proceed, respond);
  }

  /** A request the codec could not parse, or one that smuggling rules forbid: {@code reply}, then close. */
  void rejectMalformed(HttpRequest request, LocalReply reply) {
    started(request);
    ReferenceCountUtil.release(request);
    abandonRequest = true;
    fail(reply);
  }

  /**
   * Decides from the route and the client's headers whether the request may be retried, and sends
   * the head on its way (kept for retries, or waiting for the upstream) before the filters run, so
   * that body arriving meanwhile lands behind it. Attempts copy the head when they start, so they
   * carry the route's rewrites and header mutations applied after the filters.
   */
  private void keepForRetries(HttpRequest request) {
    UpstreamPolicy policy = route.upstreamPolicy();
    retry = RetryState.of(policy.retryPolicy(), request.headers(), trustsEnvoyHeaders(request.headers()), JITTER);
    replay = new RequestReplay(retry == null ? -1 : policy.bufferLimitBytes());
    toUpstream(request);
  }

  /** After the filters passed it; the request waits for upstream from before they ran. */
  private void forward(HttpRequest request, RouteDecision.Forward route) {
    responseMutations = route.headerMutations();
    request.setUri(route.path());
    route.hostRewrite().ifPresent(host -> request.headers().set(HttpHeaderNames.HOST, host));
    HeaderMutator.applyRequest(request.headers(), route.headerMutations());
    UpstreamPolicy policy = route.upstreamPolicy();
    if (request instanceof LastHttpContent) {
      onRequestEnded();
    }
    if (route.cluster().isEmpty()) {
      fail(LocalReply.NO_CLUSTER);
      return;
    }
    info.upstreamCluster(route.cluster().get());
    cluster = scope.context().clusters().cluster(route.cluster().get());
    if (cluster == null) {
      fail(LocalReply.NO_CLUSTER);
      return;
    }
    if (!cluster.breakers().tryStartRequest()) {
      fail(LocalReply.OVERFLOW);
      return;
    }
    breakers = cluster.breakers();
    mirrors.headReady(request);
    requestHash = RequestHash.of(route.hashPolicies(), request, info.downstreamRemoteAddress());
    route.idleTimeout().ifPresent(timers::startIdle);
    MaxStreamDuration limits = policy.maxStreamDuration();
    limits.maxStreamDuration().ifPresent(limit -> timers.maxStreamDuration(limit, info.startNanos()));
    timers.routeTimeout(routeTimeout(request.headers(), limits), requestEnded);
    startAttempt();
    if (!requestEnded && !done && upstream == null) {
      downstream.requestMore(); // the body is read while the attempt waits (see mayReadMore)
    }
  }

  /**
   * As Envoy's connection manager, which strips them from external requests at the edge: the retry
   * headers are obeyed unless this proxy is the edge ({@code use_remote_address}) and the request
   * came from outside.
   */
  private boolean trustsEnvoyHeaders(HttpHeaders headers) {
    return !scope.config().useRemoteAddress() || headers.contains(ENVOY_INTERNAL);
  }

  /** With {@code grpc_timeout_header_max} set, a gRPC call's {@code grpc-timeout} replaces the route timeout. */
  private Duration routeTimeout(HttpHeaders headers, MaxStreamDuration limits) {
    if (!grpc || limits.grpcTimeoutHeaderMax().isEmpty()) {
      return route.timeout();
    }
    return GrpcTimeout.parse(headers.get(GRPC_TIMEOUT))
        .map(header -> GrpcTimeout.fromHeader(header, limits.grpcTimeoutHeaderMax().get(), limits.grpcTimeoutHeaderOffset()))
        .orElse(route.timeout());
  }

  /** Picks an endpoint and asks its pool for a stream; the request is sent when one is ready. */
  private void startAttempt() {
    backoffTimer = null;
    Endpoint picked = pickEndpoint();
    if (picked == null) {
      fail(LocalReply.NO_HEALTHY_UPSTREAM);
      return;
    }
    attempts++;
    info.upstreamAttempts(attempts);
    endpoint = picked;
    picked.requestStarted();
    info.upstreamHost(picked.toString());
    if (retry != null && retry.avoidPreviousHosts()) {
      if (triedHosts.isEmpty()) {
        triedHosts = new ArrayList<>(2);
      }
      triedHosts.add(picked);
    }
    upstreamStartNanos = scope.ticker().nanoTime();
    Attempt started = new Attempt(UpstreamPools.of(downstream.channel().eventLoop(), cluster, picked));
    attempt = started;
    if (requestEnded) {
      startPerTryTimer();
    }
    started.pool.acquire(started);
  }

  /**
   * The one place that asks the cluster for an endpoint. With {@code previous_hosts} a pick that
   * lands on a host already tried is made again, up to {@code host_selection_retry_max_attempts}
   * times; then the last pick stands.
   */
  private Endpoint pickEndpoint() {
    Endpoint picked = cluster.pick(requestHash);
    if (retry == null || !retry.avoidPreviousHosts()) {
      return picked;
    }
    // A hashing balancer gives the same host for the same hash: a pick made again draws a new one.
    for (int i = 0; i < retry.hostSelectionMaxAttempts() && picked != null && triedHosts.contains(picked); i++) {
      picked = cluster.pick(ThreadLocalRandom.current().nextLong());
    }
    return picked;
  }

  /** The per-try timeout runs once the attempt has begun and the whole request has arrived. */
  private void startPerTryTimer() {
    if (retry != null && perTryTimer == null) {
      retry.perTryTimeout().ifPresent(timeout ->
          perTryTimer = downstream.channel().eventLoop().schedule(
              () -> {
                outcomes().timedOut();
                attemptFailed(RetryState.Failure.PER_TRY_TIMEOUT, LocalReply.UPSTREAM_TIMEOUT);
              },
              timeout.toNanos(), TimeUnit.NANOSECONDS));
    }
  }

  /**
   * Sends {@code message} on its way: kept for retries while it fits (the attempt gets a copy), else
   * straight to the attempt, or queued while none is ready. Past the bound, what was kept goes to
   * the queue if the attempt has not had it yet.
   */
  private void toUpstream(HttpObject message) {
    if (replay.keep(message)) {
      if (upstream != null) {
        upstream.writeAndFlush(RequestReplay.copy(message));
      }
      return;
    }
    replay.giveUp(upstream == null ? waitingForUpstream : null);
    if (upstream == null) {
      waitingForUpstream.add(message);
    } else {
      upstream.writeAndFlush(message);
    }
  }

  /** A filter answered instead of forwarding; the request waiting for upstream is released by fail. */
  private void answerForFilter(HttpRequest request, FilterVerdict.Respond reply) {
    if (request instanceof LastHttpContent) {
      onRequestEnded();
    }
    fail(LocalReply.fromFilter(reply));
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
    int bytes = content.content().readableBytes();
    info.addBytesReceived(bytes);
    mirrors.keep(content);
    toUpstream(content);
    if (!last && mayReadMore(bytes)) {
      downstream.requestMore();
    }
    if (last) {
      onRequestEnded();
    }
  }

  /**
   * While an attempt streams, the upstream's writability paces the reading. While none can take
   * the body, reading goes on up to the listener's buffer limit, so that a request which fits ends
   * and starts its route timeout even while it waits for a connection.
   */
  private boolean mayReadMore(int bytesJustRead) {
    if (upstream != null) {
      return upstream.isWritable();
    }
    heldBytes += bytesJustRead;
    return heldBytes < scope.context().listener().perConnectionBufferLimitBytes();
  }

  private void onRequestEnded() {
    requestEnded = true;
    timers.requestEnded();
    if (attempt != null) {
      startPerTryTimer();
    }
    if (responseEnded) {
      finish();
    }
  }

  private void onUpstreamReady(UpstreamStream stream) {
    if (done || responseEnded) {
      stream.release(true);
      return;
    }
    upstream = stream;
    outcomes().connected();
    heldBytes = 0;
    List<HttpObject> kept = replay.copies();
    HttpRequest head = (HttpRequest) (kept.isEmpty() ? waitingForUpstream.peekFirst() : kept.get(0));
    if (route.autoHostRewrite()) {
      head.headers().set(HttpHeaderNames.HOST, endpoint.address().getHostString());
    }
    if (route.upstreamPolicy().attemptCountInRequest()) {
      head.headers().setInt(ATTEMPT_COUNT, attempts);
    }
    stream.prepareRequest(head, bodyless);
    for (HttpObject copy : kept) {
      stream.writeAndFlush(copy);
    }
    HttpObject waiting;
    while ((waiting = waitingForUpstream.pollFirst()) != null) {
      stream.writeAndFlush(waiting);
    }
    stream.read();
    if (!requestEnded && stream.isWritable()) {
      downstream.requestMore();
    }
  }

  private void onUpstreamConnectFailed() {
    if (!done && upstream == null) {
      outcomes().localOriginFailure();
      attemptFailed(RetryState.Failure.CONNECT_FAILURE, LocalReply.CONNECT_FAILURE);
    }
  }

  private void onUpstreamMessage(HttpObject message) {
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
      outcomes().responded(code);
      if (retry != null && retry.retries(response) && retryScheduled()) {
        ReferenceCountUtil.release(response);
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
    cancelPerTryTimer();
    upstreamKeepAlive = upstream.isHttp2() || HttpUtil.isKeepAlive(response);
    HttpHeaders headers = response.headers();
    HopByHopHeaders.strip(headers, false);
    HeaderMutator.applyResponse(headers, responseMutations);
    filters.applyResponseHeaders(headers);
    headers.set(HttpHeaderNames.SERVER, LocalReply.SERVER);
    endpoint.recordResponseTime(upstreamStartNanos, scope.ticker().nanoTime());
    headers.set(
        UPSTREAM_SERVICE_TIME,
        TimeUnit.NANOSECONDS.toMillis(scope.ticker().nanoTime() - upstreamStartNanos));
    if (route.upstreamPolicy().attemptCountInResponse()) {
      headers.setInt(ATTEMPT_COUNT, attempts);
    }
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
    cancelPerTryTimer();
    replay.release();
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
          releaseBreakers();
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

  private void onUpstreamWritable() {
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

  private void onUpstreamGone(UpstreamListener.UpstreamGone how) {
    upstream = null;
    outcomes().localOriginFailure();
    switch (how) {
      case REFUSED:
        attemptFailed(RetryState.Failure.REFUSED_STREAM, LocalReply.UPSTREAM_RESET);
        break;
      case RESET:
        attemptFailed(RetryState.Failure.RESET, LocalReply.UPSTREAM_RESET);
        break;
      default:
        attemptFailed(RetryState.Failure.RESET, LocalReply.UPSTREAM_CLOSED);
    }
  }

  /** The attempt failed without a response: retried when the policy and the limits allow, else {@code reply}. */
  private void attemptFailed(RetryState.Failure failure, LocalReply reply) {
    if (done || responseEnded) {
      return;
    }
    if (retry == null || !retry.retries(failure) || !retryScheduled()) {
      fail(reply);
    }
  }

  /**
   * Ends the current attempt and schedules the next after a backoff, when a retry is still
   * possible: nothing went downstream yet, retries are left, the request is kept whole, and the
   * cluster's retry breaker (or budget) allows one more. When not, says why in the response flags
   * (URX: retries used up, UO: breaker) and the metrics, and the caller goes on with the answer it has.
   */
  private boolean retryScheduled() {
    if (done || responseStarted) {
      return false;
    }
    UpstreamConnectionEvents events = cluster.events();
    if (!retry.hasRetryLeft()) {
      info.addResponseFlag(ResponseFlag.URX);
      events.retry(RetryOutcome.EXHAUSTED);
      return false;
    }
    if (!replay.replayable()) {
      events.retry(RetryOutcome.BODY_TOO_LARGE);
      return false;
    }
    releaseRetrySlot();
    if (!breakers.tryStartRetry()) {
      info.addResponseFlag(ResponseFlag.UO);
      events.retry(RetryOutcome.OVERFLOW);
      return false;
    }
    holdsRetry = true;
    events.retry(RetryOutcome.RETRIED);
    endAttempt(false);
    backoffTimer = downstream.channel().eventLoop()
        .schedule(this::startAttempt, retry.takeRetry().toNanos(), TimeUnit.NANOSECONDS);
    return true;
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

  /** A timer of the exchange ran out; the route timeout also counts against the attempt's endpoint. */
  private void timerExpired(LocalReply reason) {
    if (reason == LocalReply.UPSTREAM_TIMEOUT) {
      outcomes().timedOut();
    }
    fail(reason);
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
    filters.applyResponseHeaders(response.headers());
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

  /** The exchange is over upstream: the attempt, a scheduled retry, the kept body and the breaker slots go. */
  private void releaseUpstream(boolean reusable) {
    endAttempt(reusable);
    if (backoffTimer != null) {
      backoffTimer.cancel(false);
      backoffTimer = null;
    }
    replay.release();
    releaseBreakers();
  }

  /** Lets go of the current attempt: its stream (or its place among the pending), its queue, its endpoint. */
  private void endAttempt(boolean reusable) {
    Attempt ending = attempt;
    attempt = null;
    cancelPerTryTimer();
    if (ending != null && ending.pool != null) {
      ending.pool.cancel(ending);
    }
    if (upstream != null) {
      UpstreamStream releasing = upstream;
      upstream = null;
      releasing.release(reusable);
    }
    waitingForUpstream.forEach(ReferenceCountUtil::release);
    waitingForUpstream.clear();
    releaseEndpoint();
  }

  private void cancelPerTryTimer() {
    if (perTryTimer != null) {
      perTryTimer.cancel(false);
      perTryTimer = null;
    }
  }

  private void releaseRetrySlot() {
    if (holdsRetry) {
      holdsRetry = false;
      breakers.retryEnded();
    }
  }

  private void releaseBreakers() {
    if (breakers != null) {
      releaseRetrySlot();
      breakers.requestEnded();
      breakers = null;
    }
  }

  /** Where this attempt's outcome goes: the picked endpoint's outlier detection, if any. */
  private EndpointOutcomes outcomes() {
    return endpoint == null ? EndpointOutcomes.NONE : endpoint.outcomes();
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
    mirrors.cancel();
    timers.cancel();
    filters.cancel();
    info.end(scope.ticker().nanoTime());
    scope.context().streamListener().onComplete(info);
  }

  /**
   * One try at the upstream, the listener its pool calls back. A try that is no longer the current
   * one (a retry replaced it, or the exchange ended) only lets go of what it is handed.
   */
  private final class Attempt implements UpstreamListener {
    /** Where the attempt waits for its stream; null once it has one. */
    private EndpointPool pool;

    Attempt(EndpointPool pool) {
      this.pool = pool;
    }

    private boolean current() {
      return attempt == this;
    }

    @Override
    public void onUpstreamReady(UpstreamStream stream) {
      if (!current()) {
        stream.release(true);
        return;
      }
      pool = null;
      Exchange.this.onUpstreamReady(stream);
    }

    @Override
    public void onUpstreamConnectFailed(Throwable cause) {
      if (current()) {
        pool = null;
        Exchange.this.onUpstreamConnectFailed();
      }
    }

    @Override
    public void onPendingOverflow() {
      if (current()) {
        pool = null;
        fail(LocalReply.OVERFLOW);
      }
    }

    @Override
    public void onUpstreamMessage(HttpObject message) {
      if (current()) {
        Exchange.this.onUpstreamMessage(message);
      } else {
        ReferenceCountUtil.release(message);
      }
    }

    @Override
    public void onUpstreamWritable() {
      if (current()) {
        Exchange.this.onUpstreamWritable();
      }
    }

    @Override
    public void onUpstreamGone(UpstreamGone how) {
      if (current()) {
        Exchange.this.onUpstreamGone(how);
      }
    }
  }

  private static boolean isGrpc(HttpHeaders headers) {
    String contentType = headers.get(HttpHeaderNames.CONTENT_TYPE);
    return contentType != null && contentType.regionMatches(true, 0, "application/grpc", 0, 16);
  }
}
