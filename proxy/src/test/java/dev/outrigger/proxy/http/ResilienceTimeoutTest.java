package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import dev.outrigger.proxy.config.RetryPolicy;
import dev.outrigger.proxy.config.RetryPolicy.RetryOn;
import dev.outrigger.proxy.stream.ResponseFlag;
import dev.outrigger.proxy.upstream.Breaker;
import dev.outrigger.proxy.upstream.CircuitBreakerState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-try timeouts, stream durations and grpc-timeout, and what a timed-out request gives back. */
class ResilienceTimeoutTest {
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
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
  }

  private void start(CommandedUpstream upstream, UpstreamProtocol protocol, ResilienceRoutes route)
      throws InterruptedException {
    this.upstream = upstream;
    proxy = TestProxy.builder()
        .route("/", route.build())
        .cluster("svc", List.of(new ClusterConfig.EndpointConfig("127.0.0.1", upstream.port(), 1)), protocol)
        .start();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
  }

  private HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(URI.create(proxy.url(path)));
  }

  private void awaitBreakersReleased() {
    CircuitBreakerState state = proxy.cluster("svc").breakers();
    await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
      assertThat(state.inUse(Breaker.MAX_REQUESTS)).isZero();
      assertThat(state.inUse(Breaker.MAX_PENDING_REQUESTS)).isZero();
      assertThat(state.inUse(Breaker.MAX_RETRIES)).isZero();
    });
  }

  @Test
  void aPerTryTimeoutThatIsNotRetriedAnswers504UT() throws Exception {
    RetryPolicy timeoutOnly = new RetryPolicy(Set.of(RetryOn.RETRIABLE_4XX), 1, Optional.of(Duration.ofMillis(200)),
        Duration.ofMillis(1), Duration.ofMillis(10), Set.of(), false, 1);
    start(CommandedUpstream.http1().always(CommandedUpstream.hang()), UpstreamProtocol.HTTP1,
        ResilienceRoutes.to("svc").timeout(Duration.ZERO).retry(timeoutOnly));

    HttpResponse<String> response = send(get("/a"));

    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(proxy.takeInfo().responseFlags()).containsExactly(ResponseFlag.UT);
    assertThat(upstream.requests()).isEqualTo(1);
    awaitBreakersReleased();
  }

  @Test
  void maxStreamDurationEndsTheStreamWith408DT() throws Exception {
    start(CommandedUpstream.h2c().always(CommandedUpstream.hang()), UpstreamProtocol.HTTP2,
        ResilienceRoutes.to("svc").timeout(Duration.ZERO).maxStreamDuration(Duration.ofMillis(300)));

    HttpResponse<String> response = send(get("/a"));

    assertThat(response.statusCode()).isEqualTo(408);
    assertThat(response.body()).isEqualTo("downstream duration timeout");
    assertThat(proxy.takeInfo().responseFlags()).containsExactly(ResponseFlag.DT);
    awaitBreakersReleased();
  }

  @Test
  void grpcTimeoutIsCappedByGrpcTimeoutHeaderMax() throws Exception {
    start(CommandedUpstream.h2c().always(CommandedUpstream.hang()), UpstreamProtocol.HTTP2,
        ResilienceRoutes.to("svc").grpcTimeoutHeaderMax(Duration.ofMillis(300)));

    HttpResponse<String> response = send(get("/a").header("content-type", "application/grpc").header("grpc-timeout", "1H"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("grpc-status")).hasValue("4");
    assertThat(proxy.takeInfo().responseFlags()).containsExactly(ResponseFlag.UT);
  }

  @Test
  void aRequestTimingOutDuringTheBackoffGivesBackItsBodyAndItsRetry() throws Exception {
    // The backoff is drawn from [0, 10 s): the 300 ms route timeout nearly always ends it first; when
    // it does not, the retry's attempt is what the timeout ends. Either way everything comes back.
    RetryPolicy slowBackoff = new RetryPolicy(Set.of(RetryOn.FIVE_XX), 1, Optional.empty(), Duration.ofSeconds(10),
        Duration.ofSeconds(10), Set.of(), false, 1);
    start(CommandedUpstream.http1().then(CommandedUpstream.respond(503)).always(CommandedUpstream.hang()),
        UpstreamProtocol.HTTP1, ResilienceRoutes.to("svc").timeout(Duration.ofMillis(300)).retry(slowBackoff));

    HttpResponse<String> response = send(get("/a").POST(HttpRequest.BodyPublishers.ofString("kept for the retry")));

    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(proxy.takeInfo().responseFlags()).contains(ResponseFlag.UT);
    awaitBreakersReleased();
  }

  @Test
  void aRequestTimingOutWhilePendingLeavesTheQueue() throws Exception {
    this.upstream = CommandedUpstream.http1().always(CommandedUpstream.hang());
    proxy = TestProxy.builder()
        .route("/hold", ResilienceRoutes.to("svc").timeout(Duration.ofSeconds(3)).build())
        .route("/wait", ResilienceRoutes.to("svc").timeout(Duration.ofMillis(300)).build())
        .cluster("svc", List.of(new ClusterConfig.EndpointConfig("127.0.0.1", upstream.port(), 1)), UpstreamProtocol.HTTP1,
            new dev.outrigger.proxy.config.CircuitBreakers(1, 10, 1024, 1024, Optional.empty()))
        .start();
    CircuitBreakerState state = proxy.cluster("svc").breakers();

    var holding = client.sendAsync(get("/hold").build(), BodyHandlers.ofString());
    await().atMost(10, TimeUnit.SECONDS).until(() -> upstream.requests() == 1);
    HttpResponse<String> pending = send(get("/wait").POST(HttpRequest.BodyPublishers.ofString("waiting")));

    // The waiting request timed out while the one connection allowed was still taken.
    assertThat(pending.statusCode()).isEqualTo(504);
    assertThat(holding).isNotDone();
    assertThat(state.inUse(Breaker.MAX_PENDING_REQUESTS)).isZero();
    assertThat(state.inUse(Breaker.MAX_REQUESTS)).isEqualTo(1);
    assertThat(upstream.requests()).isEqualTo(1);
    assertThat(holding.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(504);
    awaitBreakersReleased();
  }
}
