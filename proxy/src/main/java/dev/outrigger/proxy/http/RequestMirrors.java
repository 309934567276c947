package dev.outrigger.proxy.http;

import dev.outrigger.proxy.config.MirrorPolicy;
import dev.outrigger.proxy.http.routing.RouteDecision;
import dev.outrigger.proxy.upstream.ClusterManager;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The copies of one request for the mirror policies its route drew. Keeps references of its own to
 * the request as it comes in, the body only up to the route's retry buffer bound; once the whole
 * request is in and the route has rewritten its head, sends one {@link ShadowRequest} per mirror.
 * A request whose body outgrows the bound is not mirrored at all (a cut body would be a different
 * request). Nothing flows back: the exchange never waits for, or hears of, its shadows.
 */
final class RequestMirrors {
  static final RequestMirrors NONE = new RequestMirrors(List.of(), 0, false, Duration.ZERO, null, null);
  private static final String SHADOW_SUFFIX = "-shadow";

  private final List<MirrorPolicy> mirrors;
  private final long limitBytes;
  private final boolean bodyless;
  private final Duration timeout;
  private final ClusterManager clusters;
  private final EventLoop loop;
  /** Body parts kept so far, owned here (one reference each) until the shadows are sent or given up. */
  private final List<HttpObject> body = new ArrayList<>(2);
  /** A copy of the head as forwarded (after the route's rewrites); owned here. */
  private HttpRequest head;
  private long keptBytes;
  private boolean ended;
  /** Sent, outgrown or cancelled: keeps nothing more. */
  private boolean over;

  private RequestMirrors(List<MirrorPolicy> mirrors, long limitBytes, boolean bodyless, Duration timeout,
      ClusterManager clusters, EventLoop loop) {
    this.mirrors = mirrors;
    this.limitBytes = limitBytes;
    this.bodyless = bodyless;
    this.timeout = timeout;
    this.clusters = clusters;
    this.loop = loop;
    this.over = mirrors.isEmpty();
  }

  /** The mirrors of {@code route}'s request; {@link #NONE} when it drew none. */
  static RequestMirrors of(RouteDecision.Forward route, boolean bodyless, ClusterManager clusters, EventLoop loop) {
    if (route.mirrors().isEmpty()) {
      return NONE;
    }
    return new RequestMirrors(route.mirrors(), route.upstreamPolicy().bufferLimitBytes(), bodyless,
        route.timeout(), clusters, loop);
  }

  /** A body part as received; the caller keeps its own reference. */
  void keep(HttpContent content) {
    if (over) {
      return;
    }
    keptBytes += content.content().readableBytes();
    if (keptBytes > limitBytes) {
      cancel();
      return;
    }
    body.add(RequestReplay.copy(content));
    sendIfWhole(content instanceof LastHttpContent);
  }

  /** The head as it goes upstream (a full request may carry its body); the caller keeps its own. */
  void headReady(HttpRequest request) {
    if (over) {
      return;
    }
    if (request instanceof HttpContent full) {
      keptBytes += full.content().readableBytes();
      if (keptBytes > limitBytes) {
        cancel();
        return;
      }
    }
    head = (HttpRequest) RequestReplay.copy(request);
    sendIfWhole(request instanceof LastHttpContent);
  }

  /** The exchange is over: what was not sent yet never will be. */
  void cancel() {
    if (over) {
      return;
    }
    over = true;
    ReferenceCountUtil.release(head);
    head = null;
    body.forEach(ReferenceCountUtil::release);
    body.clear();
  }

  private void sendIfWhole(boolean lastPart) {
    ended |= lastPart;
    if (!ended || head == null) {
      return;
    }
    for (MirrorPolicy mirror : mirrors) {
      UpstreamCluster cluster = clusters.cluster(mirror.cluster());
      if (cluster != null) {
        ShadowRequest.send(loop, cluster, copy(mirror), bodyless, timeout);
      }
    }
    cancel();
  }

  /** The request for one mirror, in copies it owns; the authority marked as Envoy does. */
  private List<HttpObject> copy(MirrorPolicy mirror) {
    List<HttpObject> request = new ArrayList<>(body.size() + 1);
    HttpRequest shadowHead = (HttpRequest) RequestReplay.copy(head);
    if (mirror.shadowHostSuffix()) {
      String host = shadowHead.headers().get(HttpHeaderNames.HOST, "");
      shadowHead.headers().set(HttpHeaderNames.HOST, shadowAuthority(host));
    }
    request.add(shadowHead);
    body.forEach(part -> request.add(RequestReplay.copy(part)));
    return request;
  }

  /** {@code -shadow} after the host, before any port: {@code cart:8080} becomes {@code cart-shadow:8080}. */
  private static String shadowAuthority(String authority) {
    int colon = authority.lastIndexOf(':');
    boolean hasPort = colon > authority.lastIndexOf(']') && colon >= 0;
    return hasPort
        ? authority.substring(0, colon) + SHADOW_SUFFIX + authority.substring(colon)
        : authority + SHADOW_SUFFIX;
  }
}
