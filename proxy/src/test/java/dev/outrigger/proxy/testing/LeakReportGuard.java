package dev.outrigger.proxy.testing;

import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a leaked reference-counted object while it ran.
 *
 * <p>Registered for every test class by JUnit's extension autodetection (see
 * META-INF/services/org.junit.jupiter.api.extension.Extension). Netty only logs leaks, and only
 * when a later allocation happens to poll its queue after a GC; this guard records every report
 * and, after each class, forces one: a GC, then allocations until a deliberately dropped canary
 * buffer has been reported, which proves that everything unreachable before it was seen too.
 *
 * <p>Netty's detectors are created once, when the buffer classes initialize, so the factory is
 * installed when this class loads, before any test runs. Should Netty have come first, the canary
 * is never reported and the check fails saying the guard is blind, rather than passing silently.
 */
public final class LeakReportGuard implements AfterAllCallback {
  private static final Duration DETECTION_TIMEOUT = Duration.ofSeconds(10);
  private static final Queue<LeakReport> reports = new ConcurrentLinkedQueue<>();

  static {
    // Paranoid tracks every buffer, so a report always says where the buffer was last touched.
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
  }

  /** One leak as Netty reported it; {@code records} says where the object was last touched. */
  public record LeakReport(String resourceType, String records) {
    @Override
    public String toString() {
      return "LEAK of " + resourceType + (records.isEmpty() ? " (no access records)" : ":" + records);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<LeakReport> leaks = detectLeaks();
    if (!leaks.isEmpty()) {
      StringBuilder message =
          new StringBuilder(leaks.size() + " Netty leak report(s) while running ")
              .append(context.getDisplayName());
      leaks.forEach(leak -> message.append("\n\n").append(leak));
      throw new AssertionError(message);
    }
  }

  /**
   * Makes Netty look for leaks now, and returns every leak reported since the previous call. Two
   * rounds, each a GC and allocations until its canary shows: the second catches references that
   * the first GC found but the JVM had not yet queued when the first canary was reported.
   */
  public static List<LeakReport> detectLeaks() {
    awaitCanaryReport();
    awaitCanaryReport();
    List<LeakReport> drained = new ArrayList<>();
    for (LeakReport report; (report = reports.poll()) != null; ) {
      drained.add(report);
    }
    return drained;
  }

  private static void awaitCanaryReport() {
    String canary = "leak-guard-canary-" + UUID.randomUUID();
    dropCanary(canary);
    await("Netty to report the leak guard's canary buffer: if it never does, either Netty's leak"
            + " detector was created before LeakReportGuard installed its factory, or System.gc() is"
            + " disabled (-XX:+DisableExplicitGC); either way leaks would go unseen")
        .atMost(DETECTION_TIMEOUT)
        .pollInSameThread()
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              System.gc();
              pollLeakQueue();
              return reports.removeIf(report -> report.records().contains(canary));
            });
  }

  /** Allocates a buffer that is never released, marked so that its report can be told apart. */
  private static void dropCanary(String canary) {
    ByteBufAllocator.DEFAULT.heapBuffer(1).touch(canary);
  }

  /** Netty drains its queue of collected, unreleased buffers when it tracks a new buffer. */
  private static void pollLeakQueue() {
    ByteBufAllocator.DEFAULT.heapBuffer(1).release();
    ByteBufAllocator.DEFAULT.directBuffer(1).release();
  }

  private static final class RecordingFactory extends ResourceLeakDetectorFactory {
    // Deprecated but abstract: every other factory method of Netty's ends up here.
    @SuppressWarnings("deprecation")
    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval, long maxActive) {
      return new RecordingDetector<>(resource, samplingInterval);
    }
  }

  private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
    RecordingDetector(Class<T> resource, int samplingInterval) {
      super(resource, samplingInterval);
    }

    /** Report even when the logger is off: the record, not the log line, fails the test. */
    @Override
    protected boolean needReport() {
      return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
      reports.add(new LeakReport(resourceType, records));
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
      reports.add(new LeakReport(resourceType, ""));
    }
  }
}
