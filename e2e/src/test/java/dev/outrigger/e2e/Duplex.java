package dev.outrigger.e2e;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Both directions of one TCP connection at once, as either end: a payload goes out while the
 * peer's comes in. Generous timeouts turn a stalled relay into a failure instead of a hang.
 */
final class Duplex {
  private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

  private Duplex() {}

  /** What one end sent and received. */
  record Traffic(Digest sent, Digest received) {}

  /** One end's part on a connection; it closes the socket when done. */
  @FunctionalInterface
  interface End {
    Traffic run(Socket socket) throws Exception;
  }

  /** Sends {@code payload} and then half-closes, while reading until the peer half-closes. */
  static End halfClosing(Payload payload) {
    return socket ->
        exchange(
            socket,
            payload,
            () -> {
              Digest sent = payload.writeTo(socket.getOutputStream());
              socket.shutdownOutput();
              return sent;
            },
            Long.MAX_VALUE);
  }

  /**
   * Sends {@code payload} while reading exactly {@code expected} bytes, and closes only after
   * both: no FIN crosses the relay while bytes still flow.
   */
  static End counting(Payload payload, long expected) {
    return socket -> exchange(socket, payload, () -> payload.writeTo(socket.getOutputStream()), expected);
  }

  private static Traffic exchange(Socket socket, Payload payload, Callable<Digest> send, long receiveAtMost)
      throws Exception {
    try (socket) {
      socket.setSoTimeout((int) STALL_TIMEOUT.toMillis());
      FutureTask<Digest> sending = new FutureTask<>(send);
      new Thread(sending, "duplex-send-" + socket.getLocalPort()).start();
      Digest received = Digest.of(socket.getInputStream(), receiveAtMost);
      try {
        return new Traffic(sending.get(STALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), received);
      } catch (ExecutionException e) {
        throw new IOException("sending failed after " + payload.digest() + " of " + payload.size()
            + " bytes, having received " + received, e.getCause());
      }
    }
  }
}
