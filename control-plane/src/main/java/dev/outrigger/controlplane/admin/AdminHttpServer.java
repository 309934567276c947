package dev.outrigger.controlplane.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import dev.outrigger.controlplane.events.CloudEvent;
import dev.outrigger.controlplane.events.CloudEventJson;
import com.sun.net.httpserver.HttpServer;
import dev.outrigger.api.admin.v1.ApplyRequest;
import dev.outrigger.api.admin.v1.ApplyResponse;
import dev.outrigger.api.admin.v1.DeleteRequest;
import dev.outrigger.api.admin.v1.DeleteResponse;
import dev.outrigger.api.admin.v1.DescribeProxyRequest;
import dev.outrigger.api.admin.v1.GetResourceRequest;
import dev.outrigger.api.admin.v1.ListResourcesRequest;
import dev.outrigger.api.admin.v1.ResourceRef;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin port (15014): the admin API as JSON over HTTP/1.1 (request and response bodies are
 * the gRPC messages in protobuf's JSON mapping), {@code /healthz} and {@code /metrics}. The JDK's
 * HTTP server: operator traffic is rare and small, and a blocking handler per request keeps the
 * streaming {@code /v1/events?follow=true} simple (each stream holds one thread, so at most
 * {@value #MAX_FOLLOWERS} are open at once).
 *
 * <pre>
 * POST /v1/apply                       ApplyRequest  → ApplyResponse (422 when rejected)
 * POST /v1/delete                      DeleteRequest → DeleteResponse (422 when rejected)
 * GET  /v1/resources[/GROUP]           ?namespace=NS → ListResourcesResponse
 * GET  /v1/resources/KIND/[NS/]NAME    → MeshResource
 * GET  /v1/proxies                     → ListProxiesResponse
 * GET  /v1/proxies/NODE_ID             → ProxyDescription
 * GET  /v1/events[?follow=true]        → CloudEvents JSON, one per line (chunked)
 * </pre>
 * Errors are {@code {"code": "NOT_FOUND", "message": "..."}} with the matching HTTP status.
 */
public final class AdminHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminHttpServer.class);
  private static final int MAX_BODY = 8 * 1024 * 1024;
  /** Each event stream holds a thread; more than this many is an operator error or an attack. */
  private static final int MAX_FOLLOWERS = 64;
  private static final JsonFormat.Printer JSON = JsonFormat.printer();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser();
  private static final ObjectMapper ERRORS = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService handlers;
  private final AdminApi api;
  private final PrometheusMeterRegistry metrics;
  private final Set<EventLines> followers = ConcurrentHashMap.newKeySet();

  private AdminHttpServer(HttpServer server, ExecutorService handlers, AdminApi api,
      PrometheusMeterRegistry metrics) {
    this.server = server;
    this.handlers = handlers;
    this.api = api;
    this.metrics = metrics;
  }

  /** Binds {@code address} (port 0: any free port) and serves until {@link #close()}. */
  public static AdminHttpServer start(InetSocketAddress address, AdminApi api,
      PrometheusMeterRegistry metrics) throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    ExecutorService handlers = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "outrigger-admin-http");
      thread.setDaemon(true);
      return thread;
    });
    AdminHttpServer admin = new AdminHttpServer(server, handlers, api, metrics);
    server.setExecutor(handlers);
    server.createContext("/", admin::handle);
    server.start();
    return admin;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      route(exchange);
    } catch (StatusRuntimeException e) {
      error(exchange, e.getStatus());
    } catch (InvalidProtocolBufferException e) {
      error(exchange, Status.INVALID_ARGUMENT.withDescription("invalid request body: " + e.getMessage()));
    } catch (IOException e) {
      log.debug("admin request {} ended: {}", exchange.getRequestURI(), e.toString());
    } catch (RuntimeException e) {
      log.error("admin request {} failed", exchange.getRequestURI(), e);
      error(exchange, Status.INTERNAL.withDescription(e.toString()));
    } finally {
      exchange.close();
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    List<String> segments = List.of(path.replaceAll("^/+|/+$", "").split("/+"));
    if (path.equals("/healthz")) {
      allow(method, "GET");
      text(exchange, 200, "text/plain; charset=utf-8", "ok\n");
    } else if (path.equals("/metrics")) {
      allow(method, "GET");
      text(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
    } else if (path.equals("/v1/apply")) {
      allow(method, "POST");
      ApplyRequest.Builder request = ApplyRequest.newBuilder();
      PARSER.merge(body(exchange), request);
      ApplyResponse response = api.apply(request.build(), exchange.getRemoteAddress());
      json(exchange, response.getProblemsCount() == 0 ? 200 : 422, response);
    } else if (path.equals("/v1/delete")) {
      allow(method, "POST");
      DeleteRequest.Builder request = DeleteRequest.newBuilder();
      PARSER.merge(body(exchange), request);
      DeleteResponse response = api.delete(request.build(), exchange.getRemoteAddress());
      json(exchange, response.getProblemsCount() == 0 ? 200 : 422, response);
    } else if (segments.get(0).equals("v1") && segments.size() >= 2
        && segments.get(1).equals("resources")) {
      allow(method, "GET");
      resources(exchange, segments.subList(2, segments.size()), query);
    } else if (path.equals("/v1/proxies")) {
      allow(method, "GET");
      json(exchange, 200, api.listProxies());
    } else if (path.startsWith("/v1/proxies/")) {
      allow(method, "GET");
      String nodeId = path.substring("/v1/proxies/".length());
      json(exchange, 200, api.describeProxy(DescribeProxyRequest.newBuilder().setNodeId(nodeId).build()));
    } else if (path.equals("/v1/events") && method.equals("POST")) {
      CloudEvent event;
      try {
        event = CloudEventJson.read(body(exchange));
      } catch (IllegalArgumentException e) {
        throw Status.INVALID_ARGUMENT.withDescription("not a CloudEvent: " + e.getMessage()).asRuntimeException();
      }
      api.publish(event, exchange.getRemoteAddress());
      text(exchange, 202, "text/plain; charset=utf-8", "published\n");
    } else if (path.equals("/v1/events")) {
      allow(method, "GET");
      EventLines lines = new EventLines(api.events(), flag(query.get("follow")));
      if (followers.size() >= MAX_FOLLOWERS) {
        throw Status.RESOURCE_EXHAUSTED.withDescription(MAX_FOLLOWERS + " event streams are open already")
            .asRuntimeException();
      }
      followers.add(lines);
      try {
        lines.writeTo(exchange);
      } finally {
        followers.remove(lines);
      }
    } else {
      throw Status.NOT_FOUND.withDescription("no such admin endpoint: " + path).asRuntimeException();
    }
  }

  private void resources(HttpExchange exchange, List<String> rest, Map<String, String> query)
      throws IOException {
    if (rest.size() <= 1) {
      json(exchange, 200, api.listResources(ListResourcesRequest.newBuilder()
          .setKind(rest.isEmpty() ? "" : rest.get(0)).setNamespace(query.getOrDefault("namespace", "")).build()));
      return;
    }
    ResourceRef.Builder ref = ResourceRef.newBuilder().setKind(rest.get(0)).setName(rest.get(rest.size() - 1));
    if (rest.size() == 3) {
      ref.setNamespace(rest.get(1));
    } else if (rest.size() > 3) {
      throw Status.NOT_FOUND.withDescription("expected /v1/resources/KIND/[NAMESPACE/]NAME").asRuntimeException();
    }
    json(exchange, 200, api.getResource(GetResourceRequest.newBuilder().setRef(ref).build()));
  }

  private static void allow(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw Status.UNIMPLEMENTED.withDescription(method + " not allowed here; use " + allowed).asRuntimeException();
    }
  }

  private static String body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw Status.RESOURCE_EXHAUSTED.withDescription("request body over " + MAX_BODY + " bytes")
            .asRuntimeException();
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private static void json(HttpExchange exchange, int status, Message message) throws IOException {
    text(exchange, status, "application/json", JSON.print(message) + "\n");
  }

  private static void text(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void error(HttpExchange exchange, Status status) {
    String body = ERRORS.createObjectNode().put("code", status.getCode().name())
        .put("message", status.getDescription()).toString() + "\n";
    try {
      text(exchange, httpStatus(status.getCode()), "application/json", body);
    } catch (IOException | IllegalStateException e) {
      log.debug("cannot send the error of {} (headers already sent?): {}", exchange.getRequestURI(), e.toString());
    }
  }

  /** The HTTP status of a gRPC code, as Google's HTTP/JSON transcoding maps them (mostly). */
  static int httpStatus(Status.Code code) {
    switch (code) {
      case INVALID_ARGUMENT:
        return 400;
      case PERMISSION_DENIED:
        return 403;
      case NOT_FOUND:
        return 404;
      case UNIMPLEMENTED:
        return 405;
      case FAILED_PRECONDITION:
        return 409;
      case RESOURCE_EXHAUSTED:
        return 429;
      case UNAVAILABLE:
        return 503;
      default:
        return 500;
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int equals = pair.indexOf('=');
        String key = equals < 0 ? pair : pair.substring(0, equals);
        String value = equals < 0 ? "" : pair.substring(equals + 1);
        query.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    }
    return query;
  }

  /** {@code ?follow}, {@code ?follow=true} and {@code ?follow=1} are true. */
  private static boolean flag(String value) {
    return value != null && (value.isEmpty() || value.equals("true") || value.equals("1"));
  }

  /** Ends the event streams, gives requests in flight a second, then stops every handler. */
  @Override
  public void close() {
    followers.forEach(EventLines::end);
    server.stop(1);
    handlers.shutdownNow();
  }
}
