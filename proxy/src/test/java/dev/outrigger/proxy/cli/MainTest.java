package dev.outrigger.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI in-process: exit codes and output, with the JVM never exited. */
class MainTest {
  private static final String EXAMPLE = "../docs/examples/bootstrap-http.yaml";

  @TempDir Path dir;

  /** One run's exit code and what it printed. */
  record Result(int exitCode, String out, String err) {}

  private static Result run(ShutdownSignal shutdown, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), shutdown);
    return new Result(code, out.toString(), err.toString());
  }

  private static Result run(String... args) {
    return run(new TriggeredShutdown(), args);
  }

  @Test
  void validateAcceptsAValidBootstrap() {
    Result result = run("proxy", "--validate", "--bootstrap", EXAMPLE);
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("bootstrap OK: 2 listeners, 2 clusters" + System.lineSeparator());
    assertThat(result.err()).isEmpty();
  }

  @Test
  void validatePrintsEveryProblemOnePerLine() throws IOException {
    Path file = Files.writeString(dir.resolve("bad.yaml"), """
        overload_manager: {}
        static_resources:
          clusters:
          - name: a
            lb_polcy: RANDOM
            connect_timeout: -1s
        """);
    Result result = run("proxy", "--validate", "--bootstrap", file.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err().lines()).containsExactly(
        "static_resources.clusters[0].lb_polcy: unknown field",
        "overload_manager: not supported",
        "static_resources.clusters[0].connect_timeout: must be greater than zero");
  }

  @Test
  void aMissingFileIsAnInvalidBootstrap() {
    Result result = run("proxy", "--validate", "--bootstrap", dir.resolve("none.yaml").toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err().lines()).containsExactly(dir.resolve("none.yaml") + ": no such file");
  }

  @Test
  void usageErrorsExitWithTwo() {
    Result missing = run("proxy", "--validate");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required option: '--bootstrap=FILE'");

    Result drain = run("proxy", "--bootstrap", EXAMPLE, "--drain-time", "soon");
    assertThat(drain.exitCode()).isEqualTo(2);
    assertThat(drain.err()).contains("--drain-time: invalid duration 'soon' (expected e.g. 500ms, 10s, 2m, 1h)");

    Result threads = run("proxy", "--bootstrap", EXAMPLE, "--concurrency", "0");
    assertThat(threads.exitCode()).isEqualTo(2);
    assertThat(threads.err()).contains("--concurrency must be at least 1, got 0");

    assertThat(run("no-such-command").exitCode()).isEqualTo(2);
    Result bare = run();
    assertThat(bare.exitCode()).isEqualTo(2);
    assertThat(bare.err()).contains("Missing required subcommand", "Commands:", "proxy");
  }

  @Test
  void helpDocumentsOptionsAndExitCodes() {
    Result result = run("proxy", "--help");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .contains("--bootstrap=FILE", "--validate", "--drain-time=DURATION", "(default: 10s)", "--concurrency=N")
        .contains("Exit codes:")
        .containsPattern("1\\s+the bootstrap is invalid")
        .containsPattern("3\\s+the proxy could not start");
    assertThat(run("--help").out()).contains("proxy");
  }

  @Test
  void versionNamesTheProgram() {
    Result result = run("--version");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("outrigger ");
  }

  @Test
  void runsTheProxyUntilShutdownAndThenReleasesItsPorts() throws Exception {
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
          clusters:
          - name: backend
            load_assignment:
              endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 9 } } } }] }]
        """);
    TriggeredShutdown shutdown = new TriggeredShutdown();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.run(
        new String[] {"proxy", "--bootstrap", file.toString(), "--concurrency", "1", "--drain-time", "1s"},
        new PrintWriter(out, true), new PrintWriter(err, true), shutdown));

    Pattern listening = Pattern.compile("listener tcp on 127\\.0\\.0\\.1:(\\d+)");
    await().atMost(Duration.ofSeconds(30)).until(() -> listening.matcher(out.toString()).find() || exit.isDone());
    Matcher matcher = listening.matcher(out.toString());
    assertThat(matcher.find()).as("stdout: %s%nstderr: %s", out, err).isTrue();
    int port = Integer.parseInt(matcher.group(1));
    assertThat(shutdown.armed()).isTrue();
    assertThatThrownBy(() -> bind(port)).isInstanceOf(BindException.class);

    shutdown.trigger();
    assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    assertThat(out.toString()).endsWith("outrigger proxy stopped" + System.lineSeparator());
    bind(port);
  }

  @Test
  void aPortInUseFailsTheStartWithThree() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path file = Files.writeString(dir.resolve("taken.yaml"), """
          static_resources:
            listeners:
            - name: tcp
              address: { socket_address: { address: 127.0.0.1, port_value: %d } }
              filter_chains:
              - filters:
                - name: envoy.filters.network.tcp_proxy
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                    stat_prefix: tcp
                    cluster: backend
            clusters: [{ name: backend }]
          """.formatted(taken.getLocalPort()));
      Result result = run("proxy", "--bootstrap", file.toString(), "--concurrency", "1");
      assertThat(result.exitCode()).isEqualTo(3);
      assertThat(result.err()).startsWith("cannot start: ").contains("in use");
    }
  }

  private static void bind(int port) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }
  }
}
