package dev.outrigger.benchmarks.harness;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** One kind of request the load generator sends; the upstream (nginx) answers each from a file. */
enum Scenario {
  H1_1K("h1-1k", Protocol.HTTP1, "GET", "/1k", 0, "HTTP/1.1 GET, 1 KiB response"),
  H1_64K("h1-64k", Protocol.HTTP1, "GET", "/64k", 0, "HTTP/1.1 GET, 64 KiB response"),
  H1_POST_64K("h1-post-64k", Protocol.HTTP1, "POST", "/1k", 64 * 1024,
      "HTTP/1.1 POST of 64 KiB, 1 KiB response"),
  H2C_1K("h2c-1k", Protocol.H2C, "GET", "/1k", 0, "h2c GET, 1 KiB response"),
  GRPC_UNARY("grpc", Protocol.GRPC, "POST", Upstream.GRPC_PATH, GrpcFrames.REQUEST_MESSAGE_BYTES,
      "gRPC unary over h2c, 128-byte request, empty reply");

  enum Protocol { HTTP1, H2C, GRPC }

  final String id;
  final Protocol protocol;
  final String method;
  final String path;
  /** Request body bytes; 0 sends none. */
  final int requestBytes;
  final String description;

  Scenario(String id, Protocol protocol, String method, String path, int requestBytes,
      String description) {
    this.id = id;
    this.protocol = protocol;
    this.method = method;
    this.path = path;
    this.requestBytes = requestBytes;
    this.description = description;
  }

  boolean multiplexed() {
    return protocol != Protocol.HTTP1;
  }

  static Scenario byId(String id) {
    for (Scenario scenario : values()) {
      if (scenario.id.equals(id)) {
        return scenario;
      }
    }
    throw new IllegalArgumentException("unknown scenario '" + id + "'; known: " + ids(List.of(values())));
  }

  static String ids(List<Scenario> scenarios) {
    return scenarios.stream().map(s -> s.id).collect(Collectors.joining(","));
  }

  static List<Scenario> all() {
    return Arrays.asList(values());
  }
}
