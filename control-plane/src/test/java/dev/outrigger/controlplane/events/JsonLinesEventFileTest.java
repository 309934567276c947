package dev.outrigger.controlplane.events;

import static dev.outrigger.controlplane.events.Events.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON-lines file: one parseable event per line, appended, from many writers at once. */
class JsonLinesEventFileTest {
  @TempDir Path dir;

  @Test
  void appendsOneEventPerLineToWhatIsThere() throws Exception {
    Path file = Files.writeString(dir.resolve("events.jsonl"), CloudEventJson.write(numbered(0)) + "\n");
    JsonLinesEventFile sink = new JsonLinesEventFile(file);

    sink.deliver(numbered(1));
    sink.deliver(numbered(2));

    assertThat(Files.readAllLines(file)).extracting(CloudEventJson::read)
        .containsExactly(numbered(0), numbered(1), numbered(2));
  }

  @Test
  void writersInParallelNeverInterleaveWithinALine() throws Exception {
    Path file = dir.resolve("events.jsonl");
    // Two sinks on one file, as the control plane and ctl are: only the append mode keeps lines whole.
    List<JsonLinesEventFile> writers = List.of(new JsonLinesEventFile(file), new JsonLinesEventFile(file));
    ExecutorService threads = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    for (int t = 0; t < 4; t++) {
      JsonLinesEventFile writer = writers.get(t % 2);
      int first = t * 250;
      threads.execute(() -> {
        try {
          start.await();
          for (int n = first; n < first + 250; n++) {
            writer.deliver(numbered(n));
          }
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
    }
    start.countDown();
    threads.shutdown();
    assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

    assertThat(Files.readAllLines(file)).extracting(CloudEventJson::read)
        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 1000).mapToObj(Events::numbered).toList());
  }

  @Test
  void aFileThatCannotBeWrittenLosesTheEventLoudlyButThrowsNothing() throws Exception {
    Path notAFile = Files.createDirectory(dir.resolve("a-directory"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (EventHub hub = new EventHub(10, 10, registry).sendTo("file", new JsonLinesEventFile(notAFile), 10)) {
      hub.publish(numbered(1));

      await().until(() -> registry.get(EventHub.DROPPED).tag("sink", "file").tag("reason", "failed")
          .counter().count() == 1);
    }
    new JsonLinesEventFile(notAFile).appendingNow().publish(numbered(2));
  }
}
