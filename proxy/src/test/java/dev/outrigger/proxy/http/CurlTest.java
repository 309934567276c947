package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** curl, a client nobody here wrote, over h2c with prior knowledge and over HTTP/1.1. */
class CurlTest {

  private static String curl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "-D", "-"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(15, TimeUnit.SECONDS)).isTrue();
    return output;
  }

  @Test
  void curlSpeaksBothProtocolsThroughTheProxy() throws Exception {
    assumeTrue(new File("/usr/bin/curl").canExecute(), "curl is installed");
    try (TestUpstream upstream = TestUpstream.http1();
        TestProxy proxy = TestProxy.builder().forward("/", "backend").cluster("backend", upstream.port(), UpstreamProtocol.HTTP1).start()) {
      String h2 = curl("--http2-prior-knowledge", "--data-binary", "from curl", proxy.url("/echo"));
      assertThat(h2).startsWith("HTTP/2 200").contains("server: outrigger").endsWith("from curl");

      String h1 = curl("--http1.1", proxy.url("/plain"));
      assertThat(h1).startsWith("HTTP/1.1 200").endsWith("ok");
    }
  }
}
