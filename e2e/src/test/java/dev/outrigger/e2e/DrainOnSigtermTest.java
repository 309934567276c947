package dev.outrigger.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIGTERM drains: the listener stops accepting at once, a request in flight still completes, and
 * the process then exits 0 within the drain time.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = ThreadMode.SEPARATE_THREAD)
class DrainOnSigtermTest {
  private static final Duration DRAIN_TIME = Duration.ofSeconds(10);

  @RegisterExtension static final ProxyProcesses proxies = new ProxyProcesses();

  @Test
  void finishesTheRequestInFlightRefusesNewConnectionsAndExitsZero() throws Exception {
    try (HttpUpstream upstream = HttpUpstream.start()) {
      Bootstrap bootstrap = new Bootstrap().httpListener("http", "app").cluster("app", upstream.port());
      ProxyProcess proxy = proxies.start(bootstrap, "--drain-time", DRAIN_TIME.toSeconds() + "s");
      InetSocketAddress listener = bootstrap.listener("http");
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      CompletableFuture<HttpResponse<String>> inFlight =
          client.sendAsync(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.getPort() + "/held")).build(),
              BodyHandlers.ofString());
      await("the request to reach the upstream through the proxy")
          .atMost(Duration.ofSeconds(30))
          .failFast("the request ended before it reached the upstream", () -> assertThat(inFlight).isNotDone())
          .until(upstream::heldRequestArrived);

      // The upstream holds its answer until the proxy has been seen refusing new connections,
      // so the request is certainly still in flight while the proxy drains.
      proxy.terminate();
      Instant terminated = Instant.now();
      await("the proxy to refuse new connections after SIGTERM")
          .atMost(DRAIN_TIME)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> refuses(listener));
      upstream.release();

      HttpResponse<String> response = inFlight.get(DRAIN_TIME.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("released");
      Duration left = DRAIN_TIME.minus(Duration.between(terminated, Instant.now()));
      assertThat(proxy.awaitExit(left)).as("exit code within the drain time of SIGTERM").hasValue(0);
    }
  }

  private static boolean refuses(InetSocketAddress listener) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(listener, 1000);
      return false;
    } catch (ConnectException refused) {
      return true;
    }
  }
}
