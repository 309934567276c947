package io.spiffe.workloadapi.internal;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.util.concurrent.ExecutorService;

/**
 * The Workload API transport that java-spiffe-core calls but does not ship: its published jar
 * compiles against this class and leaves it to a per-platform artifact built on grpc-netty-shaded, a
 * second, relocated copy of Netty. The proxy already has Netty with its epoll native library and
 * unshaded grpc-netty, so it provides the class itself, with the same name and signature.
 *
 * <p>Addresses are those java-spiffe's {@code Address.parseAddress} accepted: {@code unix:///path}
 * (epoll domain socket, Linux only, where SPIRE agents run) or {@code tcp://ip:port}. Plaintext, as
 * the Workload API specifies: the socket's file permissions and the agent's attestation of the
 * caller are its security.
 */
public final class GrpcManagedChannelFactory {

  private GrpcManagedChannelFactory() {}

  /**
   * {@code executorService} is java-spiffe's pool for its own callbacks; the channel gets a single
   * named daemon event loop instead, so a Workload API stream never shows up as anonymous pool threads.
   */
  public static ManagedChannelWrapper newChannel(URI address, ExecutorService executorService) {
    switch (address.getScheme()) {
      case "unix":
        return domainSocketChannel(address.getPath());
      case "tcp":
        return new ManagedChannelWrapper(
            NettyChannelBuilder.forAddress(address.getHost(), address.getPort()).usePlaintext().build(), null);
      default:
        throw new IllegalArgumentException("unsupported Workload API address " + address);
    }
  }

  private static ManagedChannelWrapper domainSocketChannel(String path) {
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException(
          "a unix:// Workload API address needs Netty's epoll transport (Linux): " + Epoll.unavailabilityCause());
    }
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(
        1, new DefaultThreadFactory("outrigger-workload-api", true), EpollIoHandler.newFactory());
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(new DomainSocketAddress(path))
            .eventLoopGroup(loop)
            .channelType(EpollDomainSocketChannel.class)
            // gRPC asks for TCP keep-alive, which a unix socket does not have (Netty would warn).
            .withOption(ChannelOption.SO_KEEPALIVE, null)
            .usePlaintext()
            .build();
    return new ManagedChannelWrapper(channel, loop);
  }
}
