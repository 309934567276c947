package dev.outrigger.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** One ADS stream from the client side over a real channel: send requests, take responses in order. */
final class StreamClient<Q, R> implements AutoCloseable {
  private final BlockingQueue<R> responses = new LinkedBlockingQueue<>();
  private volatile Status ended;
  private final StreamObserver<Q> requests;

  StreamClient(Function<StreamObserver<R>, StreamObserver<Q>> open) {
    this.requests = open.apply(new StreamObserver<>() {
      @Override
      public void onNext(R response) {
        responses.add(response);
      }

      @Override
      public void onError(Throwable t) {
        ended = Status.fromThrowable(t);
      }

      @Override
      public void onCompleted() {
        ended = Status.OK;
      }
    });
  }

  StreamClient<Q, R> send(Q request) {
    requests.onNext(request);
    return this;
  }

  /** The next response; fails if none comes within a generous bound (a hang, not a speed test). */
  R next() throws InterruptedException {
    R response = responses.poll(30, TimeUnit.SECONDS);
    assertThat(response).as("a response within 30 s (stream status %s)", ended).isNotNull();
    return response;
  }

  /** True if no response is waiting now; meaningful only after a later response was taken. */
  boolean noneWaiting() {
    return responses.isEmpty();
  }

  Status ended() {
    return ended;
  }

  @Override
  public void close() {
    if (ended == null) {
      requests.onCompleted();
    }
  }
}
