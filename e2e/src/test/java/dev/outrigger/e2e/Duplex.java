package dev.outrigger.e2e;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Both directions of one TCP connection at once, as either end: sends a payload and then
 * half-closes, while reading until the peer half-closes. Generous timeouts turn a stalled relay
 * into a failure instead of a hang.
 */
final class Duplex {
  private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

  private Duplex() {}

  /** What one end sent and received. */
  record Traffic(Digest sent, Digest received) {}

  /** Runs both directions on {@code socket} to their ends, then closes it. */
  static Traffic exchange(Socket socket, Payload payload)
      throws IOException, InterruptedException, TimeoutException {
    try (socket) {
      socket.setSoTimeout((int) STALL_TIMEOUT.toMillis());
      FutureTask<Digest> sending =
          new FutureTask<>(
              () -> {
                Digest sent = payload.writeTo(socket.getOutputStream());
                socket.shutdownOutput();
                return sent;
              });
      new Thread(sending, "duplex-send-" + socket.getLocalPort()).start();
      Digest received = Digest.of(socket.getInputStream());
      try {
        return new Traffic(sending.get(STALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), received);
      } catch (ExecutionException e) {
        throw new IOException("sending failed after " + payload.digest() + " of " + payload.size()
            + " bytes, having received " + received + " until the peer closed", e.getCause());
      }
    }
  }
}
