package dev.outrigger.proxy.xds;

import java.util.Map;
import java.util.Set;

/**
 * One ADS stream in one protocol variant: turns the client's intents into requests. The client
 * calls it with its lock held, so requests leave in the order the client decided them.
 */
interface AdsStream {
  /**
   * Subscribes {@code names} of {@code type} (empty: the wildcard, for LDS and CDS), replacing the
   * previous subscription.
   *
   * @param held the accepted resources' versions: on a new delta stream, {@code
   *     initial_resource_versions}; SotW sends the type's accepted version instead
   */
  void subscribe(XdsType type, Set<String> names, String acceptedVersion, Map<String, String> held);

  void ack(Update update);

  /** Rejects {@code update}: the type stays at its previously accepted version. */
  void nack(Update update, String acceptedVersion, String message);

  void close();

  /** What the stream tells the client; {@code stream} tells a late callback of an old stream apart. */
  interface Events {
    void onUpdate(AdsStream stream, Update update);

    void onClosed(AdsStream stream, Throwable cause);
  }
}
