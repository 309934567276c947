package dev.outrigger.proxy.upstream.health;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.outrigger.proxy.config.HealthCheckConfig.GrpcProbe;
import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.channel.ChannelHandler;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Envoy's {@code grpc_health_check}: the unary call {@code grpc.health.v1.Health/Check} for the
 * configured service over a fresh HTTP/2 connection; healthy when the answer is SERVING. Spoken
 * over the proxy's own Netty HTTP/2 codec rather than a grpc-java channel: a channel would bring
 * its own connection management (reconnect backoff that would hide a recovered endpoint for up to
 * two minutes, its own threads), where a probe wants exactly one fresh attempt on the cluster's own
 * connect path, TLS and event loop. The two messages have one field each, encoded by hand with
 * protobuf's coded streams.
 */
final class GrpcHealthProbe implements Probe {
  static final String PATH = "/grpc.health.v1.Health/Check";
  /** {@code HealthCheckResponse.ServingStatus.SERVING}. */
  static final int SERVING = 1;
  /** A health answer is a few bytes; anything near this is not one. */
  private static final int MAX_RESPONSE_BYTES = 16 * 1024;

  private final GrpcProbe config;
  private final UpstreamCluster cluster;

  GrpcHealthProbe(GrpcProbe config, UpstreamCluster cluster) {
    this.config = config;
    this.cluster = cluster;
  }

  @Override
  public void check(Endpoint endpoint, EventLoop loop, Promise<ProbeResult> result) {
    ProbeRequest.send(cluster, endpoint, loop, true, this::request, () -> readers(result), result);
  }

  private FullHttpRequest request() {
    FullHttpRequest request = new DefaultFullHttpRequest(
        HttpVersion.HTTP_1_1, HttpMethod.POST, PATH, Unpooled.wrappedBuffer(frame(config.serviceName())));
    request.headers()
        .set(HttpHeaderNames.HOST, config.authority())
        .set(HttpHeaderNames.CONTENT_TYPE, "application/grpc")
        .set(HttpHeaderNames.TE, "trailers")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes());
    return request;
  }

  /** A length-prefixed, uncompressed gRPC message holding {@code HealthCheckRequest{service}}. */
  static byte[] frame(String service) {
    int size = service.isEmpty() ? 0 : CodedOutputStream.computeStringSize(1, service);
    byte[] frame = new byte[5 + size];
    frame[1] = (byte) (size >>> 24);
    frame[2] = (byte) (size >>> 16);
    frame[3] = (byte) (size >>> 8);
    frame[4] = (byte) size;
    if (size > 0) {
      CodedOutputStream out = CodedOutputStream.newInstance(frame, 5, size);
      try {
        out.writeString(1, service);
        out.checkNoSpaceLeft();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return frame;
  }

  private static ChannelHandler[] readers(Promise<ProbeResult> result) {
    return new ChannelHandler[] {new HttpObjectAggregator(MAX_RESPONSE_BYTES), new Verdict(result)};
  }

  /** Judges the whole response; the aggregate is released by the base class. */
  private static final class Verdict extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final Promise<ProbeResult> result;

    Verdict(Promise<ProbeResult> result) {
      this.result = result;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      result.trySuccess(judge(response));
    }
  }

  /**
   * Answered but not SERVING (an error status, NOT_SERVING, UNKNOWN) is unhealthy; a garbled
   * answer is a network failure.
   */
  static ProbeResult judge(FullHttpResponse response) {
    if (response.status().code() != 200) {
      return ProbeResult.UNHEALTHY;
    }
    // A trailers-only answer carries grpc-status in its headers.
    HttpHeaders trailers =
        response.trailingHeaders().contains("grpc-status") ? response.trailingHeaders() : response.headers();
    if (!"0".equals(trailers.get("grpc-status"))) {
      return ProbeResult.UNHEALTHY;
    }
    try {
      return servingStatus(response.content()) == SERVING ? ProbeResult.HEALTHY : ProbeResult.UNHEALTHY;
    } catch (IOException | IndexOutOfBoundsException e) {
      return ProbeResult.NETWORK_FAILURE;
    }
  }

  /** The {@code status} field (1) of the one {@code HealthCheckResponse} in {@code frame}; 0 (UNKNOWN) when absent. */
  private static int servingStatus(ByteBuf frame) throws IOException {
    if (frame.readableBytes() < 5 || frame.getByte(frame.readerIndex()) != 0) {
      throw new IOException("not one uncompressed gRPC message");
    }
    int length = frame.getInt(frame.readerIndex() + 1);
    if (length != frame.readableBytes() - 5) {
      throw new IOException("gRPC message length " + length + " does not match the body");
    }
    CodedInputStream in =
        CodedInputStream.newInstance(new ByteBufInputStream(frame.slice(frame.readerIndex() + 5, length)));
    int status = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == 1 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
        status = in.readEnum();
      } else {
        in.skipField(tag);
      }
    }
    return status;
  }
}
