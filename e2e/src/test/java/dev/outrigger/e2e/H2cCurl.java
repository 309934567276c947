package dev.outrigger.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * curl as an HTTP/2 client without TLS and with prior knowledge (h2c), which the JDK's client
 * cannot be: it only reaches HTTP/2 on plain text through an Upgrade that may silently stay on
 * HTTP/1.1. Bodies stream through curl's stdin and stdout.
 */
final class H2cCurl {
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);
  /** curl writes the protocol and status it got to stderr, where nothing else goes unless it fails. */
  private static final String STATUS_OUT = "%{stderr}HTTP/%{http_version} %{http_code}";
  static final String OK = "HTTP/2 200";

  private H2cCurl() {}

  /** What curl reported on stderr ({@link #OK} when all went well), and the response body. */
  record Outcome<B>(String status, B body) {}

  /** {@code GET uri}, digesting the body as it arrives. */
  static Outcome<Digest> download(URI uri) throws IOException, InterruptedException {
    Process curl = start(uri, List.of());
    Digest received;
    try (InputStream body = curl.getInputStream()) {
      received = Digest.of(body);
    }
    return new Outcome<>(finish(curl), received);
  }

  /** {@code PUT uri} with the payload as the body, with or without {@code content-length}. */
  static Outcome<String> upload(URI uri, Payload payload, Framing framing) throws IOException, InterruptedException {
    List<String> options = new ArrayList<>(List.of("--upload-file", "-"));
    if (framing == Framing.LENGTH) {
      options.addAll(List.of("--header", "content-length: " + payload.size()));
    }
    Process curl = start(uri, options);
    try (OutputStream body = curl.getOutputStream()) {
      payload.writeTo(body);
    } catch (IOException curlStoppedReading) {
      // curl gave up; its exit status and stderr below say why.
    }
    String response = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Outcome<>(finish(curl), response);
  }

  private static Process start(URI uri, List<String> options) throws IOException {
    List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--http2-prior-knowledge"));
    command.addAll(options);
    command.addAll(List.of("--write-out", STATUS_OUT, uri.toString()));
    return new ProcessBuilder(command).start();
  }

  /** Waits for curl to exit; returns its stderr, with the exit code when it failed. */
  private static String finish(Process curl) throws IOException, InterruptedException {
    String stderr = new String(curl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!curl.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      curl.destroyForcibly();
      return stderr + " (curl still ran after " + EXIT_TIMEOUT + ")";
    }
    return curl.exitValue() == 0 ? stderr : stderr + " (curl exit code " + curl.exitValue() + ")";
  }
}
