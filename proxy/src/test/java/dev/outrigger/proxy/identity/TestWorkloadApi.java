package dev.outrigger.proxy.identity;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.spiffe.workloadapi.grpc.SpiffeWorkloadAPIGrpc;
import io.spiffe.workloadapi.grpc.Workload.X509SVID;
import io.spiffe.workloadapi.grpc.Workload.X509SVIDRequest;
import io.spiffe.workloadapi.grpc.Workload.X509SVIDResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A SPIFFE Workload API server built from java-spiffe's stubs on a unix domain socket, like a SPIRE
 * agent: requires the {@code workload.spiffe.io: true} header, keeps every {@code FetchX509SVID}
 * stream open, and pushes each SVID set to all of them.
 */
final class TestWorkloadApi implements AutoCloseable {
  private static final Metadata.Key<String> SECURITY_HEADER =
      Metadata.Key.of("workload.spiffe.io", Metadata.ASCII_STRING_MARSHALLER);

  private final String address;
  private final EventLoopGroup loop;
  private final Server server;
  private final List<StreamObserver<X509SVIDResponse>> streams = new ArrayList<>();
  private X509SVIDResponse current;

  private TestWorkloadApi(NettyServerBuilder builder, EventLoopGroup loop) throws IOException {
    this.loop = loop;
    this.server = builder.addService(ServerInterceptors.intercept(new Agent(), new SecurityHeaderCheck())).build().start();
    this.address = server.getListenSockets().get(0) instanceof InetSocketAddress tcp
        ? "tcp://127.0.0.1:" + tcp.getPort()
        : "unix://" + ((DomainSocketAddress) server.getListenSockets().get(0)).path();
  }

  /** Listens on a unix domain socket, as a SPIRE agent does. */
  static TestWorkloadApi onUnixSocket(Path socket) throws IOException {
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    return new TestWorkloadApi(
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(loop)
            .workerEventLoopGroup(loop)
            .withChildOption(ChannelOption.SO_KEEPALIVE, null),
        loop);
  }

  /** Listens on 127.0.0.1, which java-spiffe also accepts ({@code tcp://ip:port}). */
  static TestWorkloadApi onLoopbackTcp() throws IOException {
    return new TestWorkloadApi(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)), null);
  }

  /** The address as SPIFFE_ENDPOINT_SOCKET would carry it. */
  String address() {
    return address;
  }

  /** Sends this SVID to every open stream, and to each stream opened later. */
  synchronized void push(X509SVIDResponse response) {
    current = response;
    for (StreamObserver<X509SVIDResponse> stream : streams) {
      stream.onNext(response);
    }
  }

  synchronized int openStreams() {
    return streams.size();
  }

  static X509SVIDResponse svid(String spiffeId, List<X509Certificate> chain, PrivateKey key, X509Certificate root)
      throws CertificateEncodingException {
    return X509SVIDResponse.newBuilder()
        .addSvids(X509SVID.newBuilder()
            .setSpiffeId(spiffeId)
            .setX509Svid(der(chain))
            .setX509SvidKey(ByteString.copyFrom(key.getEncoded()))
            .setBundle(der(List.of(root))))
        .build();
  }

  private static ByteString der(List<X509Certificate> certificates) throws CertificateEncodingException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (X509Certificate certificate : certificates) {
      out.writeBytes(certificate.getEncoded());
    }
    return ByteString.copyFrom(out.toByteArray());
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    if (loop != null) {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
  }

  private final class Agent extends SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIImplBase {
    @Override
    public void fetchX509SVID(X509SVIDRequest request, StreamObserver<X509SVIDResponse> stream) {
      synchronized (TestWorkloadApi.this) {
        streams.add(stream);
        if (current != null) {
          stream.onNext(current);
        }
      }
    }
  }

  private static final class SecurityHeaderCheck implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      if (!"true".equals(headers.get(SECURITY_HEADER))) {
        call.close(Status.INVALID_ARGUMENT.withDescription("security header missing from request"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  }
}
