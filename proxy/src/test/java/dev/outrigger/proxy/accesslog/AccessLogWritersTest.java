package dev.outrigger.proxy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.config.AccessLogConfig;
import dev.outrigger.proxy.config.AccessLogConfig.Format;
import dev.outrigger.proxy.stream.StreamInfo;
import dev.outrigger.proxy.stream.StreamListener;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogWritersTest {
  @TempDir Path dir;

  private static StreamInfo stream(String listener, long bytes) {
    StreamInfo info = new StreamInfo(0, 0, listener, null);
    info.addBytesSent(bytes);
    return info;
  }

  private static AccessLogConfig log(Optional<Path> path, String template) {
    return new AccessLogConfig(path, new Format.Text(template));
  }

  @Test
  void linesArriveInTheFileAndCloseFlushesThem() throws Exception {
    Path file = dir.resolve("access.log");
    AccessLogWriters writers = new AccessLogWriters();
    StreamListener listener = writers.listenerFor(List.of(log(Optional.of(file), "%BYTES_SENT%\n")));
    for (int i = 0; i < 100; i++) {
      listener.onComplete(stream("l", i));
    }
    writers.close();
    assertThat(Files.readAllLines(file)).hasSize(100).startsWith("0", "1").endsWith("99");
    assertThat(writers.droppedLines()).isZero();
  }

  @Test
  void loggersOfOnePathShareOneWriterAndAppendWholeLines() throws Exception {
    Path file = dir.resolve("shared.log");
    Files.writeString(file, "existing\n");
    try (AccessLogWriters writers = new AccessLogWriters()) {
      StreamListener a = writers.listenerFor(List.of(log(Optional.of(file), "a %BYTES_SENT%\n")));
      StreamListener b = writers.listenerFor(List.of(log(Optional.of(dir.resolve(".").resolve("shared.log")), "b %BYTES_SENT%\n")));
      assertThat(writers.openFiles()).isEqualTo(1);
      ExecutorService threads = Executors.newFixedThreadPool(2);
      threads.submit(() -> { for (int i = 0; i < 500; i++) a.onComplete(stream("l", i)); });
      threads.submit(() -> { for (int i = 0; i < 500; i++) b.onComplete(stream("l", i)); });
      threads.shutdown();
      assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(file).size() == 1001);
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines.get(0)).isEqualTo("existing");
    assertThat(lines.subList(1, lines.size())).allMatch(l -> l.matches("[ab] \\d+"));
    assertThat(lines.stream().filter(l -> l.startsWith("a ")).count()).isEqualTo(500);
  }

  @Test
  void stdoutGetsLinesFromEveryLoggerOfAChain() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (AccessLogWriters writers = new AccessLogWriters(out, 16)) {
      StreamListener chain =
          writers.listenerFor(
              List.of(log(Optional.empty(), "one %BYTES_SENT%\n"), log(Optional.empty(), "two %BYTES_SENT%\n")));
      chain.onComplete(stream("l", 7));
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("one 7\ntwo 7\n");
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    OutputStream stalled =
        new OutputStream() {
          @Override
          public void write(int b) {}

          @Override
          public void write(byte[] b, int off, int len) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    AccessLogWriters writers = new AccessLogWriters(stalled, 4);
    try {
      StreamListener listener = writers.listenerFor(List.of(log(Optional.empty(), "x\n")));
      for (int i = 0; i < 20; i++) {
        listener.onComplete(stream("l", i));
      }
      // The writer holds at most one batch (1 + 4) and the queue 4 more: the rest are counted.
      assertThat(writers.droppedLines()).isGreaterThanOrEqualTo(11);
    } finally {
      release.countDown();
      writers.close();
    }
  }
}
