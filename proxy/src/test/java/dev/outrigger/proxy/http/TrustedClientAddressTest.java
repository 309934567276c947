package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The trusted client address and the headers around it, case by case as Envoy's x-forwarded-for
 * documentation lists them (its examples 1–6 among them). Port 0 marks an address read from
 * x-forwarded-for; the peer keeps its port.
 */
class TrustedClientAddressTest {
  private static final String FOUR_HOPS = "203.0.113.128, 203.0.113.10, 203.0.113.1, 192.0.2.5";

  private static HttpHeaders headers(String forwardedFor) {
    HttpHeaders headers = new DefaultHttpHeaders();
    if (!forwardedFor.isEmpty()) {
      headers.add(ForwardedHeaders.X_FORWARDED_FOR, forwardedFor);
    }
    return headers;
  }

  private static InetSocketAddress peer(String ip) {
    return new InetSocketAddress(ip, 5000);
  }

  private static String printed(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  @ParameterizedTest(name = "inner, xff \"{0}\", {1} trusted hops: client {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "203.0.113.128, 203.0.113.10, 203.0.113.1, 192.0.2.5 | 0 | 192.0.2.5:0",
        "203.0.113.128, 203.0.113.10, 203.0.113.1, 192.0.2.5 | 2 | 203.0.113.10:0",
        "203.0.113.128, 203.0.113.10, 203.0.113.1, 192.0.2.5 | 3 | 203.0.113.128:0",
        "203.0.113.128, 203.0.113.10, 203.0.113.1, 192.0.2.5 | 4 | 10.11.12.13:5000",
        "''                                                  | 0 | 10.11.12.13:5000",
        "10.20.30.40                                         | 0 | 10.20.30.40:0",
        "not-an-address                                      | 0 | 10.11.12.13:5000",
        "192.0.2.9,                                          | 0 | 10.11.12.13:5000",
        "192.0.2.9,                                          | 1 | 192.0.2.9:0",
        "2001:db8::1                                         | 0 | 2001:db8:0:0:0:0:0:1:0",
      })
  void innerProxyTakesTheClientFromForwardedFor(String forwardedFor, int trustedHops, String client) {
    HttpHeaders headers = headers(forwardedFor);
    InetSocketAddress found = ForwardedHeaders.asInner(headers, peer("10.11.12.13"), trustedHops, false);
    assertThat(printed(found)).isEqualTo(client);
    assertThat(headers.getAll(ForwardedHeaders.X_FORWARDED_FOR))
        .as("kept as received")
        .isEqualTo(forwardedFor.isEmpty() ? List.of() : List.of(forwardedFor));
    assertThat(headers.contains(ForwardedHeaders.X_ENVOY_EXTERNAL_ADDRESS)).isFalse();
  }

  @ParameterizedTest(name = "edge, xff \"{0}\", {1} trusted hops: client {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "203.0.113.128, 203.0.113.10, 203.0.113.1 | 0 | 192.0.2.5:5000",
        "203.0.113.128, 203.0.113.10, 203.0.113.1 | 1 | 203.0.113.1:0",
        "203.0.113.128, 203.0.113.10, 203.0.113.1 | 2 | 203.0.113.10:0",
        "203.0.113.128, 203.0.113.10, 203.0.113.1 | 3 | 203.0.113.128:0",
        "203.0.113.128, 203.0.113.10, 203.0.113.1 | 4 | 192.0.2.5:5000",
        "''                                       | 1 | 192.0.2.5:5000",
      })
  void edgeProxyAppendsThePeerAndSkipsTheTrustedHops(String forwardedFor, int trustedHops, String client) {
    HttpHeaders headers = headers(forwardedFor);
    headers.set(ForwardedHeaders.X_ENVOY_INTERNAL, "true");
    InetSocketAddress found = ForwardedHeaders.asEdge(headers, peer("192.0.2.5"), trustedHops, false);
    assertThat(printed(found)).isEqualTo(client);
    assertThat(headers.get(ForwardedHeaders.X_FORWARDED_FOR))
        .isEqualTo(forwardedFor.isEmpty() ? "192.0.2.5" : forwardedFor + ",192.0.2.5");
    assertThat(headers.get(ForwardedHeaders.X_ENVOY_EXTERNAL_ADDRESS)).isEqualTo(found.getAddress().getHostAddress());
    assertThat(headers.contains(ForwardedHeaders.X_ENVOY_INTERNAL)).as("a forged x-envoy-internal").isFalse();
  }

  @Test
  void anEdgeRequestWithoutForwardedForFromAnInternalPeerIsInternal() {
    HttpHeaders headers = headers("");
    InetSocketAddress found = ForwardedHeaders.asEdge(headers, peer("10.0.0.7"), 0, false);
    assertThat(printed(found)).isEqualTo("10.0.0.7:5000");
    assertThat(headers.get(ForwardedHeaders.X_ENVOY_INTERNAL)).isEqualTo("true");
    assertThat(headers.contains(ForwardedHeaders.X_ENVOY_EXTERNAL_ADDRESS)).isFalse();
  }

  @Test
  void anInnerRequestIsInternalOnlyWhenForwardedForIsOneInternalAddress() {
    HttpHeaders single = headers("10.20.30.40");
    ForwardedHeaders.asInner(single, peer("10.20.30.50"), 0, false);
    assertThat(single.get(ForwardedHeaders.X_ENVOY_INTERNAL)).isEqualTo("true");

    HttpHeaders forged = headers("10.20.30.40, 203.0.113.1");
    forged.set(ForwardedHeaders.X_ENVOY_INTERNAL, "true");
    ForwardedHeaders.asInner(forged, peer("10.20.30.50"), 0, false);
    assertThat(forged.contains(ForwardedHeaders.X_ENVOY_INTERNAL)).isFalse();

    HttpHeaders none = headers("");
    ForwardedHeaders.asInner(none, peer("10.20.30.50"), 0, false);
    assertThat(none.contains(ForwardedHeaders.X_ENVOY_INTERNAL)).isFalse();
  }

  @Test
  void severalForwardedForLinesAreOneList() {
    HttpHeaders headers = headers("198.51.100.1");
    headers.add(ForwardedHeaders.X_FORWARDED_FOR, "198.51.100.2");
    assertThat(printed(ForwardedHeaders.asInner(headers, peer("10.0.0.1"), 1, false))).isEqualTo("198.51.100.1:0");
    ForwardedHeaders.asEdge(headers, peer("192.0.2.5"), 0, false);
    assertThat(headers.getAll(ForwardedHeaders.X_FORWARDED_FOR)).containsExactly("198.51.100.1,198.51.100.2,192.0.2.5");
  }

  @Test
  void theEdgeTrustsForwardedProtoOnlyFromTrustedHops() {
    HttpHeaders untrusted = headers("203.0.113.1");
    untrusted.set(ForwardedHeaders.X_FORWARDED_PROTO, "https");
    ForwardedHeaders.asEdge(untrusted, peer("192.0.2.5"), 0, false);
    assertThat(untrusted.get(ForwardedHeaders.X_FORWARDED_PROTO)).isEqualTo("http");

    HttpHeaders trusted = headers("203.0.113.1");
    trusted.set(ForwardedHeaders.X_FORWARDED_PROTO, "https");
    ForwardedHeaders.asEdge(trusted, peer("192.0.2.5"), 1, false);
    assertThat(trusted.get(ForwardedHeaders.X_FORWARDED_PROTO)).isEqualTo("https");
  }

  @Test
  void anIpv6PeerIsAppendedInItsShortForm() {
    HttpHeaders headers = headers("");
    ForwardedHeaders.asEdge(headers, peer("::1"), 0, true);
    assertThat(headers.get(ForwardedHeaders.X_FORWARDED_FOR)).isEqualTo("::1");
    assertThat(headers.get(ForwardedHeaders.X_FORWARDED_PROTO)).isEqualTo("https");
  }
}
