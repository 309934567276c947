package dev.outrigger.proxy.http;

import dev.outrigger.proxy.upstream.CircuitBreakerState;
import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One mirrored copy of a request, fire and forget: sent whole to an endpoint of the mirror
 * cluster, its response read and dropped. It holds a slot of the cluster's {@code max_requests}
 * (no slot, no shadow) and ends at the response's end, a failure, or the route timeout, giving
 * back its stream, slot and endpoint. One try, never retried.
 */
final class ShadowRequest implements UpstreamListener {
  private final CircuitBreakerState breakers;
  private final Endpoint endpoint;
  /** The request, owned until written; the head first. */
  private final List<HttpObject> request;
  private final boolean bodyless;
  /** Where the shadow waits for its stream; null once it has one. */
  private EndpointPool pool;
  private UpstreamStream stream;
  private ScheduledFuture<?> timer;
  private boolean keepAlive;
  /** A 1xx response's end is still to come on HTTP/1.1. */
  private boolean inInterim;
  private boolean ended;

  private ShadowRequest(CircuitBreakerState breakers, Endpoint endpoint, List<HttpObject> request, boolean bodyless) {
    this.breakers = breakers;
    this.endpoint = endpoint;
    this.request = request;
    this.bodyless = bodyless;
  }

  /** Sends {@code request} (owned from here on) to {@code cluster}; {@code timeout} zero: none. */
  static void send(EventLoop loop, UpstreamCluster cluster, List<HttpObject> request, boolean bodyless,
      Duration timeout) {
    Endpoint endpoint = cluster.pick(ThreadLocalRandom.current().nextLong());
    if (endpoint == null || !cluster.breakers().tryStartRequest()) {
      request.forEach(ReferenceCountUtil::release);
      return;
    }
    endpoint.requestStarted();
    ShadowRequest shadow = new ShadowRequest(cluster.breakers(), endpoint, request, bodyless);
    if (!timeout.isZero()) {
      shadow.timer = loop.schedule(() -> shadow.end(false), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
    shadow.pool = UpstreamPools.of(loop, cluster, endpoint);
    shadow.pool.acquire(shadow);
  }

  @Override
  public void onUpstreamReady(UpstreamStream ready) {
    pool = null;
    if (ended) {
      ready.release(true);
      return;
    }
    stream = ready;
    ready.prepareRequest((HttpRequest) request.get(0), bodyless);
    request.forEach(ready::writeAndFlush);
    request.clear();
    ready.read();
  }

  @Override
  public void onUpstreamConnectFailed(Throwable cause) {
    pool = null;
    end(false);
  }

  @Override
  public void onPendingOverflow() {
    pool = null;
    end(false);
  }

  @Override
  public void onUpstreamMessage(HttpObject message) {
    if (ended) {
      ReferenceCountUtil.release(message);
      return;
    }
    boolean last = message instanceof LastHttpContent;
    boolean interim = inInterim;
    if (message instanceof HttpResponse response) {
      interim = response.status().code() < 200;
      keepAlive = stream.isHttp2() || HttpUtil.isKeepAlive(response);
    }
    inInterim = interim && !last;
    ReferenceCountUtil.release(message);
    if (last && !interim) {
      end(keepAlive);
    } else {
      stream.read();
    }
  }

  @Override
  public void onUpstreamWritable() {
    // The whole request was written at once: its body is bounded by the retry buffer.
  }

  @Override
  public void onUpstreamGone(UpstreamGone how) {
    stream = null;
    end(false);
  }

  /** Gives back everything the shadow holds, once. */
  private void end(boolean reusable) {
    if (ended) {
      return;
    }
    ended = true;
    if (timer != null) {
      timer.cancel(false);
    }
    if (pool != null) {
      pool.cancel(this);
      pool = null;
    }
    if (stream != null) {
      stream.release(reusable);
      stream = null;
    }
    request.forEach(ReferenceCountUtil::release);
    request.clear();
    endpoint.requestEnded();
    breakers.requestEnded();
  }
}
