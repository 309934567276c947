package dev.outrigger.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two clients calling through the pair back to back until stopped: HTTP/1.1 to the caller's HTTP
 * listener (one HTTP/2 connection between the sidecars), and a new TCP connection per request to
 * its TCP listener (a new TLS handshake between the sidecars each time). Counts successes, keeps
 * every failure, and the caller identities the app was told.
 */
final class PairLoad {
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String REQUEST = "GET /load HTTP/1.1\r\nhost: callee\r\nconnection: close\r\n\r\n";

  final Map<String, String> failures = new ConcurrentHashMap<>();
  final Set<String> callerIdentities = ConcurrentHashMap.newKeySet();
  private final AtomicLong httpOk = new AtomicLong();
  private final AtomicLong tcpOk = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread[] threads;

  private PairLoad(MeshSidecars.Sidecar caller) {
    threads = new Thread[] {
      new Thread(() -> loop("http", httpOk, () -> http(caller.http())), "load-http"),
      new Thread(() -> loop("tcp", tcpOk, () -> tcp(caller.tcp())), "load-tcp")
    };
  }

  static PairLoad start(MeshSidecars.Sidecar caller) {
    PairLoad load = new PairLoad(caller);
    for (Thread thread : load.threads) {
      thread.start();
    }
    return load;
  }

  private interface Call {
    String send() throws Exception;
  }

  private void loop(String name, AtomicLong ok, Call call) {
    for (long i = 0; running.get(); i++) {
      try {
        String failure = call.send();
        if (failure == null) {
          ok.incrementAndGet();
        } else {
          failures.put(name + " #" + i, failure);
        }
      } catch (Exception e) {
        failures.put(name + " #" + i, e.toString());
      }
    }
  }

  private String http(int port) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/load"))
        .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      return response.statusCode() + " " + response.body();
    }
    Set<String> uris = new HashSet<>();
    for (String part : response.body().split(";")) {
      if (part.startsWith("URI=")) {
        uris.add(part);
      }
    }
    callerIdentities.addAll(uris);
    return null;
  }

  private String tcp(int port) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      try (InputStream in = socket.getInputStream()) {
        in.transferTo(response);
      }
      String text = response.toString(StandardCharsets.US_ASCII);
      return text.startsWith("HTTP/1.1 200 ") && text.endsWith("\r\n\r\n-") ? null : "response: " + text;
    }
  }

  /** Waits for {@code requests} more successes on each client, or the first failure. */
  void awaitMore(long requests) {
    long http = httpOk.get() + requests;
    long tcp = tcpOk.get() + requests;
    await("more requests through the pair").atMost(STEP_TIMEOUT)
        .until(() -> (httpOk.get() >= http && tcpOk.get() >= tcp) || !failures.isEmpty());
    assertThat(failures).as("failed requests").isEmpty();
  }

  void stop() throws InterruptedException {
    running.set(false);
    for (Thread thread : threads) {
      thread.join(15_000);
    }
  }
}
