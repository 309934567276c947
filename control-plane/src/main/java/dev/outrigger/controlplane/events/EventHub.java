package dev.outrigger.controlplane.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's event log: keeps the last events for {@link #recent()}, hands each event
 * to every subscriber and every sink through their own bounded {@link Mailbox}, read on the
 * hub's threads. Publishing only enqueues, so it never blocks on a reader: a subscriber whose
 * queue is full is cut off (it can re-subscribe and catch up from {@link #recent()}), a sink whose
 * queue is full loses the event, counted in {@code outrigger_events_dropped_total{sink,reason}}.
 *
 * <pre>
 * EventHub events = EventHub.forControlPlane(stateDir.resolve("events.jsonl"), sinkUrlOrNull, registry);
 * Emitter emitter = new Emitter(Emitter.CONTROL_PLANE, clock, events);
 * // adapters: new XdsEvents(emitter), new ResourceEvents(emitter), new CertificateEvents(emitter)
 * // readers:  events.recent(), events.subscribe(listener, ended)
 * </pre>
 */
public final class EventHub implements EventPublisher, EventFeed, AutoCloseable {
  public static final int DEFAULT_WINDOW = 1000;
  public static final int DEFAULT_SUBSCRIBER_QUEUE = 1000;
  public static final int DEFAULT_SINK_QUEUE = 10_000;
  /** Micrometer's name; Prometheus: {@code outrigger_events_dropped_total}. */
  static final String DROPPED = "outrigger.events.dropped";
  /** Long enough for a sink to write what was published before shutdown. */
  private static final long CLOSE_GRACE_SECONDS = 5;
  private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

  private final int window;
  private final int subscriberQueue;
  private final MeterRegistry registry;
  private final AtomicInteger threads = new AtomicInteger();
  private final ExecutorService readers = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "outrigger-events-" + threads.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  });
  // Guarded by this: the order of events is the same in the window and in every queue.
  private final ArrayDeque<CloudEvent> recent = new ArrayDeque<>();
  private final List<Subscriber> subscribers = new ArrayList<>();
  private final List<SinkQueue> sinks = new ArrayList<>();
  private final AtomicInteger subscriptions = new AtomicInteger();
  private boolean closed;

  /**
   * @param window how many events {@link #recent()} keeps
   * @param subscriberQueue how many events a subscriber may lag behind before it is cut off
   */
  public EventHub(int window, int subscriberQueue, MeterRegistry registry) {
    this.window = window;
    this.subscriberQueue = subscriberQueue;
    this.registry = registry;
  }

  /**
   * The control plane's hub with the default bounds, appending every event to {@code file} and,
   * if {@code sink} is not null, POSTing it there.
   */
  public static EventHub forControlPlane(Path file, URI sink, MeterRegistry registry) {
    EventHub hub = new EventHub(DEFAULT_WINDOW, DEFAULT_SUBSCRIBER_QUEUE, registry)
        .sendTo("file", new JsonLinesEventFile(file), DEFAULT_SINK_QUEUE);
    return sink == null ? hub
        : hub.sendTo("http", new HttpEventSink(sink, HttpEventSink.DEFAULT_RETRY), DEFAULT_SINK_QUEUE);
  }

  /** Delivers every event published from now on to {@code sink}; {@code name} labels its metric. */
  public synchronized EventHub sendTo(String name, EventSink sink, int queue) {
    sinks.add(new SinkQueue(name, sink, queue));
    return this;
  }

  @Override
  public synchronized void publish(CloudEvent event) {
    if (closed) {
      return;
    }
    if (recent.size() == window) {
      recent.removeFirst();
    }
    recent.addLast(event);
    for (Iterator<Subscriber> each = subscribers.iterator(); each.hasNext(); ) {
      Subscriber subscriber = each.next();
      if (!subscriber.mailbox.offer(event)) {
        each.remove();
        LOG.warn("events: subscriber {} fell {} events behind; cut off", subscriber.number, subscriberQueue);
        subscriber.end();
      }
    }
    for (SinkQueue sink : sinks) {
      sink.offer(event);
    }
  }

  @Override
  public synchronized List<CloudEvent> recent() {
    return List.copyOf(recent);
  }

  @Override
  public Subscription subscribe(Consumer<CloudEvent> listener) {
    return subscribe(listener, () -> { });
  }

  @Override
  public synchronized Subscription subscribe(Consumer<CloudEvent> listener, Runnable ended) {
    Subscriber subscriber = new Subscriber(subscriptions.incrementAndGet(), listener, ended);
    if (closed) {
      subscriber.end();
    } else {
      subscribers.add(subscriber);
    }
    return subscriber;
  }

  private synchronized void unsubscribe(Subscriber subscriber) {
    subscribers.remove(subscriber);
  }

  /** Ends every subscription and gives the sinks a few seconds to deliver what they have. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      subscribers.forEach(Subscriber::end);
      subscribers.clear();
    }
    readers.shutdown();
    try {
      if (!readers.awaitTermination(CLOSE_GRACE_SECONDS, TimeUnit.SECONDS)) {
        LOG.warn("events: sinks still busy after {} s; stopping them", CLOSE_GRACE_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    readers.shutdownNow();
  }

  /** A sink behind its queue: a full queue or a failed delivery drops the event, counted. */
  private final class SinkQueue {
    private final String name;
    private final EventSink sink;
    private final Mailbox mailbox;
    private final Counter failed;
    private final Counter queueFull;
    /** Log the first drop of a run, not every one: the counter has the number. */
    private boolean dropping;

    SinkQueue(String name, EventSink sink, int queue) {
      this.name = name;
      this.sink = sink;
      this.mailbox = new Mailbox(queue, this::deliver, readers);
      this.failed = dropped("failed");
      this.queueFull = dropped("queue_full");
    }

    private Counter dropped(String reason) {
      return Counter.builder(DROPPED).description("CloudEvents a sink did not deliver")
          .tag("sink", name).tag("reason", reason).register(registry);
    }

    /** On the publisher's thread, under the hub's lock. */
    void offer(CloudEvent event) {
      if (mailbox.offer(event)) {
        dropping = false;
        return;
      }
      queueFull.increment();
      if (!dropping) {
        dropping = true;
        LOG.warn("events: the {} sink is behind (queue full); dropping events until it catches up", name);
      }
    }

    private void deliver(CloudEvent event) throws InterruptedException {
      try {
        sink.deliver(event);
      } catch (IOException e) {
        failed.increment();
        LOG.warn("events: the {} sink lost event {} ({}): {}", name, event.id(), event.type(), e.getMessage());
      }
    }
  }

  private final class Subscriber implements Subscription {
    final int number;
    final Mailbox mailbox;
    private final Runnable ended;
    private final AtomicBoolean over = new AtomicBoolean();

    Subscriber(int number, Consumer<CloudEvent> listener, Runnable ended) {
      this.number = number;
      this.ended = ended;
      this.mailbox = new Mailbox(subscriberQueue, event -> read(listener, event), readers);
    }

    private void read(Consumer<CloudEvent> listener, CloudEvent event) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("events: subscriber {} failed on event {}; cut off", number, event.id(), e);
        unsubscribe(this);
        end();
      }
    }

    /** By the hub: stops reading and tells the reader, off the publisher's thread. */
    void end() {
      mailbox.stop();
      if (!over.compareAndSet(false, true)) {
        return;
      }
      try {
        readers.execute(ended);
      } catch (RejectedExecutionException e) {
        ended.run();
      }
    }

    @Override
    public void close() {
      over.set(true);
      unsubscribe(this);
      mailbox.stop();
    }
  }
}
