package dev.outrigger.proxy.stream;

/**
 * Told once when a request or connection ends. Called on the owning event loop: an implementation
 * must not block (an access log file writer hands lines to its own writer thread).
 */
@FunctionalInterface
public interface StreamListener {
  StreamListener NONE = info -> {};

  void onComplete(StreamInfo info);

  /** Both, this first. */
  default StreamListener andThen(StreamListener next) {
    if (this == NONE) {
      return next;
    }
    if (next == NONE) {
      return this;
    }
    return info -> {
      onComplete(info);
      next.onComplete(info);
    };
  }
}
