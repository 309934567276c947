package dev.outrigger.proxy;

import dev.outrigger.proxy.identity.IdentitySource;
import java.time.Duration;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * How a proxy runs, apart from its config.
 *
 * @param threads event loops of the data plane
 * @param drainTime how long a drain started from the admin server lets connections finish
 * @param exit ends the process after {@code POST /shutdown}; tests pass their own
 * @param identitySource makes the source that fills the SDS secrets {@code default} and {@code
 *     ROOTCA}; the proxy makes, starts and closes it
 */
public record ProxyOptions(
    int threads, Duration drainTime, IntConsumer exit, Optional<IdentitySource.Factory> identitySource) {
  public static final Duration DEFAULT_DRAIN_TIME = Duration.ofSeconds(10);

  public static ProxyOptions defaults() {
    return new ProxyOptions(
        Runtime.getRuntime().availableProcessors(), DEFAULT_DRAIN_TIME, System::exit, Optional.empty());
  }

  public ProxyOptions withThreads(int threads) {
    return new ProxyOptions(threads, drainTime, exit, identitySource);
  }

  public ProxyOptions withDrainTime(Duration drainTime) {
    return new ProxyOptions(threads, drainTime, exit, identitySource);
  }

  public ProxyOptions withExit(IntConsumer exit) {
    return new ProxyOptions(threads, drainTime, exit, identitySource);
  }

  public ProxyOptions withIdentitySource(IdentitySource.Factory source) {
    return new ProxyOptions(threads, drainTime, exit, Optional.of(source));
  }

  /** A source made beforehand; its meters, if any, are its own. */
  public ProxyOptions withIdentitySource(IdentitySource source) {
    return withIdentitySource(registry -> source);
  }
}
