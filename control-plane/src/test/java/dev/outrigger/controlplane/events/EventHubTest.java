package dev.outrigger.controlplane.events;

import static dev.outrigger.controlplane.events.Events.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The hub: window, fan-out off the publisher's thread, slow readers cut off, sinks that drop and count. */
@Timeout(60)
class EventHubTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final EventHub hub = new EventHub(3, 2, registry);
  /** Opened by the test to let a blocked reader go on. */
  final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() {
    release.countDown();
    hub.close();
  }

  @Test
  void keepsTheLastEventsOldestFirst() {
    for (int n = 1; n <= 5; n++) {
      hub.publish(numbered(n));
    }

    assertThat(hub.recent()).containsExactly(numbered(3), numbered(4), numbered(5));
  }

  @Test
  void subscribersGetEveryLaterEventInOrderOnAnotherThread() {
    EventHub roomy = new EventHub(3, 100, registry);
    roomy.publish(numbered(0));
    List<CloudEvent> received = new CopyOnWriteArrayList<>();
    List<Thread> threads = new CopyOnWriteArrayList<>();
    roomy.subscribe(event -> {
      received.add(event);
      threads.add(Thread.currentThread());
    });

    IntStream.rangeClosed(1, 50).forEach(n -> roomy.publish(numbered(n)));

    await().until(() -> received.size() == 50);
    assertThat(received).containsExactlyElementsOf(IntStream.rangeClosed(1, 50).mapToObj(Events::numbered).toList());
    assertThat(threads).doesNotContain(Thread.currentThread());
    roomy.close();
  }

  @Test
  void aSubscriberThatFallsBehindIsCutOffWithoutSlowingPublishersOrOtherReaders() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    List<CloudEvent> slow = new CopyOnWriteArrayList<>();
    CountDownLatch slowEnded = new CountDownLatch(1);
    hub.subscribe(event -> {
      slow.add(event);
      reading.countDown();
      awaitRelease();
    }, slowEnded::countDown);
    List<CloudEvent> fast = new CopyOnWriteArrayList<>();
    AtomicInteger fastEnded = new AtomicInteger();
    hub.subscribe(fast::add, fastEnded::incrementAndGet);

    hub.publish(numbered(1));
    assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();
    // One at a time, so that the fast reader's queue of 2 never fills.
    for (int n = 2; n <= 3; n++) {
      hub.publish(numbered(n));
      int published = n;
      await().until(() -> fast.size() == published);
    }
    hub.publish(numbered(4)); // the slow reader's queue (e2, e3) is full: cut off, not waited for

    assertThat(slowEnded.await(30, TimeUnit.SECONDS)).isTrue();
    release.countDown();
    hub.publish(numbered(5));
    await().until(() -> fast.size() == 5);
    assertThat(fast).extracting(CloudEvent::id).containsExactly("e1", "e2", "e3", "e4", "e5");
    assertThat(slow).containsExactly(numbered(1));
    assertThat(fastEnded).hasValue(0);
  }

  @Test
  void aSubscriberThatThrowsIsCutOff() throws Exception {
    CountDownLatch ended = new CountDownLatch(1);
    hub.subscribe(event -> {
      throw new IllegalStateException("broken reader");
    }, ended::countDown);

    hub.publish(numbered(1));

    assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aClosedSubscriptionGetsNothingMoreAndIsNotToldItEnded() {
    List<CloudEvent> received = new CopyOnWriteArrayList<>();
    AtomicInteger ended = new AtomicInteger();
    hub.subscribe(received::add, ended::incrementAndGet).close();
    List<CloudEvent> other = new CopyOnWriteArrayList<>();
    hub.subscribe(other::add);

    hub.publish(numbered(1));
    await().until(() -> other.size() == 1);
    hub.close();

    assertThat(received).isEmpty();
    assertThat(ended).hasValue(0);
  }

  @Test
  void closingEndsEverySubscriptionAndLaterEventsAreIgnored() throws Exception {
    CountDownLatch ended = new CountDownLatch(2);
    hub.subscribe(event -> { }, ended::countDown);
    hub.publish(numbered(1));

    hub.close();
    hub.subscribe(event -> { }, ended::countDown);
    hub.publish(numbered(2));

    assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(hub.recent()).containsExactly(numbered(1));
  }

  @Test
  void aSinkBehindLosesEventsAndCountsThem() throws Exception {
    CountDownLatch delivering = new CountDownLatch(1);
    List<CloudEvent> delivered = new CopyOnWriteArrayList<>();
    hub.sendTo("slow", event -> {
      delivered.add(event);
      delivering.countDown();
      release.await();
    }, 1);

    hub.publish(numbered(1));
    assertThat(delivering.await(30, TimeUnit.SECONDS)).isTrue();
    hub.publish(numbered(2)); // queued
    hub.publish(numbered(3)); // dropped
    hub.publish(numbered(4)); // dropped
    release.countDown();

    await().until(() -> delivered.size() == 2);
    assertThat(delivered).containsExactly(numbered(1), numbered(2));
    assertThat(dropped("slow", "queue_full")).isEqualTo(2);
    assertThat(dropped("slow", "failed")).isZero();
  }

  @Test
  void aFailedDeliveryIsCountedAndTheNextEventStillGoes() {
    List<CloudEvent> delivered = new CopyOnWriteArrayList<>();
    hub.sendTo("flaky", event -> {
      if (event.id().equals("e1")) {
        throw new IOException("refused");
      }
      delivered.add(event);
    }, 10);

    hub.publish(numbered(1));
    hub.publish(numbered(2));

    await().until(() -> delivered.size() == 1);
    assertThat(dropped("flaky", "failed")).isEqualTo(1);
  }

  @Test
  void emittedEventsHaveUniqueIdsTheSourceAndTheClocksTime() {
    EventHub big = new EventHub(1000, 10, registry);
    Clock clock = Clock.fixed(numbered(0).time(), java.time.ZoneOffset.UTC);
    Emitter emitter = new Emitter(Emitter.CONTROL_PLANE, clock, big);
    for (int n = 0; n < 1000; n++) {
      emitter.emit("dev.outrigger.test", null, null);
    }

    assertThat(big.recent()).extracting(CloudEvent::id).doesNotHaveDuplicates().hasSize(1000);
    assertThat(big.recent()).allSatisfy(event -> {
      assertThat(event.source()).isEqualTo("//outrigger/control-plane");
      assertThat(event.time()).isEqualTo(clock.instant());
    });
    big.close();
  }

  private double dropped(String sink, String reason) {
    return registry.get(EventHub.DROPPED).tag("sink", sink).tag("reason", reason).counter().count();
  }

  private void awaitRelease() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
