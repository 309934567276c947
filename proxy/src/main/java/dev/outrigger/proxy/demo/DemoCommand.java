package dev.outrigger.proxy.demo;

import dev.outrigger.proxy.Proxy;
import dev.outrigger.proxy.cli.ShutdownSignal;
import dev.outrigger.proxy.config.ProxyConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code outrigger demo --single} (the launcher runs this as the proxy's {@code demo}): two upstream
 * apps and one proxy in this JVM, the proxy run from the bundled Envoy bootstrap. Ports are fixed
 * so that the printed curl commands work as printed.
 */
@Command(
    name = "demo",
    description = {
      "Runs two small upstream apps behind one proxy on 127.0.0.1 and prints what to try.",
      "The proxy's config is " + DemoBootstrap.SOURCE + ". Ctrl-C stops it."
    })
public final class DemoCommand implements Callable<Integer> {
  private static final InetSocketAddress APP_A =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 18081);
  private static final InetSocketAddress APP_B =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 18082);
  /** Listener names in the bundled bootstrap. */
  private static final String HTTP_LISTENER = "demo_http";
  private static final String TCP_LISTENER = "demo_tcp";

  private final ShutdownSignal shutdown;

  @Spec private CommandSpec spec;

  public DemoCommand(ShutdownSignal shutdown) {
    this.shutdown = shutdown;
  }

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ProxyConfig config = DemoBootstrap.load();
    List<String> taken = takenPorts(config);
    if (!taken.isEmpty()) {
      taken.forEach(err::println);
      err.println("Stop what listens there (another demo?) and run it again.");
      return 1;
    }
    CountDownLatch stopRequested = new CountDownLatch(1);
    shutdown.onShutdown(stopRequested::countDown);
    try (DemoApp appA = DemoApp.start("app-a", APP_A);
        DemoApp appB = DemoApp.start("app-b", APP_B);
        Proxy proxy = Proxy.start(config)) {
      out.print(tour(appA, appB, proxy));
      out.flush();
      stopRequested.await();
      out.println("\nStopping the demo.");
      out.flush();
    }
    return 0;
  }

  /**
   * Checked up front so that a busy port is named in the error; binding later would only say
   * "address in use". (Something could still take a port in between; then start-up fails.)
   */
  private static List<String> takenPorts(ProxyConfig config) {
    Map<String, InetSocketAddress> wanted = new LinkedHashMap<>();
    wanted.put("app-a", APP_A);
    wanted.put("app-b", APP_B);
    config.listeners().forEach(listener -> wanted.put("listener " + listener.name(), listener.address()));
    config.adminAddress().ifPresent(admin -> wanted.put("admin", admin));
    List<String> taken = new ArrayList<>();
    wanted.forEach(
        (what, address) -> {
          if (!canBind(address)) {
            taken.add(hostPort(address) + " (" + what + ") is already in use.");
          }
        });
    return taken;
  }

  private static boolean canBind(InetSocketAddress address) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(address);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String tour(DemoApp appA, DemoApp appB, Proxy proxy) {
    String http = "http://" + hostPort(proxy.listenerAddress(HTTP_LISTENER));
    String tcp = hostPort(proxy.listenerAddress(TCP_LISTENER));
    String admin = proxy.config().adminAddress().map(a -> "http://" + hostPort(a)).orElse("");
    return String.join(
        "\n",
        "",
        "Outrigger demo is running (transport: " + proxy.transportName() + ").",
        "",
        "  " + appA.name() + "         http://" + hostPort(appA.address()) + "   upstream app",
        "  " + appB.name() + "         http://" + hostPort(appB.address()) + "   upstream app",
        "  proxy (HTTP)  " + http + "   /a -> app-a, /b -> app-b, /split -> 80% app-a / 20% app-b,",
        "                                         /health answered by the proxy itself",
        "  proxy (TCP)   " + tcp + "          opaque TCP to app-a",
        "  admin         " + admin,
        "",
        "Try:",
        "  curl -v " + http + "/a",
        "  curl " + http + "/b/hello?name=you",
        "  for i in 1 2 3 4 5 6 7 8 9 10; do curl -s " + http + "/split | head -1; done",
        "  curl -i " + http + "/health",
        "  curl -i " + http + "/nowhere          # no route: 404 from the proxy",
        "  curl http://" + tcp + "/through-tcp    # HTTP carried as plain bytes",
        "  curl " + admin + "/metrics",
        "  curl " + admin + "/config_dump",
        "",
        "The proxy's config: " + DemoBootstrap.SOURCE + ". Press Ctrl-C to stop.",
        "");
  }

  private static String hostPort(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }
}
