package dev.outrigger.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code outrigger demo} as a user runs it (its Java entry point, as bin/outrigger starts it), on
 * ports shifted by a free offset: it says it is ready, a call from the frontend's sidecar reaches
 * catalog over mTLS (catalog's app is told the frontend's SPIFFE ID), the route file it prints
 * moves the traffic when edited, and SIGTERM stops every process it started.
 */
class MeshDemoTest {
  private static final String MAIN_CLASS = "dev.outrigger.controlplane.cli.Main";
  /** The demo's default ports (control plane, sidecars, apps); the admin API's 15014 included. */
  private static final List<Integer> DEFAULT_PORTS = List.of(15010, 15012, 15014,
      15000, 15001, 15006, 15100, 15101, 15106, 15200, 15201, 15206, 18080, 18081, 18082);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern FRONTEND_OUTBOUND = Pattern.compile("curl -H 'Host: catalog' http://127\\.0\\.0\\.1:(\\d+)/");

  @TempDir Path dir;

  @Test
  void theWholeMeshRunsCarriesMutualTlsTrafficFollowsARouteEditAndStopsCleanly() throws Exception {
    int offset = freeOffset();
    Path logs = Path.of(System.getProperty("outrigger.e2e.logs", "target/proxy-logs"));
    Files.createDirectories(logs);
    Path log = logs.resolve("MeshDemoTest-demo.log");
    Process demo = new ProcessBuilder(ModuleCommand.of("control-plane", MAIN_CLASS, List.of("demo",
        "--port-offset", Integer.toString(offset), "--dir", dir.toString(),
        "--proxy-classpath", ModuleCommand.classPath("proxy"))))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      await("the demo to say it is ready (output in " + log + ")").atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(200))
          .failFast("the demo exited", () -> !demo.isAlive())
          .until(() -> Files.readString(log).contains("outrigger demo: ready"));
      List<ProcessHandle> parts = demo.descendants().toList();
      assertThat(parts).as("control plane and three sidecars").hasSize(4);
      Matcher printed = FRONTEND_OUTBOUND.matcher(Files.readString(log));
      assertThat(printed.find()).as("the guide's curl command").isTrue();
      int outbound = Integer.parseInt(printed.group(1));
      assertThat(outbound).isEqualTo(15001 + offset);

      String answer = get(outbound, "catalog");
      assertThat(answer).startsWith("HTTP/1.1 200 ").contains("hello from catalog\n")
          .containsPattern("x-forwarded-client-cert: By=spiffe://cluster\\.local/ns/demo/sa/catalog;Hash=\\w+;"
              + "URI=spiffe://cluster\\.local/ns/demo/sa/frontend\n");
      await("a traffic report").atMost(STEP_TIMEOUT).until(() -> Files.readString(log).contains("traffic frontend -> catalog"));
      assertThat(Files.readString(log)).doesNotContain(" failed ");

      Path route = dir.resolve("mesh/catalog-route.yaml");
      assertThat(Files.readString(log)).contains("Change a route live: edit " + route);
      Files.writeString(route, Files.readString(route).replace("weight: 100", "weight: 1").replace("weight: 0", "weight: 100"));
      await("catalog-v2 to answer after the route edit").atMost(STEP_TIMEOUT)
          .until(() -> get(outbound, "catalog").contains("hello from catalog-v2\n"));

      demo.destroy();
      assertThat(demo.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the demo stopped").isTrue();
      assertThat(demo.exitValue()).isZero();
      assertThat(Files.readString(log)).contains("outrigger demo: stopped").doesNotContain(" failed ");
      assertThat(parts).noneMatch(ProcessHandle::isAlive);
    } finally {
      demo.descendants().forEach(ProcessHandle::destroyForcibly);
      demo.destroyForcibly().waitFor();
    }
  }

  /** An offset at which every port of the demo is free now. */
  private static int freeOffset() {
    return IntStream.generate(() -> ThreadLocalRandom.current().nextInt(100, 400) * 100)
        .filter(offset -> DEFAULT_PORTS.stream().allMatch(port -> canBind(port + offset)))
        .findFirst().orElseThrow();
  }

  private static boolean canBind(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code GET /} with {@code Host: host} through 127.0.0.1:{@code port}: the whole response. */
  private static String get(int port, String host) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET / HTTP/1.1\r\nhost: " + host + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
