package dev.outrigger.proxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoAppTest {
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void saysWhichAppAnsweredAndEchoesThePathAndForwardingHeaders() throws Exception {
    try (DemoApp app = DemoApp.start("app-a", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.address().getPort() + "/a/b?c=d"))
              .header("x-request-id", "req-1")
              .header("x-forwarded-proto", "http")
              .timeout(Duration.ofSeconds(10))
              .build();

      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("x-demo-app")).hasValue("app-a");
      assertThat(response.body())
          .startsWith("hello from app-a\nGET /a/b?c=d HTTP/1.1\n")
          .contains("x-request-id: req-1\n", "x-forwarded-proto: http\n")
          .doesNotContain("x-forwarded-for");
    }
  }
}
