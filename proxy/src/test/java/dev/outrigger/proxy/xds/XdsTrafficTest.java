package dev.outrigger.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.outrigger.proxy.Proxy;
import dev.outrigger.proxy.ProxyOptions;
import dev.outrigger.proxy.admin.ServerState;
import dev.outrigger.proxy.bootstrap.LoadedBootstrap;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A proxy started from a bootstrap with {@code dynamic_resources}: its listener, routes, cluster and
 * endpoints come from java-control-plane, and a new snapshot is applied to the running proxy.
 */
class XdsTrafficTest {
  private final List<HttpServer> upstreams = new ArrayList<>();
  private final HttpClient client = HttpClient.newHttpClient();
  private Proxy proxy;
  private ReferenceControlPlane controlPlane;

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
    upstreams.forEach(upstream -> upstream.stop(0));
  }

  @Test
  void requestsFlowThroughResourcesFromTheControlPlaneAndFollowItsChanges() throws Exception {
    int first = upstream("first");
    int second = upstream("second");
    controlPlane = new ReferenceControlPlane();
    controlPlane.cache.setSnapshot(MeshResources.NODE, MeshResources.mesh("1", first));
    LoadedBootstrap bootstrap = MeshResources.bootstrap(controlPlane.port(), false);

    proxy = Proxy.start(bootstrap, ProxyOptions.defaults().withThreads(1));
    await().atMost(Duration.ofSeconds(20)).until(() -> proxy.state() == ServerState.LIVE);
    assertThat(proxy.configVersion()).contains("lds=1");
    int port = proxy.listenerAddress("ingress").getPort();
    assertThat(get(port)).isEqualTo("first saw /hello");

    controlPlane.cache.setSnapshot(MeshResources.NODE, MeshResources.mesh("2", second));
    await().atMost(Duration.ofSeconds(20)).until(() -> get(port).equals("second saw /hello"));
    assertThat(proxy.configVersion()).contains("eds=2");
  }

  private String get(int port) throws IOException, InterruptedException {
    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private int upstream(String name) throws IOException {
    HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext("/", exchange -> {
      byte[] body = (name + " saw " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    upstream.start();
    upstreams.add(upstream);
    return upstream.getAddress().getPort();
  }
}
