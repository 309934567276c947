package dev.outrigger.proxy.http.filter;

import static dev.outrigger.proxy.http.filter.FilterBootstrap.ALL_TO_APP;
import static dev.outrigger.proxy.http.filter.FilterBootstrap.FAULT;
import static dev.outrigger.proxy.http.filter.FilterBootstrap.filter;
import static dev.outrigger.proxy.http.filter.FilterBootstrap.override;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.stream.ResponseFlag;
import dev.outrigger.proxy.stream.StreamInfo;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code envoy.filters.http.fault} through a real listener, connection manager and upstream. */
class FaultInjectionTest {
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
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

  private void start(String faultFields) throws Exception {
    start(List.of(filter("fault", FAULT, faultFields)), List.of(ALL_TO_APP));
  }

  private void start(List<String> filters, List<String> virtualHosts) throws Exception {
    proxy = new FilterTestProxy(FilterBootstrap.yaml(upstream.port(), filters, virtualHosts));
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(proxy.url(path))).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), BodyHandlers.ofString());
  }

  @Test
  void abortsEveryRequestAtOneHundredPercent() throws Exception {
    start("abort: {http_status: 503, percentage: {numerator: 100}}");

    HttpResponse<String> response = get("/a");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("fault filter abort");
    assertThat(upstream.requests).hasValue(0);
    StreamInfo info = proxy.takeInfo();
    assertThat(info.responseFlags()).containsExactly(ResponseFlag.FI);
    assertThat(info.routeName()).isEqualTo("app");
    assertThat(proxy.count("outrigger.http.faults", "filter", "fault", "kind", "abort")).isEqualTo(1);
  }

  @Test
  void abortsNothingAtZeroPercentOrWithoutPercentage() throws Exception {
    start("abort: {http_status: 503, percentage: {numerator: 0}}, delay: {fixed_delay: 5s}");

    HttpResponse<String> response = get("/a");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok /a");
    assertThat(proxy.takeInfo().responseFlags()).isEmpty();
    assertThat(proxy.scheduler.scheduled).isEmpty();
  }

  @Test
  void delaysOnTheEventLoopThenForwards() throws Exception {
    start("delay: {fixed_delay: 5s, percentage: {numerator: 1000000, denominator: MILLION}}");

    CompletableFuture<HttpResponse<String>> response =
        client.sendAsync(HttpRequest.newBuilder(URI.create(proxy.url("/slow"))).build(), BodyHandlers.ofString());

    await().until(() -> proxy.scheduler.scheduled.size() == 1);
    assertThat(proxy.scheduler.scheduled.get(0).nanos()).isEqualTo(TimeUnit.SECONDS.toNanos(5));
    assertThat(response).isNotDone();
    assertThat(upstream.requests).hasValue(0);

    proxy.scheduler.elapseAll();

    assertThat(response.get(10, TimeUnit.SECONDS).body()).isEqualTo("ok /slow");
    assertThat(proxy.takeInfo().responseFlags()).containsExactly(ResponseFlag.DI);
    assertThat(proxy.count("outrigger.http.faults", "filter", "fault", "kind", "delay")).isEqualTo(1);
  }

  @Test
  void delayThenAbort() throws Exception {
    start("delay: {fixed_delay: 1s, percentage: {numerator: 100}}, abort: {http_status: 429, percentage: {numerator: 100}}");

    CompletableFuture<HttpResponse<String>> response =
        client.sendAsync(HttpRequest.newBuilder(URI.create(proxy.url("/a"))).build(), BodyHandlers.ofString());
    await().until(() -> proxy.scheduler.scheduled.size() == 1);
    proxy.scheduler.elapseAll();

    assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(429);
    assertThat(proxy.takeInfo().responseFlags()).containsExactlyInAnyOrder(ResponseFlag.DI, ResponseFlag.FI);
    assertThat(upstream.requests).hasValue(0);
  }

  @Test
  void aClientThatLeavesDuringTheDelayCancelsItsTimer() throws Exception {
    start("delay: {fixed_delay: 3600s, percentage: {numerator: 100}}, max_active_faults: 1");

    try (RawConnection connection = new RawConnection(proxy.port())) {
      connection.sendGet("/abandoned");
      await().until(() -> proxy.scheduler.scheduled.size() == 1);
    }

    StreamInfo info = proxy.takeInfo();
    assertThat(info.responseFlags()).containsExactlyInAnyOrder(ResponseFlag.DI, ResponseFlag.DC);
    assertThat(proxy.scheduler.scheduled.get(0).cancelled()).isTrue();
    // The fault no longer counts against max_active_faults: the next request is delayed too.
    try (RawConnection connection = new RawConnection(proxy.port())) {
      connection.sendGet("/next");
      await().until(() -> proxy.scheduler.scheduled.size() == 2);
    }
    assertThat(upstream.requests).hasValue(0);
  }

  @Test
  void maxActiveFaultsLetsRequestsPastWhileTheLimitIsReached() throws Exception {
    start("delay: {fixed_delay: 3600s, percentage: {numerator: 100}}, max_active_faults: 1");

    CompletableFuture<HttpResponse<String>> delayed =
        client.sendAsync(HttpRequest.newBuilder(URI.create(proxy.url("/first"))).build(), BodyHandlers.ofString());
    await().until(() -> proxy.scheduler.scheduled.size() == 1);

    assertThat(get("/second").body()).isEqualTo("ok /second");
    assertThat(proxy.takeInfo().responseFlags()).isEmpty();
    assertThat(proxy.count("outrigger.http.faults", "filter", "fault", "kind", "overflow")).isEqualTo(1);

    proxy.scheduler.elapseAll();
    assertThat(delayed.get(10, TimeUnit.SECONDS).body()).isEqualTo("ok /first");
  }

  @Test
  void headerControlledAbort() throws Exception {
    start("abort: {header_abort: {}, percentage: {numerator: 100}}");

    assertThat(get("/a", "x-envoy-fault-abort-request", "418").statusCode()).isEqualTo(418);
    assertThat(get("/a").statusCode()).as("no header, no abort").isEqualTo(200);
    assertThat(get("/a", "x-envoy-fault-abort-request", "418", "x-envoy-fault-abort-request-percentage", "0")
        .statusCode()).as("the header percentage lowers the share").isEqualTo(200);
    assertThat(get("/a", "x-envoy-fault-abort-request", "99").statusCode()).as("not a status").isEqualTo(200);
  }

  @Test
  void headerControlledDelay() throws Exception {
    start("delay: {header_delay: {}, percentage: {numerator: 100}}");

    assertThat(get("/a").statusCode()).isEqualTo(200);
    assertThat(proxy.scheduler.scheduled).isEmpty();

    CompletableFuture<HttpResponse<String>> delayed = client.sendAsync(
        HttpRequest.newBuilder(URI.create(proxy.url("/b"))).header("x-envoy-fault-delay-request", "250").build(),
        BodyHandlers.ofString());
    await().until(() -> proxy.scheduler.scheduled.size() == 1);
    assertThat(proxy.scheduler.scheduled.get(0).nanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
    proxy.scheduler.elapseAll();
    assertThat(delayed.get(10, TimeUnit.SECONDS).body()).isEqualTo("ok /b");
  }

  @Test
  void grpcAbortIsTrailersOnlyWithTheConfiguredStatus() throws Exception {
    start("abort: {grpc_status: 8, percentage: {numerator: 100}}");

    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext().build();
    try {
      StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class,
          () -> SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
              .unaryRpc(SimpleRequest.getDefaultInstance()));
      assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(failure.getStatus().getDescription()).isEqualTo("fault filter abort");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertThat(proxy.takeInfo().responseFlags()).containsExactly(ResponseFlag.FI);
  }

  @Test
  void anHttpAbortOfAGrpcCallMapsTheStatusAsEnvoyDoes() throws Exception {
    start("abort: {http_status: 503, percentage: {numerator: 100}}");

    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext().build();
    try {
      StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class,
          () -> SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
              .unaryRpc(SimpleRequest.getDefaultInstance()));
      assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void theMostSpecificPerRouteOverrideWins() throws Exception {
    String abort503 = override(FAULT, "abort: {http_status: 503, percentage: {numerator: 100}}");
    String abort418 = override(FAULT, "abort: {http_status: 418, percentage: {numerator: 100}}");
    String virtualHost = "{name: vh, domains: ['*'], typed_per_filter_config: {fault: " + abort503 + "}, routes: ["
        + "{name: teapot, match: {prefix: /teapot}, route: {cluster: app}, typed_per_filter_config: {fault: " + abort418 + "}},"
        + "{name: weighted, match: {prefix: /weighted}, route: {weighted_clusters: {clusters: [{name: app, weight: 1,"
        + "  typed_per_filter_config: {fault: " + override(FAULT, "abort: {http_status: 502, percentage: {numerator: 100}}") + "}}]}}},"
        + "{name: rest, match: {prefix: /}, route: {cluster: app}}]}";
    start(List.of(filter("fault", FAULT, "")), List.of(virtualHost));

    assertThat(get("/teapot").statusCode()).isEqualTo(418);
    assertThat(get("/weighted").statusCode()).isEqualTo(502);
    assertThat(get("/other").statusCode()).isEqualTo(503);
  }
}
