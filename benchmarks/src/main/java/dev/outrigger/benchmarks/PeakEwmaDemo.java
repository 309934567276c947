package dev.outrigger.benchmarks;

import dev.outrigger.proxy.Proxy;
import dev.outrigger.proxy.ProxyOptions;
import dev.outrigger.proxy.bootstrap.BootstrapLoader;
import dev.outrigger.proxy.upstream.NamedUpstreams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * One slow endpoint among four, round robin and least request against peak-EWMA: four JDK HTTP servers on loopback
 * (the first answers {@code delay} ms late), a proxy built from a bootstrap in front of them, and
 * {@code concurrency} clients sending requests back to back through it. After a warm-up, prints
 * each upstream's share of the requests and the latency percentiles the clients saw.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.outrigger.benchmarks.PeakEwmaDemo [seconds] [warmup] [concurrency] [delay]
 * </pre>
 */
public final class PeakEwmaDemo {
  private PeakEwmaDemo() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    long delay = args.length > 3 ? Long.parseLong(args[3]) : 50;
    System.out.printf("4 upstreams, upstream-0 answers %d ms late; %d clients; %d s warm-up, %d s measured%n",
        delay, concurrency, warmup, seconds);
    run("ROUND_ROBIN", "lb_policy: ROUND_ROBIN", seconds, warmup, concurrency, delay);
    // For reference: two choices by active requests alone also notice a slow endpoint, by its queue.
    run("LEAST_REQ", "lb_policy: LEAST_REQUEST", seconds, warmup, concurrency, delay);
    run("PEAK_EWMA", NamedUpstreams.PEAK_EWMA, seconds, warmup, concurrency, delay);
  }

  private static void run(String name, String clusterLb, int seconds, int warmup, int concurrency, long delay)
      throws Exception {
    try (NamedUpstreams upstreams = NamedUpstreams.start(delay, 0, 0, 0)) {
      Proxy proxy = Proxy.start(BootstrapLoader.loadYaml(upstreams.bootstrap(clusterLb, "[]")),
          ProxyOptions.defaults().withThreads(1));
      try {
        URI target = URI.create("http://127.0.0.1:" + proxy.listenerAddress("in").getPort() + "/");
        Load load = new Load(target, concurrency);
        Thread.sleep(warmup * 1000L);
        load.reset();
        Thread.sleep(seconds * 1000L);
        load.report(name, seconds);
        load.stop();
      } finally {
        proxy.close();
      }
    }
  }

  /** Clients sending requests back to back; counts per upstream and a latency histogram. */
  private static final class Load {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, LongAdder> perUpstream = new ConcurrentHashMap<>();
    private final Recorder latencies = new Recorder(3);
    private final List<Thread> clients = new ArrayList<>();
    private volatile boolean running = true;

    Load(URI target, int concurrency) {
      HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10)).build();
      for (int i = 0; i < concurrency; i++) {
        Thread thread = new Thread(() -> {
          while (running) {
            long start = System.nanoTime();
            try {
              String upstream = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
              latencies.recordValue((System.nanoTime() - start) / 1000);
              perUpstream.computeIfAbsent(upstream, u -> new LongAdder()).increment();
            } catch (Exception e) {
              perUpstream.computeIfAbsent("error: " + e.getClass().getSimpleName(), u -> new LongAdder()).increment();
            }
          }
        }, "client-" + i);
        thread.start();
        clients.add(thread);
      }
    }

    void reset() {
      latencies.reset();
      perUpstream.clear();
    }

    void report(String name, int seconds) {
      var histogram = latencies.getIntervalHistogram();
      Map<String, Long> counts = new TreeMap<>();
      perUpstream.forEach((upstream, count) -> counts.put(upstream, count.sum()));
      long total = counts.values().stream().mapToLong(Long::longValue).sum();
      System.out.printf("%-11s %,9d requests (%,.0f/s)  p50 %6.2f ms  p99 %7.2f ms  p99.9 %7.2f ms%n", name, total,
          total / (double) seconds, histogram.getValueAtPercentile(50) / 1000.0,
          histogram.getValueAtPercentile(99) / 1000.0, histogram.getValueAtPercentile(99.9) / 1000.0);
      counts.forEach((upstream, count) -> System.out.printf("            %-12s %6.2f %%  (%,d)%n", upstream,
          100.0 * count / total, count));
    }

    void stop() throws InterruptedException {
      running = false;
      for (Thread thread : clients) {
        thread.join();
      }
    }
  }
}
