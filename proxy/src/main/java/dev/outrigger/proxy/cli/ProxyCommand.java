package dev.outrigger.proxy.cli;

import dev.outrigger.proxy.Proxy;
import dev.outrigger.proxy.ProxyOptions;
import dev.outrigger.proxy.bootstrap.BootstrapLoader;
import dev.outrigger.proxy.bootstrap.ConfigError;
import dev.outrigger.proxy.bootstrap.ConfigException;
import dev.outrigger.proxy.bootstrap.LoadedBootstrap;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.identity.IdentitySource;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code outrigger proxy}: validate a bootstrap, or run the sidecar proxy on it. */
@Command(
    name = "proxy",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Runs the sidecar proxy on an Envoy v3 bootstrap (YAML or JSON), or only checks the file.",
      "The supported subset of Envoy's API is in docs/envoy-subset.md; anything else is rejected"
          + " with its field path."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:bootstrap valid (--validate)",
      "1:the bootstrap is invalid; every problem is printed as 'path: message'",
      "2:wrong command-line usage",
      "3:the proxy could not start (e.g. a listener port is in use)",
      "0:stopped by SIGTERM, Ctrl-C or POST /shutdown, after draining (see --drain-time)"
    })
final class ProxyCommand implements Callable<Integer> {
  static final int INVALID_BOOTSTRAP = 1;
  static final int START_FAILED = 3;

  private final ShutdownSignal shutdown;

  @Spec private CommandSpec spec;

  @Option(names = "--bootstrap", required = true, paramLabel = "FILE",
      description = "Envoy v3 bootstrap: .yaml, .yml or .json")
  private Path bootstrap;

  @Option(names = "--validate", description = "Check the bootstrap, print the result and exit.")
  private boolean validate;

  @Mixin private IdentityOptions identity;

  /** Set by picocli, from the option or its default. */
  private Duration drainTime;

  private int concurrency = Runtime.getRuntime().availableProcessors();

  ProxyCommand(ShutdownSignal shutdown) {
    this.shutdown = shutdown;
  }

  @Option(names = "--drain-time", paramLabel = "DURATION", defaultValue = "10s",
      description = "How long in-flight requests may finish on shutdown: 500ms, 10s, 2m..."
          + " (default: ${DEFAULT-VALUE}).")
  void drainTime(String value) {
    drainTime = DurationOption.parse(value, "--drain-time", spec);
  }

  @Option(names = "--concurrency", paramLabel = "N",
      description = "Event-loop threads (default: the number of cores).")
  void concurrency(int value) {
    if (value < 1) {
      throw new ParameterException(spec.commandLine(), "--concurrency must be at least 1, got " + value);
    }
    concurrency = value;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LoadedBootstrap loaded;
    try {
      loaded = BootstrapLoader.loadBootstrap(bootstrap);
    } catch (ConfigException e) {
      e.errors().stream().map(ConfigError::toString).forEach(err::println);
      err.flush();
      return INVALID_BOOTSTRAP;
    }
    ProxyConfig config = loaded.staticConfig();
    if (validate) {
      out.println("bootstrap OK: " + config.listeners().size() + " listeners, "
          + config.clusters().size() + " clusters"
          + loaded.ads().map(ads -> ", xDS from cluster " + ads.cluster().name()).orElse(""));
      return 0;
    }
    Optional<IdentitySource.Factory> identitySource = identity.source(System.getenv());
    return serve(loaded, identitySource, out, err);
  }

  private int serve(LoadedBootstrap loaded, Optional<IdentitySource.Factory> identitySource, PrintWriter out,
      PrintWriter err) throws InterruptedException {
    ProxyConfig config = loaded.staticConfig();
    Proxy proxy;
    try {
      ProxyOptions options = ProxyOptions.defaults().withThreads(concurrency).withDrainTime(drainTime);
      proxy = Proxy.start(loaded, identitySource.map(options::withIdentitySource).orElse(options));
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      // Netty rethrows bind failures (IOExceptions) without declaring them.
      err.println("cannot start: " + e);
      err.flush();
      return START_FAILED;
    }
    CountDownLatch stopRequested = new CountDownLatch(1);
    shutdown.onShutdown(stopRequested::countDown);
    out.println("outrigger proxy on " + proxy.transportName() + ", " + concurrency + " event loops");
    for (ListenerConfig listener : config.listeners()) {
      InetSocketAddress address = proxy.listenerAddress(listener.name());
      out.println("listener " + listener.name() + " on " + address.getAddress().getHostAddress()
          + ":" + address.getPort());
    }
    loaded.ads().ifPresent(ads -> out.println("xDS from cluster " + ads.cluster().name()
        + "; /ready answers 200 once the first config from it is applied"));
    out.flush();
    stopRequested.await();
    out.println("outrigger proxy draining for up to " + drainTime.toMillis() + " ms");
    out.flush();
    boolean finished = proxy.drain(drainTime);
    proxy.close();
    out.println(
        finished
            ? "outrigger proxy stopped"
            : "outrigger proxy stopped; the drain time ran out and open connections were closed");
    out.flush();
    return 0;
  }
}
