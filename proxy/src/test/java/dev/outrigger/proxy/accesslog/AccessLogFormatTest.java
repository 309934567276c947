package dev.outrigger.proxy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outrigger.proxy.config.AccessLogConfig.Format;
import dev.outrigger.proxy.config.AccessLogConfig.JsonField;
import dev.outrigger.proxy.stream.ResponseFlag;
import dev.outrigger.proxy.stream.StreamInfo;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessLogFormatTest {
  // 2026-11-29T12:34:56.789Z
  private static final long START = Instant.parse("2026-11-29T12:34:56.789Z").toEpochMilli();

  private static StreamInfo httpStream() {
    StreamInfo info = new StreamInfo(START, 1_000_000_000L, "ingress", new InetSocketAddress("10.1.2.3", 40000));
    info.protocol("HTTP/1.1");
    DefaultHttpHeaders request = new DefaultHttpHeaders(false);
    info.requestLine("GET", "/orders/42");
    request.add("host", "shop.local")
        .add("user-agent", "curl/8.5.0").add("x-request-id", "abc-123");
    info.requestHeaders(request);
    info.responseHeaders(new DefaultHttpHeaders().add("content-type", "text/plain"));
    info.responseTrailers(new DefaultHttpHeaders().add("grpc-status", "0"));
    info.responseCode(200);
    info.addBytesReceived(12);
    info.addBytesSent(3456);
    info.end(1_000_000_000L + 27_600_000L);
    info.routeName("orders");
    info.upstreamCluster("backend");
    info.upstreamHost("127.0.0.1:8081");
    info.peerIdentity("spiffe://mesh.local/ns/shop/sa/web");
    return info;
  }

  private static String text(String template, StreamInfo info) {
    return AccessLogFormat.compile(new Format.Text(template)).format(info);
  }

  @Test
  void everyOperatorInText() {
    String line =
        text(
            "%START_TIME% %REQ(:METHOD)% %REQ(:PATH)% %REQ(:AUTHORITY)% %RESP(CONTENT-TYPE)% "
                + "%TRAILER(grpc-status)% %PROTOCOL% %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% "
                + "%BYTES_SENT% %DURATION% %UPSTREAM_HOST% %UPSTREAM_CLUSTER% %DOWNSTREAM_REMOTE_ADDRESS% "
                + "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT% %ROUTE_NAME% %DOWNSTREAM_PEER_URI_SAN% 100%%\n",
            httpStream());
    assertThat(line)
        .isEqualTo(
            "2026-11-29T12:34:56.789Z GET /orders/42 shop.local text/plain 0 HTTP/1.1 200 - 12 3456 27 "
                + "127.0.0.1:8081 backend 10.1.2.3:40000 10.1.2.3 orders spiffe://mesh.local/ns/shop/sa/web 100%\n");
  }

  @Test
  void missingValuesAreDashesInTextAndNullInJson() {
    StreamInfo tcp = new StreamInfo(START, 0, "tcp-in", null);
    String line =
        text(
            "%REQ(X-MISSING)% %RESP(A)% %TRAILER(B)% %PROTOCOL% %RESPONSE_CODE% %RESPONSE_FLAGS% %DURATION% "
                + "%UPSTREAM_HOST% %UPSTREAM_CLUSTER% %DOWNSTREAM_REMOTE_ADDRESS% %ROUTE_NAME% %DOWNSTREAM_PEER_URI_SAN%",
            tcp);
    assertThat(line).isEqualTo("- - - - - - - - - - - -");
  }

  @Test
  void fallbackHeaderAndTruncation() {
    StreamInfo info = httpStream();
    assertThat(text("%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%", info)).isEqualTo("/orders/42");
    assertThat(text("%REQ(USER-AGENT):4%", info)).isEqualTo("curl");
    assertThat(text("%REQ(X-NONE?X-REQUEST-ID):3%", info)).isEqualTo("abc");
    info.requestHeaders().add("x-envoy-original-path", "/original");
    assertThat(text("%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%", info)).isEqualTo("/original");
  }

  @Test
  void ipv6AddressesAreCompressedAndBracketed() {
    StreamInfo info = new StreamInfo(START, 0, "v6", new InetSocketAddress("::1", 4000));
    assertThat(text("%DOWNSTREAM_REMOTE_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%", info))
        .isEqualTo("[::1]:4000 ::1");
  }

  @Test
  void responseFlagsAreCommaJoinedShortCodes() {
    StreamInfo info = httpStream();
    info.addResponseFlag(ResponseFlag.UF);
    info.addResponseFlag(ResponseFlag.UH);
    assertThat(text("%RESPONSE_FLAGS%", info)).isEqualTo("UH,UF");
  }

  @Test
  void startTimeWithStrftimeSubset() {
    StreamInfo info = httpStream();
    assertThat(text("%START_TIME(%Y/%m/%d %H:%M:%S.%3f %z %s)%", info))
        .isEqualTo("2026/11/29 12:34:56.789 +0000 1795955696");
    assertThat(text("%START_TIME(%F %T %E6S %a %b %e %j %y %Z %%)%", info))
        .isEqualTo("2026-11-29 12:34:56 56.789000 Sun Nov 29 333 26 UTC %");
  }

  @Test
  void envoyDefaultFormat() {
    String line = AccessLogFormat.compile(AccessLogFormat.ENVOY_DEFAULT).format(httpStream());
    assertThat(line)
        .isEqualTo(
            "[2026-11-29T12:34:56.789Z] \"GET /orders/42 HTTP/1.1\" 200 - 12 3456 27 - \"-\" \"curl/8.5.0\" "
                + "\"abc-123\" \"shop.local\" \"127.0.0.1:8081\"\n");
  }

  @Test
  void jsonKeepsTypesOfSingleOperatorsAndRendersTemplatesAsStrings() throws Exception {
    Format json =
        new Format.Json(
            List.of(
                new JsonField("code", "%RESPONSE_CODE%"),
                new JsonField("duration", "%DURATION%"),
                new JsonField("path", "%REQ(:PATH)%"),
                new JsonField("missing", "%REQ(X-NONE)%"),
                new JsonField("mixed", "%REQ(:METHOD)% %REQ(X-NONE)% \"q\""),
                new JsonField("flags", "%RESPONSE_FLAGS%")));
    String line = AccessLogFormat.compile(json).format(httpStream());
    assertThat(line).endsWith("}\n");
    JsonNode node = new ObjectMapper().readTree(line);
    assertThat(node.get("code").isNumber()).isTrue();
    assertThat(node.get("code").asInt()).isEqualTo(200);
    assertThat(node.get("duration").asLong()).isEqualTo(27);
    assertThat(node.get("path").asText()).isEqualTo("/orders/42");
    assertThat(node.get("missing").isNull()).isTrue();
    assertThat(node.get("mixed").asText()).isEqualTo("GET - \"q\"");
    assertThat(node.get("flags").isNull()).isTrue();
  }

  @Test
  void unknownOperatorIsAConfigErrorNamingIt() {
    assertThatThrownBy(() -> AccessLogFormat.compile(new Format.Text("x %NOT_A_THING% y")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("%NOT_A_THING%");
    assertThatThrownBy(
            () -> AccessLogFormat.compile(new Format.Json(List.of(new JsonField("k", "%UPSTREAM_LOCAL_ADDRESS%")))))
        .hasMessageContaining("json_format.k")
        .hasMessageContaining("%UPSTREAM_LOCAL_ADDRESS%");
  }

  @Test
  void malformedTemplatesAreConfigErrors() {
    assertThatThrownBy(() -> AccessLogFormat.compile(new Format.Text("%REQ(HOST%")))
        .hasMessageContaining("malformed command operator");
    assertThatThrownBy(() -> AccessLogFormat.compile(new Format.Text("50% off")))
        .hasMessageContaining("malformed command operator at position 2");
    assertThatThrownBy(() -> AccessLogFormat.compile(new Format.Text("%REQ%")))
        .hasMessageContaining("needs a header name");
    assertThatThrownBy(() -> AccessLogFormat.compile(new Format.Text("%DURATION(X)%")))
        .hasMessageContaining("%DURATION% takes no argument");
    assertThatThrownBy(() -> AccessLogFormat.compile(new Format.Text("%START_TIME(%Q)%")))
        .hasMessageContaining("unsupported START_TIME format specifier %Q");
  }
}
