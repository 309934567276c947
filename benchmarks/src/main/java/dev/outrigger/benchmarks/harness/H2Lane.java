package dev.outrigger.benchmarks.harness;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.AsciiString;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.util.ArrayList;
import java.util.List;

/**
 * An h2c connection (prior knowledge) carrying many streams, for plain requests and gRPC unary
 * calls. A call succeeds on {@code :status 200} and, for gRPC, {@code grpc-status: 0} in the
 * trailers (or a trailers-only answer). A call ends when the codec closes its stream, not at the
 * last frame read: the codec counts the stream against the peer's limit until then, and a new
 * stream sent from inside the completion (closed loop, or open loop at the limit) would be refused
 * by the codec and never answered. After a GOAWAY the lane takes no new calls.
 */
final class H2Lane extends Http2FrameAdapter implements Lane {
  private static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
  private static final AsciiString OK_STATUS = AsciiString.cached("200");
  /** Streams this lane keeps open at most, below the peers' usual limit of 100 or more. */
  private static final int MAX_STREAMS = 100;

  private final Scenario scenario;
  private final int maxStreams;
  private final Http2Headers requestHeaders;
  /** Shared request body; each request sends a retained duplicate, released by the encoder. */
  private final ByteBuf body;
  private final Lane.Listener listener;
  private final IntObjectMap<Call> calls = new IntObjectHashMap<>();
  private final Http2ConnectionHandler handler;
  private ChannelHandlerContext ctx;
  private volatile boolean settingsReceived;

  private static final class Call {
    final long intendedNanos;
    boolean ok;
    boolean responseEnded;

    Call(long intendedNanos) {
      this.intendedNanos = intendedNanos;
    }
  }

  H2Lane(Scenario scenario, String authority, ByteBuf body, Lane.Listener listener,
      int maxStreams) {
    this.scenario = scenario;
    this.maxStreams = Math.min(MAX_STREAMS, maxStreams);
    this.body = body;
    this.listener = listener;
    this.requestHeaders = new DefaultHttp2Headers().method(scenario.method).scheme("http")
        .authority(authority).path(scenario.path);
    if (scenario.protocol == Scenario.Protocol.GRPC) {
      requestHeaders.set("content-type", "application/grpc").set("te", "trailers");
    }
    this.handler = new Http2ConnectionHandlerBuilder().server(false).frameListener(this)
        .initialSettings(Http2Settings.defaultSettings().initialWindowSize(1 << 20))
        .build();
    handler.connection().addListener(new Http2ConnectionAdapter() {
      @Override
      public void onStreamClosed(Http2Stream stream) {
        Call call = calls.get(stream.id());
        if (call != null) {
          finish(stream.id(), call.ok);
        }
      }
    });
  }

  @Override
  public void install(ChannelPipeline pipeline) {
    pipeline.addLast(handler, new ChannelInboundHandlerAdapter() {
      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        connectionClosed();
      }
    });
    ctx = pipeline.context(handler);
  }

  @Override
  public boolean established() {
    return settingsReceived;
  }

  /** Called after the codec applied the peer's settings, so capacity() sees its stream limit. */
  @Override
  public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
    settingsReceived = true;
  }

  @Override
  public int capacity() {
    if (handler.connection().goAwayReceived()) {
      return 0;
    }
    return Math.min(maxStreams, handler.connection().local().maxActiveStreams());
  }

  @Override
  public int inFlight() {
    return calls.size();
  }

  @Override
  public void send(long intendedNanos) {
    int streamId = handler.connection().local().incrementAndGetNextStreamId();
    calls.put(streamId, new Call(intendedNanos));
    boolean hasBody = body.isReadable();
    handler.encoder().writeHeaders(ctx, streamId, requestHeaders, 0, !hasBody, ctx.voidPromise());
    if (hasBody) {
      handler.encoder().writeData(ctx, streamId, body.retainedDuplicate(), 0, true,
          ctx.voidPromise());
    }
    ctx.flush();
  }

  @Override
  public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
      int padding, boolean endOfStream) {
    Call call = calls.get(streamId);
    if (call == null) {
      return;
    }
    call.responseEnded |= endOfStream;
    CharSequence status = headers.status();
    if (status != null) {
      call.ok = OK_STATUS.contentEquals(status);
    }
    CharSequence grpcStatus = headers.get(GRPC_STATUS);
    if (grpcStatus != null) {
      call.ok &= "0".contentEquals(grpcStatus);
    } else if (endOfStream && scenario.protocol == Scenario.Protocol.GRPC) {
      call.ok = false;
    }
  }

  @Override
  public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
      int streamDependency, short weight, boolean exclusive, int padding, boolean endOfStream) {
    onHeadersRead(ctx, streamId, headers, padding, endOfStream);
  }

  @Override
  public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
      boolean endOfStream) {
    Call call = calls.get(streamId);
    if (endOfStream && call != null) {
      call.responseEnded = true;
      if (scenario.protocol == Scenario.Protocol.GRPC) {
        call.ok = false; // a gRPC answer without trailers
      }
    }
    return data.readableBytes() + padding;
  }

  /**
   * A reset fails the call, except NO_ERROR after the whole response: a server may answer before
   * it has read the whole request and then stop the rest of it that way (RFC 9113, section 8.1).
   */
  @Override
  public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
    Call call = calls.get(streamId);
    if (call != null && !(call.responseEnded && errorCode == Http2Error.NO_ERROR.code())) {
      call.ok = false;
    }
  }

  /** Streams above {@code lastStreamId} are closed by the codec, and their calls fail with them. */
  @Override
  public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode,
      ByteBuf debugData) {
    listener.closed(this);
  }

  /** The connection is gone: the lane closes, then each of its calls in flight fails. */
  private void connectionClosed() {
    List<Call> lost = new ArrayList<>(calls.values());
    calls.clear();
    listener.closed(this);
    for (Call call : lost) {
      listener.completed(this, call.intendedNanos, false);
    }
  }

  private void finish(int streamId, boolean ok) {
    Call call = calls.remove(streamId);
    if (call != null) {
      listener.completed(this, call.intendedNanos, ok);
    }
  }
}
