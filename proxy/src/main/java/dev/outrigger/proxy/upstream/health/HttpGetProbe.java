package dev.outrigger.proxy.upstream.health;

import dev.outrigger.proxy.config.HealthCheckConfig.HttpProbe;
import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;

/**
 * Envoy's {@code http_health_check}: a GET of the path, judged by the status alone (the body is
 * not read), healthy when it is among the expected statuses.
 */
final class HttpGetProbe implements Probe {
  private static final String USER_AGENT = "outrigger-health-check";

  private final HttpProbe config;
  private final UpstreamCluster cluster;

  HttpGetProbe(HttpProbe config, UpstreamCluster cluster) {
    this.config = config;
    this.cluster = cluster;
  }

  @Override
  public void check(Endpoint endpoint, EventLoop loop, Promise<ProbeResult> result) {
    ProbeRequest.send(cluster, endpoint, loop, config.http2(), this::request,
        () -> new ChannelHandler[] {new StatusReader(result)}, result);
  }

  private FullHttpRequest request() {
    FullHttpRequest request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, config.path(), Unpooled.EMPTY_BUFFER);
    request.headers()
        .set(HttpHeaderNames.HOST, config.authority())
        .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    return request;
  }

  /** Judges the response head; everything read is released here. */
  private final class StatusReader extends ChannelInboundHandlerAdapter {
    private final Promise<ProbeResult> result;

    StatusReader(Promise<ProbeResult> result) {
      this.result = result;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof HttpResponse response && response.status().code() >= 200) {
          result.trySuccess(config.expects(response.status().code()) ? ProbeResult.HEALTHY : ProbeResult.UNHEALTHY);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
  }
}
