package dev.outrigger.controlplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * ctl's side of the admin API: its JSON over HTTP/1.1 on the control plane's admin port, with the
 * JDK's client. Every failure is a {@link Failure} carrying the exit code it means.
 */
final class AdminClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
  private final String server;
  private final URI base;

  /** @param server {@code HOST:PORT}, or a URL {@code http://HOST:PORT} */
  AdminClient(String server) {
    this.server = server;
    try {
      this.base = URI.create(server.contains("://") ? server : "http://" + server);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--server " + server + ": expected HOST:PORT");
    }
    if (base.getHost() == null || base.getPort() < 0) {
      throw new IllegalArgumentException("--server " + server + ": expected HOST:PORT");
    }
  }

  /** A failed request: what to print and the exit code it means. */
  static final class Failure extends RuntimeException {
    private final int exitCode;

    Failure(int exitCode, String message) {
      super(message);
      this.exitCode = exitCode;
    }

    int exitCode() {
      return exitCode;
    }
  }

  /** GETs {@code path} into {@code response}. */
  <B extends Message.Builder> B get(String path, B response) {
    return parse(send(request(path).GET().build(), false), response);
  }

  /**
   * POSTs {@code body} to {@code path} into {@code response}; a 422 (the request was understood
   * and rejected) carries a response too, with its problems.
   */
  <B extends Message.Builder> B post(String path, Message body, B response) {
    HttpRequest request;
    try {
      request = request(path).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(PRINTER.print(body))).build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("every message prints", e);
    }
    return parse(send(request, true), response);
  }

  /** POSTs one CloudEvents JSON event to {@code /v1/events}, for the control plane to publish. */
  void publish(String cloudEventJson) {
    send(request("/v1/events").header("Content-Type", "application/cloudevents+json")
        .POST(HttpRequest.BodyPublishers.ofString(cloudEventJson)).build(), false);
  }

  /** GETs {@code path} and hands each non-empty line to {@code lines} as it comes, until the response ends. */
  void lines(String path, Consumer<String> lines) {
    HttpResponse<InputStream> response;
    try {
      response = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(ExitCodes.FAILED, "interrupted");
    }
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      if (response.statusCode() != 200) {
        throw error(response.statusCode(), reader.lines().reduce("", String::concat));
      }
      reader.lines().filter(line -> !line.isBlank()).forEach(lines);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new Failure(ExitCodes.UNREACHABLE, "the control plane at " + server + " ended the stream: "
          + e.getMessage());
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).header("Accept", "application/json");
  }

  private HttpResponse<String> send(HttpRequest request, boolean rejectionHasBody) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(ExitCodes.FAILED, "interrupted");
    }
    int status = response.statusCode();
    if (status / 100 == 2 || (status == 422 && rejectionHasBody)) {
      return response;
    }
    throw error(status, response.body());
  }

  private static <B extends Message.Builder> B parse(HttpResponse<String> response, B into) {
    try {
      PARSER.merge(response.body(), into);
    } catch (InvalidProtocolBufferException e) {
      throw new Failure(ExitCodes.FAILED, "unexpected answer from the control plane: " + e.getMessage());
    }
    return into;
  }

  private Failure unreachable(IOException e) {
    return new Failure(ExitCodes.UNREACHABLE, "cannot reach the control plane at " + server + " ("
        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
        + "); is it running? Set --server or OUTRIGGER_CONTROL_PLANE");
  }

  /** The admin API's error body ({@code code}, {@code message}) as an exit code and a line. */
  private Failure error(int status, String body) {
    String code = "";
    String message = body.strip();
    try {
      JsonNode error = JSON.readTree(body);
      code = error.path("code").asText();
      message = error.path("message").asText(message);
    } catch (IOException e) {
      // not the admin API's error body: show it as it is
    }
    int exit;
    switch (code) {
      case "INVALID_ARGUMENT":
      case "NOT_FOUND":
        exit = ExitCodes.INVALID;
        break;
      case "PERMISSION_DENIED":
      case "FAILED_PRECONDITION":
        exit = ExitCodes.REFUSED;
        break;
      default:
        exit = ExitCodes.FAILED;
    }
    return new Failure(exit, "control plane at " + server + ": " + message + " (HTTP " + status + ")");
  }
}
