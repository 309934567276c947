package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.config.CircuitBreakers;
import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import dev.outrigger.proxy.config.RetryPolicy.RetryOn;
import dev.outrigger.proxy.metrics.ProxyMetrics;
import dev.outrigger.proxy.stream.ResponseFlag;
import dev.outrigger.proxy.stream.StreamInfo;
import dev.outrigger.proxy.upstream.Breaker;
import dev.outrigger.proxy.upstream.CircuitBreakerState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each circuit breaker overflows with 503 UO and a metric; pending requests are bounded and time out. */
class ResilienceCircuitBreakerTest {
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ProxyMetrics metrics = new ProxyMetrics();
  private CommandedUpstream upstream;
  private TestProxy proxy;

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    metrics.close();
  }

  private void start(CommandedUpstream upstream, UpstreamProtocol protocol, CircuitBreakers breakers,
      ResilienceRoutes route) throws InterruptedException {
    this.upstream = upstream;
    proxy = TestProxy.builder()
        .route("/", route.build())
        .cluster("svc", List.of(new ClusterConfig.EndpointConfig("127.0.0.1", upstream.port(), 1)), protocol, breakers)
        .events(metrics::upstream)
        .start();
  }

  private CompletableFuture<HttpResponse<String>> get(String path) {
    return client.sendAsync(HttpRequest.newBuilder(URI.create(proxy.url(path))).timeout(Duration.ofSeconds(10)).build(),
        BodyHandlers.ofString());
  }

  private static CircuitBreakers limits(int connections, int pending, int requests, int retries) {
    return new CircuitBreakers(connections, pending, requests, retries, Optional.empty());
  }

  private String overflows(Breaker breaker) {
    return "outrigger_upstream_overflow_total{breaker=\"" + breaker.label() + "\",cluster=\"svc\"}";
  }

  /** Requests, pending requests and retries all given back; connections may stay pooled. */
  private void awaitEverythingReleased() {
    CircuitBreakerState state = proxy.cluster("svc").breakers();
    await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
      assertThat(state.inUse(Breaker.MAX_REQUESTS)).as("requests").isZero();
      assertThat(state.inUse(Breaker.MAX_PENDING_REQUESTS)).as("pending").isZero();
      assertThat(state.inUse(Breaker.MAX_RETRIES)).as("retries").isZero();
    });
  }

  private List<StreamInfo> infos(int count) throws InterruptedException {
    List<StreamInfo> infos = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      infos.add(proxy.takeInfo());
    }
    return infos;
  }

  @Test
  void maxRequestsOverflowAnswers503UOAtOnce() throws Exception {
    start(CommandedUpstream.http1().always(CommandedUpstream.hang()), UpstreamProtocol.HTTP1,
        limits(1024, 1024, 1, 1024), ResilienceRoutes.to("svc").timeout(Duration.ofMillis(500)));

    CompletableFuture<HttpResponse<String>> first = get("/a");
    await().atMost(10, TimeUnit.SECONDS).until(() -> upstream.requests() == 1);
    HttpResponse<String> second = get("/b").get(10, TimeUnit.SECONDS);

    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(second.body()).contains("overflow");
    assertThat(proxy.takeInfo().responseFlags()).containsExactly(ResponseFlag.UO);
    assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(504);
    assertThat(upstream.requests()).isEqualTo(1);
    assertThat(metrics.scrape(null).body()).contains(overflows(Breaker.MAX_REQUESTS) + " 1.0");
    awaitEverythingReleased();
  }

  @Test
  void http1RequestsWaitForABusyConnectionWithinThePendingBoundAndTheRouteTimeout() throws Exception {
    start(CommandedUpstream.http1().always(CommandedUpstream.hang()), UpstreamProtocol.HTTP1,
        limits(1, 1, 1024, 1024), ResilienceRoutes.to("svc").timeout(Duration.ofMillis(500)));
    CircuitBreakerState state = proxy.cluster("svc").breakers();

    CompletableFuture<HttpResponse<String>> holding = get("/a");
    await().atMost(10, TimeUnit.SECONDS).until(() -> upstream.requests() == 1);
    CompletableFuture<HttpResponse<String>> waiting = get("/b");
    await().atMost(10, TimeUnit.SECONDS).until(() -> state.inUse(Breaker.MAX_PENDING_REQUESTS) == 1);
    HttpResponse<String> refused = get("/c").get(10, TimeUnit.SECONDS);

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(holding.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(504);
    assertThat(waiting.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(504);
    assertThat(infos(3)).extracting(StreamInfo::responseFlags)
        .containsExactlyInAnyOrder(java.util.Set.of(ResponseFlag.UO), java.util.Set.of(ResponseFlag.UT),
            java.util.Set.of(ResponseFlag.UT));
    String scrape = metrics.scrape(null).body();
    assertThat(scrape).contains(overflows(Breaker.MAX_PENDING_REQUESTS) + " 1.0");
    // The second and third request each found the one connection allowed taken.
    assertThat(scrape).contains(overflows(Breaker.MAX_CONNECTIONS) + " 2.0");
    awaitEverythingReleased();
    assertThat(state.inUse(Breaker.MAX_CONNECTIONS)).isLessThanOrEqualTo(1);
  }

  @Test
  void http2RequestsWaitForStreamCapacityWithinThePendingBound() throws Exception {
    start(CommandedUpstream.h2c(1).always(CommandedUpstream.hang()), UpstreamProtocol.HTTP2,
        limits(1, 1, 1024, 1024), ResilienceRoutes.to("svc").timeout(Duration.ofMillis(500)));
    CircuitBreakerState state = proxy.cluster("svc").breakers();

    CompletableFuture<HttpResponse<String>> holding = get("/a");
    await().atMost(10, TimeUnit.SECONDS).until(() -> upstream.requests() == 1);
    CompletableFuture<HttpResponse<String>> waiting = get("/b");
    await().atMost(10, TimeUnit.SECONDS).until(() -> state.inUse(Breaker.MAX_PENDING_REQUESTS) == 1);
    HttpResponse<String> refused = get("/c").get(10, TimeUnit.SECONDS);

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(holding.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(504);
    assertThat(waiting.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(504);
    assertThat(metrics.scrape(null).body()).contains(overflows(Breaker.MAX_PENDING_REQUESTS) + " 1.0");
    awaitEverythingReleased();
  }

  @Test
  void aRetryTheBreakerRefusesEndsWithTheLastUpstreamAnswerFlaggedUO() throws Exception {
    start(CommandedUpstream.http1().always(CommandedUpstream.respond(503)), UpstreamProtocol.HTTP1,
        limits(1024, 1024, 1024, 0), ResilienceRoutes.to("svc").retry(ResilienceRoutes.retryOn(3, RetryOn.FIVE_XX)));

    HttpResponse<String> response = get("/a").get(10, TimeUnit.SECONDS);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("status 503");
    assertThat(proxy.takeInfo().responseFlags()).containsExactly(ResponseFlag.UO);
    assertThat(upstream.requests()).isEqualTo(1);
    String scrape = metrics.scrape(null).body();
    assertThat(scrape).contains(overflows(Breaker.MAX_RETRIES) + " 1.0");
    assertThat(scrape).contains("outrigger_upstream_retries_total{cluster=\"svc\",result=\"overflow\"} 1.0");
    awaitEverythingReleased();
  }
}
