package dev.outrigger.proxy.http.filter;

import static dev.outrigger.proxy.http.filter.FilterBootstrap.ALL_TO_APP;
import static dev.outrigger.proxy.http.filter.FilterBootstrap.RATELIMIT;
import static dev.outrigger.proxy.http.filter.FilterBootstrap.filter;
import static dev.outrigger.proxy.http.filter.FilterBootstrap.override;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.outrigger.proxy.http.filter.RawConnection.Response;
import dev.outrigger.proxy.stream.ResponseFlag;
import dev.outrigger.proxy.stream.StreamInfo;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code envoy.filters.http.local_ratelimit} through a real listener, connection manager and
 * upstream; the buckets refill from the proxy's mock ticker.
 */
class LocalRateLimitTest {
  private static final String ALWAYS =
      "filter_enabled: {default_value: {numerator: 100}}, filter_enforced: {default_value: {numerator: 100}}";

  private CountingUpstream upstream;
  private FilterTestProxy proxy;

  @BeforeEach
  void startUpstream() throws Exception {
    upstream = new CountingUpstream();
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    upstream.close();
  }

  private void start(String fields) throws Exception {
    start(List.of(filter("ratelimit", RATELIMIT, fields)), List.of(ALL_TO_APP));
  }

  private void start(List<String> filters, List<String> virtualHosts) throws Exception {
    proxy = new FilterTestProxy(FilterBootstrap.yaml(upstream.port(), filters, virtualHosts));
  }

  private static String bucket(int maxTokens, int tokensPerFill, String fillInterval) {
    return "token_bucket: {max_tokens: " + maxTokens + ", tokens_per_fill: " + tokensPerFill
        + ", fill_interval: " + fillInterval + "}";
  }

  @Test
  void refusesWith429OnceTheBucketIsEmptyAndServesAgainAfterAFill() throws Exception {
    start("stat_prefix: rl, " + bucket(2, 1, "1s") + ", " + ALWAYS);
    try (RawConnection connection = new RawConnection(proxy.port())) {
      assertThat(connection.get("/a").status()).isEqualTo(200);
      assertThat(connection.get("/a").status()).isEqualTo(200);
      proxy.takeInfo();
      proxy.takeInfo();

      Response refused = connection.get("/a");
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.body()).isEqualTo("local_rate_limited");
      StreamInfo info = proxy.takeInfo();
      assertThat(info.responseFlags()).containsExactly(ResponseFlag.RL);
      assertThat(info.routeName()).isEqualTo("app");
      assertThat(upstream.requests).hasValue(2);
      assertThat(proxy.count("outrigger.http.ratelimited", "stat_prefix", "rl", "enforced", "true")).isEqualTo(1);

      proxy.ticker.advance(999, TimeUnit.MILLISECONDS);
      assertThat(connection.get("/a").status()).as("not a whole interval yet").isEqualTo(429);
      proxy.ticker.advance(1, TimeUnit.MILLISECONDS);
      assertThat(connection.get("/a").status()).isEqualTo(200);
      assertThat(connection.get("/a").status()).as("one token per fill").isEqualTo(429);

      proxy.ticker.advance(1, TimeUnit.HOURS);
      assertThat(connection.get("/a").status()).isEqualTo(200);
      assertThat(connection.get("/a").status()).as("never above max_tokens").isEqualTo(200);
      assertThat(connection.get("/a").status()).isEqualTo(429);
    }
  }

  @Test
  void xRateLimitHeadersOnPassedAndRefusedResponses() throws Exception {
    start("stat_prefix: rl, " + bucket(2, 2, "60s") + ", " + ALWAYS
        + ", enable_x_ratelimit_headers: DRAFT_VERSION_03"
        + ", response_headers_to_add: [{header: {key: x-limited, value: 'yes'}}]");
    try (RawConnection connection = new RawConnection(proxy.port())) {
      Response first = connection.get("/a");
      assertThat(first.headers()).containsEntry("x-ratelimit-limit", "2").containsEntry("x-ratelimit-remaining", "1")
          .containsEntry("x-ratelimit-reset", "60").doesNotContainKey("x-limited");
      proxy.ticker.advance(15, TimeUnit.SECONDS);
      assertThat(connection.get("/a").headers()).containsEntry("x-ratelimit-remaining", "0")
          .containsEntry("x-ratelimit-reset", "45");
      Response refused = connection.get("/a");
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.headers()).containsEntry("x-ratelimit-remaining", "0").containsEntry("x-limited", "yes");
    }
  }

  @Test
  void notEnforcedLetsRequestsThroughAndCountsThem() throws Exception {
    start("stat_prefix: rl, " + bucket(1, 1, "1s")
        + ", filter_enabled: {default_value: {numerator: 100}, runtime_key: rl_enabled}");
    try (RawConnection connection = new RawConnection(proxy.port())) {
      assertThat(connection.get("/a").status()).isEqualTo(200);
      assertThat(connection.get("/a").status()).isEqualTo(200);
    }
    assertThat(proxy.count("outrigger.http.ratelimited", "stat_prefix", "rl", "enforced", "false")).isEqualTo(1);
    assertThat(proxy.count("outrigger.http.ratelimited", "stat_prefix", "rl", "enforced", "true")).isZero();
  }

  @Test
  void notEnabledTakesNoTokens() throws Exception {
    start("stat_prefix: rl, " + bucket(1, 1, "1s"));
    try (RawConnection connection = new RawConnection(proxy.port())) {
      assertThat(connection.get("/a").status()).isEqualTo(200);
      assertThat(connection.get("/a").status()).isEqualTo(200);
    }
    assertThat(proxy.count("outrigger.http.ratelimited", "stat_prefix", "rl", "enforced", "false")).isZero();
  }

  @Test
  void oneBucketForAllConnectionsByDefault() throws Exception {
    start("stat_prefix: rl, " + bucket(1, 1, "1s") + ", " + ALWAYS);
    try (RawConnection first = new RawConnection(proxy.port());
        RawConnection second = new RawConnection(proxy.port())) {
      assertThat(first.get("/a").status()).isEqualTo(200);
      assertThat(second.get("/a").status()).isEqualTo(429);
    }
  }

  @Test
  void aBucketPerConnectionWhenAsked() throws Exception {
    start("stat_prefix: rl, " + bucket(1, 1, "1s") + ", " + ALWAYS + ", local_rate_limit_per_downstream_connection: true");
    try (RawConnection first = new RawConnection(proxy.port());
        RawConnection second = new RawConnection(proxy.port())) {
      assertThat(first.get("/a").status()).isEqualTo(200);
      assertThat(first.get("/a").status()).isEqualTo(429);
      assertThat(second.get("/a").status()).isEqualTo(200);
      assertThat(second.get("/a").status()).isEqualTo(429);
    }
  }

  @Test
  void theStreamsOfAnHttp2ConnectionShareItsBucket() throws Exception {
    start("stat_prefix: rl, " + bucket(1, 1, "1s") + ", " + ALWAYS + ", local_rate_limit_per_downstream_connection: true");
    ManagedChannel first = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext().build();
    ManagedChannel second = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext().build();
    try {
      // The app is not a gRPC server: a call that gets through fails otherwise, but not with the limit.
      assertThat(call(first).getDescription()).isNotEqualTo("local_rate_limited");
      assertThat(call(first).getDescription()).isEqualTo("local_rate_limited");
      assertThat(call(second).getDescription()).isNotEqualTo("local_rate_limited");
    } finally {
      first.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      second.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertThat(upstream.requests).hasValue(2);
  }

  private static Status call(ManagedChannel channel) {
    return catchThrowableOfType(StatusRuntimeException.class,
        () -> SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            .unaryRpc(SimpleRequest.getDefaultInstance()))
        .getStatus();
  }

  @Test
  void perRouteOverridesHaveBucketsOfTheirOwn() throws Exception {
    String twoTokens = override(RATELIMIT, "stat_prefix: vh, " + bucket(2, 1, "1s") + ", " + ALWAYS);
    String oneToken = override(RATELIMIT, "stat_prefix: route, " + bucket(1, 1, "1s") + ", " + ALWAYS);
    String virtualHost = "{name: vh, domains: ['*'], typed_per_filter_config: {ratelimit: " + twoTokens + "}, routes: ["
        + "{name: strict, match: {prefix: /strict}, route: {cluster: app}, typed_per_filter_config: {ratelimit: " + oneToken + "}},"
        + "{name: a, match: {prefix: /a}, route: {cluster: app}},"
        + "{name: b, match: {prefix: /b}, route: {cluster: app}}]}";
    // The filter itself limits nothing: only the overrides do, as in Envoy's usual setup.
    start(List.of(filter("ratelimit", RATELIMIT, "stat_prefix: hcm")), List.of(virtualHost));
    try (RawConnection connection = new RawConnection(proxy.port())) {
      assertThat(connection.get("/strict").status()).isEqualTo(200);
      assertThat(connection.get("/strict").status()).isEqualTo(429);
      assertThat(connection.get("/a").status()).isEqualTo(200);
      assertThat(connection.get("/b").status()).as("the virtual host's bucket serves all its routes").isEqualTo(200);
      assertThat(connection.get("/a").status()).isEqualTo(429);
    }
    assertThat(proxy.count("outrigger.http.ratelimited", "stat_prefix", "route", "enforced", "true")).isEqualTo(1);
    assertThat(proxy.count("outrigger.http.ratelimited", "stat_prefix", "vh", "enforced", "true")).isEqualTo(1);
  }

  @Test
  void grpcCallsOverTheLimitGetUnavailable() throws Exception {
    start("stat_prefix: rl, " + bucket(1, 1, "1s") + ", " + ALWAYS);
    try (RawConnection connection = new RawConnection(proxy.port())) {
      assertThat(connection.get("/a").status()).isEqualTo(200);
    }
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext().build();
    try {
      Status status = call(channel);
      assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.getDescription()).isEqualTo("local_rate_limited");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aConfiguredStatusReplaces429() throws Exception {
    start("stat_prefix: rl, status: {code: ServiceUnavailable}, " + bucket(1, 1, "1s") + ", " + ALWAYS);
    try (RawConnection connection = new RawConnection(proxy.port())) {
      connection.get("/a");
      assertThat(connection.get("/a").status()).isEqualTo(503);
    }
  }
}
