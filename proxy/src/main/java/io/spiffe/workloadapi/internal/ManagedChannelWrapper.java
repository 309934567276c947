package io.spiffe.workloadapi.internal;

import io.grpc.ManagedChannel;
import io.netty.channel.EventLoopGroup;
import java.io.Closeable;

/**
 * A Workload API channel and the event loop it owns, closed together; java-spiffe's client calls
 * {@link #getChannel()} and {@link #close()}. See {@link GrpcManagedChannelFactory}.
 */
public final class ManagedChannelWrapper implements Closeable {
  private final ManagedChannel channel;
  private final EventLoopGroup loop;

  /** {@code loop} may be null when the channel uses gRPC's shared event loops. */
  ManagedChannelWrapper(ManagedChannel channel, EventLoopGroup loop) {
    this.channel = channel;
    this.loop = loop;
  }

  public ManagedChannel getChannel() {
    return channel;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    if (loop != null) {
      loop.shutdownGracefully();
    }
  }
}
