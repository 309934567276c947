package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.config.CircuitBreakers;
import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import dev.outrigger.proxy.config.RetryPolicy;
import dev.outrigger.proxy.config.RetryPolicy.RetryOn;
import dev.outrigger.proxy.metrics.ProxyMetrics;
import dev.outrigger.proxy.runtime.Transport;
import dev.outrigger.proxy.stream.ResponseFlag;
import dev.outrigger.proxy.stream.StreamInfo;
import dev.outrigger.proxy.upstream.Breaker;
import dev.outrigger.proxy.upstream.CircuitBreakerState;
import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import dev.outrigger.proxy.upstream.UpstreamConnectionEvents;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Retries against upstreams that fail on command, over real sockets. */
class ResilienceRetryTest {
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ProxyMetrics metrics = new ProxyMetrics();
  private final List<CommandedUpstream> upstreams = new ArrayList<>();
  private TestProxy proxy;

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    upstreams.forEach(CommandedUpstream::close);
    metrics.close();
  }

  private CommandedUpstream upstream(CommandedUpstream upstream) {
    upstreams.add(upstream);
    return upstream;
  }

  private static ClusterConfig.EndpointConfig at(int port) {
    return new ClusterConfig.EndpointConfig("127.0.0.1", port, 1);
  }

  private TestProxy.Builder proxyTo(RetryPolicy policy, UpstreamProtocol protocol, List<ClusterConfig.EndpointConfig> endpoints) {
    return TestProxy.builder()
        .route("/", ResilienceRoutes.to("svc").retry(policy).build())
        .cluster("svc", endpoints, protocol)
        .events(metrics::upstream);
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(proxy.url(path))).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), BodyHandlers.ofString());
  }

  private String scrape() {
    return metrics.scrape(null).body();
  }

  private void awaitBreakersReleased() {
    CircuitBreakerState state = proxy.cluster("svc").breakers();
    await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
      assertThat(state.inUse(Breaker.MAX_REQUESTS)).isZero();
      assertThat(state.inUse(Breaker.MAX_PENDING_REQUESTS)).isZero();
      assertThat(state.inUse(Breaker.MAX_RETRIES)).isZero();
    });
  }

  static Stream<Arguments> retriedFailures() {
    return Stream.of(
        Arguments.of(RetryOn.FIVE_XX, CommandedUpstream.respond(500), false),
        Arguments.of(RetryOn.FIVE_XX, CommandedUpstream.reset(), false),
        Arguments.of(RetryOn.GATEWAY_ERROR, CommandedUpstream.respond(502), false),
        Arguments.of(RetryOn.GATEWAY_ERROR, CommandedUpstream.respond(504), false),
        Arguments.of(RetryOn.RESET, CommandedUpstream.reset(), false),
        Arguments.of(RetryOn.RESET, CommandedUpstream.reset(), true),
        Arguments.of(RetryOn.RETRIABLE_4XX, CommandedUpstream.respond(409), false),
        Arguments.of(RetryOn.REFUSED_STREAM, CommandedUpstream.refuse(), true),
        Arguments.of(RetryOn.CANCELLED, CommandedUpstream.grpcStatus(1), true),
        Arguments.of(RetryOn.DEADLINE_EXCEEDED, CommandedUpstream.grpcStatus(4), true),
        Arguments.of(RetryOn.RESOURCE_EXHAUSTED, CommandedUpstream.grpcStatus(8), true),
        Arguments.of(RetryOn.INTERNAL, CommandedUpstream.grpcStatus(13), true),
        Arguments.of(RetryOn.UNAVAILABLE, CommandedUpstream.grpcStatus(14), true));
  }

  @ParameterizedTest(name = "{0} retries {1}, http2 {2}")
  @MethodSource("retriedFailures")
  void eachConditionRetriesItsFailureThenSucceeds(RetryOn condition, CommandedUpstream.Behavior failure, boolean http2)
      throws Exception {
    CommandedUpstream upstream = upstream(http2 ? CommandedUpstream.h2c() : CommandedUpstream.http1());
    upstream.then(failure).always(CommandedUpstream.respond(200, "ok"));
    proxy = proxyTo(ResilienceRoutes.retryOn(1, condition), http2 ? UpstreamProtocol.HTTP2 : UpstreamProtocol.HTTP1,
        List.of(at(upstream.port()))).start();

    HttpResponse<String> response = get("/a", "content-type", "application/grpc");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok");
    assertThat(upstream.requests()).isEqualTo(2);
    StreamInfo info = proxy.takeInfo();
    assertThat(info.upstreamAttempts()).isEqualTo(2);
    assertThat(info.responseFlags()).isEmpty();
    assertThat(scrape()).contains("outrigger_upstream_retries_total{cluster=\"svc\",result=\"retried\"} 1.0");
    awaitBreakersReleased();
  }

  @Test
  void aConditionDoesNotRetryWhatItDoesNotName() throws Exception {
    CommandedUpstream upstream = upstream(CommandedUpstream.http1());
    upstream.then(CommandedUpstream.respond(500)).always(CommandedUpstream.respond(200, "ok"));
    proxy = proxyTo(ResilienceRoutes.retryOn(1, RetryOn.GATEWAY_ERROR), UpstreamProtocol.HTTP1, List.of(at(upstream.port())))
        .start();

    assertThat(get("/a").statusCode()).isEqualTo(500);
    assertThat(upstream.requests()).isEqualTo(1);
  }

  @Test
  void retriableStatusCodesRetryTheListedCodes() throws Exception {
    CommandedUpstream upstream = upstream(CommandedUpstream.http1());
    upstream.then(CommandedUpstream.respond(418)).always(CommandedUpstream.respond(200, "ok"));
    RetryPolicy policy = new RetryPolicy(Set.of(RetryOn.RETRIABLE_STATUS_CODES), 1, Optional.empty(),
        Duration.ofMillis(1), Duration.ofMillis(10), Set.of(418), false, 1);
    proxy = proxyTo(policy, UpstreamProtocol.HTTP1, List.of(at(upstream.port()))).start();

    assertThat(get("/a").statusCode()).isEqualTo(200);
    assertThat(upstream.requests()).isEqualTo(2);
  }

  @Test
  void connectFailureRetriesOnAnotherEndpoint() throws Exception {
    CommandedUpstream live = upstream(CommandedUpstream.http1());
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    RetryPolicy policy = new RetryPolicy(Set.of(RetryOn.CONNECT_FAILURE), 1, Optional.empty(), Duration.ofMillis(1),
        Duration.ofMillis(10), Set.of(), true, 1);
    proxy = proxyTo(policy, UpstreamProtocol.HTTP1, List.of(at(closedPort), at(live.port()))).start();

    // Round robin alternates, so at least one of the two requests goes to the closed port first.
    assertThat(get("/a").statusCode()).isEqualTo(200);
    assertThat(get("/b").statusCode()).isEqualTo(200);
    assertThat(proxy.takeInfo().upstreamAttempts() + proxy.takeInfo().upstreamAttempts()).isBetween(3, 4);
    assertThat(live.requests()).isEqualTo(2);
  }

  @Test
  void usedUpRetriesEndWithTheLastAnswerFlaggedURX() throws Exception {
    CommandedUpstream upstream = upstream(CommandedUpstream.http1().always(CommandedUpstream.respond(503)));
    proxy = proxyTo(ResilienceRoutes.retryOn(2, RetryOn.FIVE_XX), UpstreamProtocol.HTTP1, List.of(at(upstream.port())))
        .start();

    HttpResponse<String> response = get("/a");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("status 503");
    assertThat(upstream.requests()).isEqualTo(3);
    StreamInfo info = proxy.takeInfo();
    assertThat(info.responseFlags()).containsExactly(ResponseFlag.URX);
    assertThat(info.upstreamAttempts()).isEqualTo(3);
    assertThat(scrape()).contains("outrigger_upstream_retries_total{cluster=\"svc\",result=\"exhausted\"} 1.0");
    awaitBreakersReleased();
  }

  @Test
  void aHangingHostTimesOutPerTryAndTheRetrySucceedsOnAnother() throws Exception {
    CommandedUpstream hanging = upstream(CommandedUpstream.http1().always(CommandedUpstream.hang()));
    CommandedUpstream healthy = upstream(CommandedUpstream.http1().always(CommandedUpstream.respond(200, "ok")));
    RetryPolicy policy = new RetryPolicy(Set.of(RetryOn.RESET), 1, Optional.of(Duration.ofMillis(200)),
        Duration.ofMillis(1), Duration.ofMillis(10), Set.of(), true, 1);
    proxy = proxyTo(policy, UpstreamProtocol.HTTP1, List.of(at(hanging.port()), at(healthy.port()))).start();

    assertThat(get("/a").statusCode()).isEqualTo(200);
    assertThat(get("/b").statusCode()).isEqualTo(200);

    assertThat(hanging.requests()).isGreaterThanOrEqualTo(1);
    assertThat(healthy.requests()).isEqualTo(2);
    awaitBreakersReleased();
  }

  @Test
  void previousHostsPicksAgainToAvoidAHostAlreadyTried() throws Exception {
    CommandedUpstream failing = upstream(CommandedUpstream.http1().always(CommandedUpstream.respond(503)));
    CommandedUpstream healthy = upstream(CommandedUpstream.http1().always(CommandedUpstream.respond(200, "ok")));
    Endpoint bad = new Endpoint(new InetSocketAddress("127.0.0.1", failing.port()), 1);
    Endpoint good = new Endpoint(new InetSocketAddress("127.0.0.1", healthy.port()), 1);
    RetryPolicy policy = new RetryPolicy(Set.of(RetryOn.FIVE_XX), 1, Optional.empty(), Duration.ofMillis(1),
        Duration.ofMillis(10), Set.of(), true, 1);
    // First pick: the failing host; the retry's pick lands on it again, the re-pick on the healthy one.
    proxy = TestProxy.builder()
        .route("/", ResilienceRoutes.to("svc").retry(policy).build())
        .cluster("svc", new ScriptedCluster(List.of(bad, bad, good).iterator()))
        .start();

    HttpResponse<String> response = get("/a");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(failing.requests()).isEqualTo(1);
    assertThat(healthy.requests()).isEqualTo(1);
  }

  @Test
  void aBodyWithinTheBufferIsSentWholeToTheRetry() throws Exception {
    CommandedUpstream upstream = upstream(CommandedUpstream.http1());
    upstream.then(CommandedUpstream.respond(503)).always(CommandedUpstream.respond(200, "ok"));
    proxy = TestProxy.builder()
        .route("/", ResilienceRoutes.to("svc").retry(ResilienceRoutes.retryOn(1, RetryOn.FIVE_XX)).bufferLimit(64).build())
        .cluster("svc", List.of(at(upstream.port())), UpstreamProtocol.HTTP1)
        .events(metrics::upstream)
        .start();
    String body = "x".repeat(64);

    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(proxy.url("/a")))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(upstream.received).extracting(CommandedUpstream.Received::body).containsExactly(body, body);
  }

  @Test
  void aBodyLargerThanTheBufferIsNotRetriedAndThatIsCounted() throws Exception {
    CommandedUpstream upstream = upstream(CommandedUpstream.http1());
    upstream.then(CommandedUpstream.respond(503)).always(CommandedUpstream.respond(200, "ok"));
    proxy = TestProxy.builder()
        .route("/", ResilienceRoutes.to("svc").retry(ResilienceRoutes.retryOn(1, RetryOn.FIVE_XX)).bufferLimit(64).build())
        .cluster("svc", List.of(at(upstream.port())), UpstreamProtocol.HTTP1)
        .events(metrics::upstream)
        .start();
    String body = "x".repeat(65);

    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(proxy.url("/a")))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(upstream.received).extracting(CommandedUpstream.Received::body).containsExactly(body);
    assertThat(scrape()).contains(
        "outrigger_upstream_retries_skipped_total{cluster=\"svc\",reason=\"body_too_large\"} 1.0");
    awaitBreakersReleased();
  }

  @Test
  void trustedRetryHeadersMakeAPolicyAndAreNotForwarded() throws Exception {
    CommandedUpstream upstream = upstream(CommandedUpstream.http1().always(CommandedUpstream.respond(503)));
    proxy = TestProxy.builder()
        .forward("/", "svc")
        .cluster("svc", List.of(at(upstream.port())), UpstreamProtocol.HTTP1)
        .start();

    HttpResponse<String> response = get("/a", "x-envoy-retry-on", "5xx,unknown-thing", "x-envoy-max-retries", "2");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(upstream.requests()).isEqualTo(3);
    assertThat(upstream.received.get(0).headers().contains("x-envoy-retry-on")).isFalse();
    assertThat(upstream.received.get(0).headers().contains("x-envoy-max-retries")).isFalse();
  }

  @Test
  void theVirtualHostPolicyAppliesAndAttemptsAreCountedBothWays() throws Exception {
    CommandedUpstream upstream = upstream(CommandedUpstream.http1());
    upstream.then(CommandedUpstream.respond(503)).always(CommandedUpstream.respond(200, "ok"));
    proxy = TestProxy.builder()
        .forward("/", "svc")
        .cluster("svc", List.of(at(upstream.port())), UpstreamProtocol.HTTP1)
        .virtualHostRetry(Optional.of(ResilienceRoutes.retryOn(1, RetryOn.FIVE_XX)), true, true)
        .start();

    HttpResponse<String> response = get("/a");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-envoy-attempt-count")).hasValue("2");
    assertThat(upstream.received).extracting(r -> r.headers().get("x-envoy-attempt-count")).containsExactly("1", "2");
  }

  /**
   * The amplification bound: every endpoint fails, and a wave of requests all in flight at once
   * meets a retry budget of 20%. Only a fifth of the wave may retry at once, and as the wave drains
   * so does the budget, so the attempts the upstream counts stay within the budget's share of the
   * offered load (b / (1 − b) for retry chains, plus the minimum concurrency per retry round),
   * far below the 4× that three retries each would make.
   */
  @Test
  void retriesNeverAmplifyAnOutageBeyondTheBudget() throws Exception {
    int offered = 50;
    int numRetries = 3;
    double budgetPercent = 20;
    int minRetryConcurrency = 1;
    CommandedUpstream upstream = upstream(CommandedUpstream.http1()
        .always(CommandedUpstream.barrier(offered, CommandedUpstream.after(Duration.ofMillis(20), CommandedUpstream.respond(503)))));
    proxy = TestProxy.builder()
        .route("/", ResilienceRoutes.to("svc").retry(ResilienceRoutes.retryOn(numRetries, RetryOn.FIVE_XX)).build())
        .cluster("svc", List.of(at(upstream.port())), UpstreamProtocol.HTTP1,
            new CircuitBreakers(1024, 1024, 1024, 1024,
                Optional.of(new CircuitBreakers.RetryBudget(budgetPercent, minRetryConcurrency))))
        .events(metrics::upstream)
        .start();

    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < offered; i++) {
      responses.add(client.sendAsync(HttpRequest.newBuilder(URI.create(proxy.url("/" + i)))
          .timeout(Duration.ofSeconds(20)).build(), BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> response : responses) {
      assertThat(response.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
    }

    double budget = budgetPercent / 100;
    int retries = upstream.requests() - offered;
    assertThat(retries).isPositive();
    assertThat((double) retries).isLessThanOrEqualTo(offered * budget / (1 - budget) + minRetryConcurrency * numRetries);
    awaitBreakersReleased();
  }

  /** A cluster whose picks follow a script; it connects like a configured cluster. */
  private static final class ScriptedCluster implements UpstreamCluster {
    private final Iterator<Endpoint> picks;
    private final ClusterConfig config = new ClusterConfig("svc", ClusterConfig.DiscoveryType.STATIC, Duration.ofSeconds(2),
        ClusterConfig.LbPolicy.ROUND_ROBIN, List.of(), UpstreamProtocol.HTTP1, Optional.empty(),
        ClusterConfig.DEFAULT_DNS_REFRESH_RATE);
    private final CircuitBreakerState breakers = new CircuitBreakerState(CircuitBreakers.DEFAULTS, UpstreamConnectionEvents.NONE);

    ScriptedCluster(Iterator<Endpoint> picks) {
      this.picks = picks;
    }

    @Override
    public ClusterConfig config() {
      return config;
    }

    @Override
    public CircuitBreakerState breakers() {
      return breakers;
    }

    @Override
    public Endpoint pick(long hash) {
      return picks.next();
    }

    @Override
    public ChannelFuture connect(EventLoop loop, Endpoint endpoint, ChannelHandler handler) {
      return new Bootstrap().group(loop).channel(Transport.best().channelClass())
          .option(ChannelOption.AUTO_READ, false).handler(handler).connect(endpoint.address());
    }
  }
}
