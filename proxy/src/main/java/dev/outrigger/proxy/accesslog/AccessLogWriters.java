package dev.outrigger.proxy.accesslog;

import dev.outrigger.proxy.config.AccessLogConfig;
import dev.outrigger.proxy.stream.StreamListener;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's access log outputs: standard output and one appender per file path, shared by every
 * logger that names the path. Event loops only offer lines to a bounded queue; one background
 * thread writes them, so a slow disk never stalls a request. When the queue is full the line is
 * dropped and counted ({@link #droppedLines}). {@link #close} writes out what is queued, flushes
 * and closes the files.
 */
public final class AccessLogWriters implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AccessLogWriters.class);
  private static final int DEFAULT_QUEUE_LINES = 16 * 1024;
  private static final Line END = new Line(null, null);

  /** A queued line and where it goes; {@link #END} stops the writer. */
  private record Line(Output output, String text) {}

  private final BlockingQueue<Line> queue;
  private final Output stdout;
  private final Map<Path, Output> files = new ConcurrentHashMap<>();
  private final LongAdder dropped = new LongAdder();
  private final Thread writer;
  private volatile boolean closed;

  public AccessLogWriters() {
    this(System.out, DEFAULT_QUEUE_LINES);
  }

  AccessLogWriters(OutputStream stdout, int queueLines) {
    this.queue = new ArrayBlockingQueue<>(queueLines);
    this.stdout = new Output("stdout", stdout, false);
    this.writer = new Thread(this::writeUntilClosed, "outrigger-access-log");
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * One listener that writes every access log of a filter chain. Formats are compiled and files
   * opened here, at config time, so a bad format or an unwritable path fails the config.
   */
  public StreamListener listenerFor(List<AccessLogConfig> logs) {
    StreamListener all = StreamListener.NONE;
    for (AccessLogConfig config : logs) {
      AccessLogFormat format = AccessLogFormat.compile(config.format());
      Output output = output(config.path());
      all = all.andThen(info -> offer(output, format.format(info)));
    }
    return all;
  }

  /** Lines lost because the queue was full or the writers were closed. */
  public long droppedLines() {
    return dropped.sum();
  }

  /** How many distinct files are open (one per path, however many loggers use it). */
  int openFiles() {
    return files.size();
  }

  private Output output(Optional<Path> path) {
    if (path.isEmpty()) {
      return stdout;
    }
    return files.computeIfAbsent(path.get().toAbsolutePath().normalize(), Output::append);
  }

  private void offer(Output output, String line) {
    if (closed || !queue.offer(new Line(output, line))) {
      dropped.increment();
    }
  }

  private void writeUntilClosed() {
    List<Line> batch = new ArrayList<>();
    try {
      while (true) {
        batch.add(queue.take());
        queue.drainTo(batch);
        for (Line line : batch) {
          if (line == END) {
            flushAll();
            files.values().forEach(Output::close);
            return;
          }
          line.output().write(line.text());
        }
        batch.clear();
        flushAll();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void flushAll() {
    stdout.flush();
    files.values().forEach(Output::flush);
  }

  /** Stops taking lines, writes the queued ones, flushes and closes the files. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      // The writer keeps draining, so the queue makes room for END promptly.
      if (!queue.offer(END, 10, TimeUnit.SECONDS)) {
        log.warn("access log writer is stuck; queued lines may be lost");
        writer.interrupt();
      }
      writer.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One destination; written only by the writer thread. */
  private static final class Output {
    private final String name;
    private final OutputStream out;
    private final boolean owned;
    private boolean failed;

    Output(String name, OutputStream out, boolean owned) {
      this.name = name;
      this.out = out;
      this.owned = owned;
    }

    static Output append(Path path) {
      try {
        OutputStream out =
            Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return new Output(path.toString(), new BufferedOutputStream(out, 64 * 1024), true);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open access log " + path, e);
      }
    }

    void write(String line) {
      try {
        out.write(line.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        reportOnce(e);
      }
    }

    void flush() {
      try {
        out.flush();
      } catch (IOException e) {
        reportOnce(e);
      }
    }

    void close() {
      if (owned) {
        try {
          out.close();
        } catch (IOException e) {
          reportOnce(e);
        }
      }
    }

    private void reportOnce(IOException e) {
      if (!failed) {
        failed = true;
        log.warn("access log {} failed: {}", name, e.toString());
      }
    }
  }
}
