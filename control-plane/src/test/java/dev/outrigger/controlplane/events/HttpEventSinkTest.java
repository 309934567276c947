package dev.outrigger.controlplane.events;

import static dev.outrigger.controlplane.events.Events.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP sink against a real JDK HTTP server on loopback: structured mode, retries, drops. */
@Timeout(60)
class HttpEventSinkTest {
  static final HttpEventSink.Retry FAST = new HttpEventSink.Retry(3, Duration.ofMillis(10));

  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final List<Received> received = new CopyOnWriteArrayList<>();
  final CountDownLatch release = new CountDownLatch(1);
  HttpServer server;
  EventHub hub;

  record Received(String method, String contentType, String body) {}

  @AfterEach
  void stop() {
    release.countDown();
    if (hub != null) {
      hub.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void postsEachEventInStructuredMode() {
    URI uri = serve(() -> 202);
    hub = new EventHub(10, 10, registry).sendTo("http", new HttpEventSink(uri, FAST), 10);

    hub.publish(numbered(1));
    hub.publish(numbered(2));

    await().until(() -> received.size() == 2);
    assertThat(received).allSatisfy(request -> {
      assertThat(request.method()).isEqualTo("POST");
      assertThat(request.contentType()).isEqualTo("application/cloudevents+json");
    });
    assertThat(received).extracting(request -> CloudEventJson.read(request.body()))
        .containsExactly(numbered(1), numbered(2));
  }

  @Test
  void aSinkThatFailsFirstGetsTheEventOnARetry() {
    Queue<Integer> statuses = new ConcurrentLinkedQueue<>(List.of(503, 500));
    URI uri = serve(() -> statuses.isEmpty() ? 200 : statuses.poll());
    hub = new EventHub(10, 10, registry).sendTo("http", new HttpEventSink(uri, FAST), 10);

    hub.publish(numbered(1));
    hub.publish(numbered(2));

    await().until(() -> received.size() == 4);
    assertThat(received).extracting(request -> CloudEventJson.read(request.body()).id())
        .containsExactly("e1", "e1", "e1", "e2");
    assertThat(dropped("failed")).isZero();
  }

  @Test
  void aSinkThatKeepsFailingLosesTheEventAfterTheLastAttempt() {
    URI uri = serve(() -> 503);
    hub = new EventHub(10, 10, registry).sendTo("http", new HttpEventSink(uri, FAST), 10);

    hub.publish(numbered(1));

    await().until(() -> dropped("failed") == 1);
    assertThat(received).hasSize(3);
  }

  @Test
  void aRefusalIsNotRetried() {
    URI uri = serve(() -> 400);
    hub = new EventHub(10, 10, registry).sendTo("http", new HttpEventSink(uri, FAST), 10);

    hub.publish(numbered(1));
    hub.publish(numbered(2));

    await().until(() -> dropped("failed") == 2);
    assertThat(received).extracting(request -> CloudEventJson.read(request.body()).id())
        .containsExactly("e1", "e2");
  }

  @Test
  void aSinkNobodyListensOnIsRetriedThenCounted() throws Exception {
    URI uri = serve(() -> 200);
    server.stop(0); // the port is free again: connections are refused
    server = null;
    hub = new EventHub(10, 10, registry).sendTo("http", new HttpEventSink(uri, FAST), 10);

    hub.publish(numbered(1));

    await().until(() -> dropped("failed") == 1);
  }

  @Test
  void whenTheQueueIsFullEventsAreDroppedAndCountedWithoutBlockingThePublisher() throws Exception {
    CountDownLatch answering = new CountDownLatch(1);
    URI uri = serve(() -> {
      answering.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 200;
    });
    hub = new EventHub(10, 10, registry).sendTo("http", new HttpEventSink(uri, FAST), 2);

    hub.publish(numbered(1));
    assertThat(answering.await(30, TimeUnit.SECONDS)).isTrue();
    for (int n = 2; n <= 6; n++) {
      hub.publish(numbered(n)); // e2 and e3 wait in the queue, the rest do not fit
    }
    assertThat(dropped("queue_full")).isEqualTo(3);
    assertThat(registry.scrape()).contains("outrigger_events_dropped_total{reason=\"queue_full\",sink=\"http\"} 3.0");
    release.countDown();

    await().until(() -> received.size() == 3);
    assertThat(received).extracting(request -> CloudEventJson.read(request.body()).id())
        .containsExactly("e1", "e2", "e3");
  }

  /** Starts the server on loopback, answering each POST with the next status. */
  private URI serve(IntSupplier status) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/events", exchange -> answer(exchange, status));
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
  }

  private void answer(HttpExchange exchange, IntSupplier status) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.add(new Received(exchange.getRequestMethod(),
        exchange.getRequestHeaders().getFirst("Content-Type"), body));
    exchange.sendResponseHeaders(status.getAsInt(), -1);
    exchange.close();
  }

  private double dropped(String reason) {
    return registry.get(EventHub.DROPPED).tag("sink", "http").tag("reason", reason).counter().count();
  }
}
