package dev.outrigger.controlplane.events;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * POSTs each event to an HTTP endpoint in the CloudEvents HTTP binding's structured mode (the
 * body is the JSON event, {@code Content-Type: application/cloudevents+json}). A connection
 * failure, a 5xx or a 429 is retried after a backoff that doubles; another status, or the last
 * failure, loses the event (the hub counts it).
 */
public final class HttpEventSink implements EventSink {
  /** @param attempts tries per event, the first included; {@code firstBackoff} doubles after each */
  public record Retry(int attempts, Duration firstBackoff) {
    public Retry {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be >= 1");
      }
    }
  }

  /** Four tries over about 1.4 s: rides out a sink's restart, not an outage. */
  public static final Retry DEFAULT_RETRY = new Retry(4, Duration.ofMillis(200));
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final URI uri;
  private final Retry retry;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

  public HttpEventSink(URI uri, Retry retry) {
    this.uri = uri;
    this.retry = retry;
  }

  @Override
  public void deliver(CloudEvent event) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", CloudEventJson.MEDIA_TYPE)
        .POST(HttpRequest.BodyPublishers.ofString(CloudEventJson.write(event), StandardCharsets.UTF_8))
        .build();
    Duration backoff = retry.firstBackoff();
    for (int attempt = 1; ; attempt++) {
      String failure = post(request);
      if (failure == null) {
        return;
      }
      if (attempt == retry.attempts()) {
        throw new IOException(failure + " (after " + attempt + " attempts)");
      }
      Thread.sleep(backoff.toMillis());
      backoff = backoff.multipliedBy(2);
    }
  }

  /** Null once delivered; why not, if worth another try; throws if the sink refused it. */
  private String post(HttpRequest request) throws IOException, InterruptedException {
    int status;
    try {
      status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return "POST " + uri + ": " + e;
    }
    if (status / 100 == 2) {
      return null;
    }
    String failure = uri + " answered " + status;
    if (!retryable(status)) {
      throw new IOException(failure);
    }
    return failure;
  }

  /** The sink may take the event later: overloaded, restarting, or asking us to slow down. */
  private static boolean retryable(int status) {
    return status / 100 == 5 || status == 429;
  }
}
