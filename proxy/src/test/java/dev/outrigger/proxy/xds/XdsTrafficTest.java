package dev.outrigger.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.outrigger.proxy.Proxy;
import dev.outrigger.proxy.bootstrap.LoadedBootstrap;
import dev.outrigger.proxy.config.ProxyConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Traffic through a proxy whose listener, routes, cluster and endpoints all came from
 * java-control-plane. The proxy is started with the first complete config (applying later ones to
 * a running proxy is {@code Proxy.apply}'s part).
 */
class XdsTrafficTest {
  private final AtomicReference<Proxy> proxy = new AtomicReference<>();
  private HttpServer upstream;
  private ReferenceControlPlane controlPlane;
  private XdsClient client;

  @AfterEach
  void stop() throws InterruptedException {
    if (client != null) {
      client.close();
    }
    if (proxy.get() != null) {
      proxy.get().close();
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
    if (upstream != null) {
      upstream.stop(0);
    }
  }

  @Test
  void requestsFlowThroughResourcesFromTheControlPlane() throws Exception {
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext("/", exchange -> {
      byte[] body = ("backend saw " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    upstream.start();
    controlPlane = new ReferenceControlPlane();
    controlPlane.cache.setSnapshot(MeshResources.NODE, MeshResources.mesh("1", upstream.getAddress().getPort()));

    LoadedBootstrap bootstrap = MeshResources.bootstrap(controlPlane.port(), false);
    client = XdsClient.start(bootstrap.ads().orElseThrow(), bootstrap.xdsTranslator(), this::startOnce,
        new SimpleMeterRegistry(), new ManualScheduler(), bound -> bound - 1);
    await().atMost(Duration.ofSeconds(20)).until(() -> proxy.get() != null);

    int port = proxy.get().listenerAddress("ingress").getPort();
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("backend saw /hello");
  }

  private void startOnce(ProxyConfig config, String version) {
    if (proxy.get() == null) {
      try {
        proxy.set(Proxy.start(config, 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
