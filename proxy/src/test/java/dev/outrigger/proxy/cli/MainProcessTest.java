package dev.outrigger.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code main} in its own JVM: real exit statuses and a real SIGTERM through the shutdown hook. */
class MainProcessTest {
  @TempDir Path dir;

  @Test
  void anInvalidBootstrapExitsWithOne() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.yaml"), "static_resources: {clusters: [{name: a, lb_polcy: RANDOM}]}");
    Process process = start("proxy", "--validate", "--bootstrap", file.toString());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines())
        .containsExactly("static_resources.clusters[0].lb_polcy: unknown field");
  }

  @Test
  void sigtermClosesTheProxyAndFreesItsPort() throws Exception {
    Path file = Files.writeString(dir.resolve("tcp.yaml"), """
        static_resources:
          listeners:
          - name: tcp
            address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
            filter_chains:
            - filters:
              - name: envoy.filters.network.tcp_proxy
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                  stat_prefix: tcp
                  cluster: backend
          clusters: [{ name: backend }]
        """);
    Process process = start("proxy", "--bootstrap", file.toString(), "--concurrency", "1");
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    Pattern listening = Pattern.compile("listener tcp on 127\\.0\\.0\\.1:(\\d+)");
    Matcher matcher = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          Matcher m = listening.matcher(line);
          if (m.matches()) {
            return m;
          }
        }
        throw new AssertionError("the proxy ended before listening");
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }).get(60, TimeUnit.SECONDS);
    int port = Integer.parseInt(matcher.group(1));

    process.toHandle().destroy(); // SIGTERM; unlike Process.destroy() it leaves our pipes open
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    // SIGTERM is handled: the proxy drains and exits 0, as an orchestrator expects.
    assertThat(process.exitValue()).isEqualTo(0);
    assertThat(out.readLine()).startsWith("outrigger proxy draining");
    assertThat(out.readLine()).isEqualTo("outrigger proxy stopped");
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }
  }

  private static Process start(String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED"));
    if (Runtime.version().feature() >= 23) {
      // As bin/outrigger does: protobuf and Netty still call sun.misc.Unsafe, which JDK 23+ warns about on stderr.
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).start();
  }
}
