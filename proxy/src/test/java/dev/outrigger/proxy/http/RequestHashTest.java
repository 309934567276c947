package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.config.HashPolicy;
import dev.outrigger.proxy.config.HashPolicy.Source;
import dev.outrigger.proxy.upstream.XxHash64;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Envoy's combination rules for a route's hash policies. */
class RequestHashTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("10.9.8.7", 4321);

  private static HttpRequest request(String uri, String... headers) {
    HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    for (int i = 0; i < headers.length; i += 2) {
      request.headers().add(headers[i], headers[i + 1]);
    }
    return request;
  }

  private static HashPolicy header(String name, boolean terminal) {
    return new HashPolicy(Source.HEADER, name, terminal);
  }

  @Test
  void eachSourceHashesItsValue() {
    HttpRequest request = request("/p?a=1&tenant=t%201", "x-user", "alice", "cookie", "x=1; session=abc");
    assertThat(RequestHash.of(List.of(header("x-user", false)), request, CLIENT)).isEqualTo(XxHash64.hash("alice", 0));
    assertThat(RequestHash.of(List.of(new HashPolicy(Source.COOKIE, "session", false)), request, CLIENT))
        .isEqualTo(XxHash64.hash("abc", 0));
    assertThat(RequestHash.of(List.of(new HashPolicy(Source.QUERY_PARAMETER, "tenant", false)), request, CLIENT))
        .isEqualTo(XxHash64.hash("t%201", 0));
    assertThat(RequestHash.of(List.of(new HashPolicy(Source.SOURCE_IP, "", false)), request, CLIENT))
        .isEqualTo(XxHash64.hash("10.9.8.7", 0));
  }

  @Test
  void hashesCombineByRotationAndATerminalPolicyWithAHashStopsTheList() {
    HttpRequest request = request("/", "a", "1", "b", "2");
    long a = XxHash64.hash("1", 0);
    long b = XxHash64.hash("2", 0);
    assertThat(RequestHash.of(List.of(header("a", false), header("b", false)), request, CLIENT))
        .isEqualTo(Long.rotateLeft(a, 1) ^ b);
    assertThat(RequestHash.of(List.of(header("a", true), header("b", false)), request, CLIENT)).isEqualTo(a);
    assertThat(RequestHash.of(List.of(header("absent", true), header("b", false)), request, CLIENT)).isEqualTo(b);
  }

  @Test
  void theOrderOfAHeadersValuesDoesNotMatter() {
    List<HashPolicy> policy = List.of(header("x", false));
    assertThat(RequestHash.of(policy, request("/", "x", "1", "x", "2"), CLIENT))
        .isEqualTo(RequestHash.of(policy, request("/", "x", "2", "x", "1"), CLIENT))
        .isNotEqualTo(XxHash64.hash("1", 0));
  }

  @Test
  void aRequestWithoutAHashGetsARandomOne() {
    List<HashPolicy> policy = List.of(header("absent", false));
    long first = RequestHash.of(policy, request("/"), CLIENT);
    assertThat(List.of(RequestHash.of(policy, request("/"), CLIENT), RequestHash.of(policy, request("/"), CLIENT)))
        .anySatisfy(next -> assertThat(next).isNotEqualTo(first));
  }
}
