package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import dev.outrigger.proxy.stream.ResponseFlag;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** gRPC through the proxy: a grpc-java server and client, all four call kinds, statuses and deadlines. */
class GrpcProxyTest {
  private static final MethodDescriptor.Marshaller<String> UTF8 =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
          return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private static final MethodDescriptor<String, String> UNARY = method("Unary", MethodDescriptor.MethodType.UNARY);
  private static final MethodDescriptor<String, String> COLLECT = method("Collect", MethodDescriptor.MethodType.CLIENT_STREAMING);
  private static final MethodDescriptor<String, String> SPLIT = method("Split", MethodDescriptor.MethodType.SERVER_STREAMING);
  private static final MethodDescriptor<String, String> CHAT = method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING);
  private static final MethodDescriptor<String, String> FAIL = method("Fail", MethodDescriptor.MethodType.UNARY);
  private static final MethodDescriptor<String, String> HANG = method("Hang", MethodDescriptor.MethodType.UNARY);

  private Server server;
  private TestProxy proxy;
  private ManagedChannel channel;

  private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<String, String>newBuilder()
        .setFullMethodName("test.Echo/" + name)
        .setType(type)
        .setRequestMarshaller(UTF8)
        .setResponseMarshaller(UTF8)
        .build();
  }

  @BeforeEach
  void start() throws Exception {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder("test.Echo")
            .addMethod(UNARY, ServerCalls.asyncUnaryCall((request, out) -> {
              out.onNext("echo:" + request);
              out.onCompleted();
            }))
            .addMethod(COLLECT, ServerCalls.asyncClientStreamingCall(out -> new StreamObserver<String>() {
              private final StringBuilder all = new StringBuilder();

              @Override
              public void onNext(String value) {
                all.append(value);
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {
                out.onNext(all.toString());
                out.onCompleted();
              }
            }))
            .addMethod(SPLIT, ServerCalls.asyncServerStreamingCall((request, out) -> {
              for (char c : request.toCharArray()) {
                out.onNext(String.valueOf(c));
              }
              out.onCompleted();
            }))
            .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(out -> new StreamObserver<String>() {
              @Override
              public void onNext(String value) {
                out.onNext(value.toUpperCase());
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {
                out.onCompleted();
              }
            }))
            .addMethod(FAIL, ServerCalls.asyncUnaryCall((request, out) ->
                out.onError(Status.NOT_FOUND.withDescription("no such thing: " + request).asRuntimeException())))
            .addMethod(HANG, ServerCalls.asyncUnaryCall((request, out) -> {}))
            .build();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build().start();
    proxy =
        TestProxy.builder()
            // grpc_timeout_header_max: 0 makes the route obey grpc-timeout without a cap.
            .route("/test.Echo/", ResilienceRoutes.to("grpc").grpcTimeoutHeaderMax(Duration.ZERO).build())
            .cluster("grpc", server.getPort(), UpstreamProtocol.HTTP2)
            .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    proxy.close();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static CallOptions options() {
    return CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @Test
  void unary() throws Exception {
    assertThat(ClientCalls.blockingUnaryCall(channel, UNARY, options(), "hi")).isEqualTo("echo:hi");
    assertThat(proxy.takeInfo().protocol()).isEqualTo("HTTP/2");
  }

  @Test
  void clientStreaming() throws Exception {
    Collected collected = new Collected();
    StreamObserver<String> requests = ClientCalls.asyncClientStreamingCall(channel.newCall(COLLECT, options()), collected);
    requests.onNext("a");
    requests.onNext("b");
    requests.onNext("c");
    requests.onCompleted();
    assertThat(collected.done.get(10, TimeUnit.SECONDS)).containsExactly("abc");
  }

  @Test
  void serverStreaming() {
    Iterator<String> parts = ClientCalls.blockingServerStreamingCall(channel, SPLIT, options(), "xyz");
    List<String> all = new ArrayList<>();
    parts.forEachRemaining(all::add);
    assertThat(all).containsExactly("x", "y", "z");
  }

  @Test
  void bidiStreaming() throws Exception {
    Collected collected = new Collected();
    StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(channel.newCall(CHAT, options()), collected);
    requests.onNext("one");
    requests.onNext("two");
    requests.onCompleted();
    assertThat(collected.done.get(10, TimeUnit.SECONDS)).containsExactly("ONE", "TWO");
  }

  @Test
  void errorStatusAndMessageTravelInTrailers() {
    StatusRuntimeException error =
        catchThrowableOfType(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(channel, FAIL, options(), "it"));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(error.getStatus().getDescription()).isEqualTo("no such thing: it");
  }

  @Test
  void noRouteIsUnimplemented() {
    MethodDescriptor<String, String> elsewhere = UNARY.toBuilder().setFullMethodName("other.Service/Call").build();
    StatusRuntimeException error =
        catchThrowableOfType(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(channel, elsewhere, options(), "x"));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
  }

  @Test
  void upstreamDownIsUnavailable() throws Exception {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    StatusRuntimeException error =
        catchThrowableOfType(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(channel, UNARY, options(), "x"));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void grpcTimeoutHeaderBoundsTheExchange() throws Exception {
    try (H2cClient h2 = new H2cClient(proxy.port())) {
      H2cClient.Response response =
          h2.send(
                  "POST",
                  "/test.Echo/Hang",
                  new DefaultHttpHeaders().set("content-type", "application/grpc").set("te", "trailers").set("grpc-timeout", "100m"),
                  "\0\0\0\0\0")
              .get(10, TimeUnit.SECONDS);

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.headers().get("grpc-status")).isEqualTo("4");
      assertThat(response.headers().get("server")).isEqualTo("outrigger");
    }
    assertThat(proxy.takeInfo().responseFlags()).containsExactly(ResponseFlag.UT);
  }

  private static final class Collected implements StreamObserver<String> {
    final List<String> received = new ArrayList<>();
    final CompletableFuture<List<String>> done = new CompletableFuture<>();

    @Override
    public void onNext(String value) {
      received.add(value);
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      done.complete(received);
    }
  }
}
