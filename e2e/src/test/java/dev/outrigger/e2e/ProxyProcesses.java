package dev.outrigger.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Runs proxy processes for a test class and cleans up after them. Register it on a static field:
 * {@code @RegisterExtension static final ProxyProcesses proxies = new ProxyProcesses();}. A proxy
 * started in {@code @BeforeAll} lives until the class is done, one started in a test until the
 * test is done.
 *
 * <p>Bootstraps and logs are kept in target/proxy-logs, named after the test. A failing test or
 * set-up gets the output of the proxies it ran attached. A proxy that exits although nobody asked
 * it to, or that prints a Netty leak report, fails the test that ran it.
 */
final class ProxyProcesses
    implements BeforeAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        AfterAllCallback,
        TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
  private static final int OUTPUT_TAIL_LINES = 100;

  private final Path logs = Path.of(System.getProperty("outrigger.e2e.logs", "target/proxy-logs"));
  private final List<ProxyProcess> classScoped = new ArrayList<>();
  private final List<ProxyProcess> testScoped = new ArrayList<>();
  private List<ProxyProcess> current = classScoped;
  private String scopeName = "unnamed";
  private int launched;

  /** Starts {@code outrigger proxy --bootstrap <bootstrap> <options>} and waits until it is ready. */
  ProxyProcess start(Bootstrap bootstrap, String... options) throws IOException {
    return start(bootstrap.yaml(), bootstrap.admin(), options);
  }

  /** The same with a bootstrap written out, whose admin server is at {@code admin}. */
  ProxyProcess start(String bootstrapYaml, InetSocketAddress admin, String... options) throws IOException {
    ProxyProcess proxy = launch(bootstrapYaml, options);
    current.add(proxy);
    proxy.awaitReady(admin);
    return proxy;
  }

  /** Runs {@code outrigger proxy --bootstrap <file with bootstrapYaml> <options>} to its end. */
  Exited run(String bootstrapYaml, String... options) throws IOException, InterruptedException {
    ProxyProcess proxy = launch(bootstrapYaml, options);
    OptionalInt code = proxy.awaitExit(RUN_TIMEOUT);
    if (code.isEmpty()) {
      proxy.stop();
      throw new AssertionError("outrigger proxy " + String.join(" ", options) + " still ran after "
          + RUN_TIMEOUT + "; its output:\n" + proxy.output());
    }
    return new Exited(code.getAsInt(), proxy.output());
  }

  /** How a process that ran to its end ended. */
  record Exited(int code, String output) {}

  private ProxyProcess launch(String bootstrapYaml, String... options) throws IOException {
    String name = scopeName + "-" + ++launched;
    Files.createDirectories(logs);
    Path bootstrapFile = logs.resolve(name + ".yaml");
    Files.writeString(bootstrapFile, bootstrapYaml, StandardCharsets.UTF_8);
    List<String> arguments = new ArrayList<>(List.of("--bootstrap", bootstrapFile.toString()));
    arguments.addAll(List.of(options));
    return ProxyProcess.launch(arguments, logs.resolve(name + ".log"));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    scopeName = context.getRequiredTestClass().getSimpleName();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    scopeName = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
    current = testScoped;
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    current = classScoped;
    stopAll(testScoped);
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    stopAll(classScoped);
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw withOutputs(failure);
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw withOutputs(failure);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw withOutputs(failure);
  }

  private Throwable withOutputs(Throwable failure) {
    Stream.concat(classScoped.stream(), testScoped.stream())
        .forEach(proxy -> failure.addSuppressed(new ProxyOutput(proxy)));
    return failure;
  }

  /** Stops every process, then fails if one misbehaved while it ran. */
  private static void stopAll(List<ProxyProcess> proxies) throws InterruptedException {
    List<AssertionError> failures = new ArrayList<>();
    for (ProxyProcess proxy : proxies) {
      boolean exitedUnasked = !proxy.isAlive() && !proxy.terminated();
      proxy.stop();
      if (exitedUnasked) {
        failures.add(new AssertionError(
            "the proxy exited with code " + proxy.exitCode() + " while the test ran", new ProxyOutput(proxy)));
      } else if (proxy.output().contains("LEAK:")) {
        failures.add(new AssertionError("the proxy reported a Netty leak", new ProxyOutput(proxy)));
      }
    }
    proxies.clear();
    if (!failures.isEmpty()) {
      AssertionError first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }

  /** The end of a proxy's output, shown with a failure; the whole of it stays in the log file. */
  private static final class ProxyOutput extends Exception {
    private static final long serialVersionUID = 1L;

    ProxyOutput(ProxyProcess proxy) {
      super(describe(proxy), null, false, false);
    }

    private static String describe(ProxyProcess proxy) {
      List<String> lines = proxy.output().lines().toList();
      List<String> tail = lines.subList(Math.max(0, lines.size() - OUTPUT_TAIL_LINES), lines.size());
      return "output of the proxy (" + (lines.size() > tail.size() ? "last " + tail.size() + " lines, " : "")
          + "all in " + proxy.log().toAbsolutePath() + "):\n" + String.join("\n", tail);
    }
  }
}
