package dev.outrigger.proxy.stream;

/**
 * Told when a request or connection starts and once when it ends. Called on the owning event loop:
 * an implementation must not block (an access log file writer hands lines to its own writer
 * thread).
 */
@FunctionalInterface
public interface StreamListener {
  StreamListener NONE = info -> {};

  void onComplete(StreamInfo info);

  /**
   * The request or connection began (HTTP: request headers arrived; TCP: connection accepted).
   * The data plane calls it for every stream it will later {@link #onComplete complete}: metrics
   * count active streams as started minus completed.
   */
  default void onStart(StreamInfo info) {}

  /** Both, this first. */
  default StreamListener andThen(StreamListener next) {
    if (this == NONE) {
      return next;
    }
    if (next == NONE) {
      return this;
    }
    StreamListener first = this;
    return new StreamListener() {
      @Override
      public void onStart(StreamInfo info) {
        first.onStart(info);
        next.onStart(info);
      }

      @Override
      public void onComplete(StreamInfo info) {
        first.onComplete(info);
        next.onComplete(info);
      }
    };
  }
}
