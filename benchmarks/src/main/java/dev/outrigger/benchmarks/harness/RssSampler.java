package dev.outrigger.benchmarks.harness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Samples the resident memory of proxy processes every 100 ms while a load runs; keeps each peak. */
final class RssSampler implements AutoCloseable {
  private static final long PERIOD_MILLIS = 100;
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "rss-sampler");
    thread.setDaemon(true);
    return thread;
  });
  private final List<ProxyInstance> proxies;
  /** Written by the sampler thread only until {@link #close()}, read after. */
  private final Map<String, Long> peakKib = new LinkedHashMap<>();

  RssSampler(List<ProxyInstance> proxies) {
    this.proxies = proxies;
    sampler.scheduleAtFixedRate(this::sample, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void sample() {
    for (ProxyInstance proxy : proxies) {
      peakKib.merge(proxy.name(), proxy.probe().rssKib(), Math::max);
    }
  }

  /** Stops sampling (after one last sample) and returns the peak per process, in KiB. */
  Map<String, Long> peaks() throws InterruptedException {
    close();
    sample();
    return peakKib;
  }

  @Override
  public void close() throws InterruptedException {
    sampler.shutdown();
    sampler.awaitTermination(1, TimeUnit.SECONDS);
  }
}
