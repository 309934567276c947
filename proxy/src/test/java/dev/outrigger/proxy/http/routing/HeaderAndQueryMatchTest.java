package dev.outrigger.proxy.http.routing;

import static dev.outrigger.proxy.http.routing.RouteTables.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outrigger.proxy.config.RouteMatchConfig;
import dev.outrigger.proxy.config.RouteMatchConfig.QueryParameterMatcher;
import dev.outrigger.proxy.config.StringMatcher;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HeaderAndQueryMatchTest {

  private static boolean routes(RouteMatchConfig match, String authority, String path, HttpHeaders headers) {
    Router router = Router.compile(table(vhost("v", List.of("*"), route("r", match, respond(200)))));
    return router.route(authority, path, headers) instanceof RouteDecision.Respond;
  }

  static Stream<Arguments> headerCases() {
    StringMatcher exactV = new StringMatcher.Exact("v", false);
    return Stream.of(
        Arguments.of("exact", header("x", exactV), headers("x", "v"), true),
        Arguments.of("exact, other value", header("x", exactV), headers("x", "w"), false),
        Arguments.of("exact, absent", header("x", exactV), headers(), false),
        Arguments.of("exact ignoring case", header("x", new StringMatcher.Exact("V", true)), headers("x", "v"), true),
        Arguments.of("name is case-insensitive", header("X-Name", exactV), headers("x-name", "v"), true),
        Arguments.of("prefix", header("x", new StringMatcher.Prefix("ab", false)), headers("x", "abc"), true),
        Arguments.of("suffix", header("x", new StringMatcher.Suffix("bc", false)), headers("x", "abc"), true),
        Arguments.of("contains", header("x", new StringMatcher.Contains("b", false)), headers("x", "abc"), true),
        Arguments.of("regex", header("x", new StringMatcher.Regex(Pattern.compile("[0-9]{3}"))), headers("x", "123"), true),
        Arguments.of("regex is a full match", header("x", new StringMatcher.Regex(Pattern.compile("[0-9]{3}"))), headers("x", "1234"), false),
        Arguments.of("values joined with a comma", header("x", new StringMatcher.Exact("a,b", false)), headers("x", "a", "x", "b"), true),
        Arguments.of("inverted, other value", headerInverted("x", exactV), headers("x", "w"), true),
        Arguments.of("inverted, same value", headerInverted("x", exactV), headers("x", "v"), false),
        // Envoy: a missing header never matches a string matcher, inverted or not
        Arguments.of("inverted, absent", headerInverted("x", exactV), headers(), false),
        Arguments.of("present, there", headerPresent("x", true, false), headers("x", ""), true),
        Arguments.of("present, absent", headerPresent("x", true, false), headers(), false),
        Arguments.of("present false, absent", headerPresent("x", false, false), headers(), true),
        Arguments.of("present false, there", headerPresent("x", false, false), headers("x", "v"), false),
        Arguments.of("present inverted, absent", headerPresent("x", true, true), headers(), true),
        Arguments.of("present inverted, there", headerPresent("x", true, true), headers("x", "v"), false),
        Arguments.of("present false inverted, there", headerPresent("x", false, true), headers("x", "v"), true),
        Arguments.of(":authority is the request's authority", header(":authority", new StringMatcher.Exact("svc:8080", false)), headers(), true),
        Arguments.of("host is the authority too", header("host", new StringMatcher.Prefix("svc", false)), headers(), true),
        Arguments.of(":path includes the query", header(":path", new StringMatcher.Exact("/p?q=1", false)), headers(), true),
        Arguments.of(":method is the request's method", header(":method", new StringMatcher.Exact("GET", false)), headers(), true),
        Arguments.of(":method, another method", header(":method", new StringMatcher.Exact("POST", false)), headers(), false),
        Arguments.of(":scheme from x-forwarded-proto", header(":scheme", new StringMatcher.Exact("https", false)), headers("x-forwarded-proto", "https"), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("headerCases")
  void matchesHeaders(String description, RouteMatchConfig.HeaderMatcher matcher, HttpHeaders headers, boolean matches) {
    assertThat(routes(matchHeaders(prefix("/"), matcher), "svc:8080", "/p?q=1", headers)).isEqualTo(matches);
  }

  @Test
  void allHeaderMatchersMustHold() {
    RouteMatchConfig both =
        matchHeaders(prefix("/"), header("a", new StringMatcher.Exact("1", false)), headerPresent("b", true, false));

    assertThat(routes(both, "h", "/", headers("a", "1", "b", "x"))).isTrue();
    assertThat(routes(both, "h", "/", headers("a", "1"))).isFalse();
  }

  @Test
  void unsupportedPseudoHeaderIsRejected() {
    assertThatThrownBy(() -> routes(matchHeaders(prefix("/"), headerPresent(":protocol", true, false)), "h", "/", headers()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(":protocol");
  }

  private static QueryParameterMatcher query(String name, StringMatcher matcher) {
    return new QueryParameterMatcher(name, Optional.ofNullable(matcher));
  }

  static Stream<Arguments> queryCases() {
    StringMatcher exactV = new StringMatcher.Exact("v", false);
    return Stream.of(
        Arguments.of("exact", query("k", exactV), "/p?k=v", true),
        Arguments.of("exact among others", query("k", exactV), "/p?a=1&k=v&b", true),
        Arguments.of("other value", query("k", exactV), "/p?k=w", false),
        Arguments.of("no query", query("k", exactV), "/p", false),
        Arguments.of("first value wins", query("k", exactV), "/p?k=v&k=w", true),
        Arguments.of("later value ignored", query("k", exactV), "/p?k=w&k=v", false),
        Arguments.of("value decoded", query("k", new StringMatcher.Exact("a b/é", false)), "/p?k=a%20b%2F%C3%A9", true),
        Arguments.of("name decoded", query("my key", exactV), "/p?my%20key=v", true),
        Arguments.of("plus stays a plus", query("k", new StringMatcher.Exact("a+b", false)), "/p?k=a+b", true),
        Arguments.of("invalid escape kept", query("k", new StringMatcher.Exact("%zz", false)), "/p?k=%zz", true),
        Arguments.of("present", query("k", null), "/p?k", true),
        Arguments.of("present with empty value", query("k", null), "/p?k=", true),
        Arguments.of("present, absent", query("k", null), "/p?kk=1", false),
        Arguments.of("no value is the empty value", query("k", new StringMatcher.Exact("", false)), "/p?k", true),
        Arguments.of("fragment is not query", query("k", exactV), "/p?k=v#x", true),
        Arguments.of("regex on value", query("k", new StringMatcher.Regex(Pattern.compile("v[0-9]"))), "/p?k=v7", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queryCases")
  void matchesQueryParameters(String description, QueryParameterMatcher matcher, String path, boolean matches) {
    assertThat(routes(matchQuery(prefix("/"), matcher), "h", path, headers())).isEqualTo(matches);
  }

  static Stream<Arguments> grpcCases() {
    return Stream.of(
        Arguments.of("application/grpc", true),
        Arguments.of("application/grpc+proto", true),
        Arguments.of("application/grpc-web", false),
        Arguments.of("application/json", false),
        Arguments.of(null, false));
  }

  @ParameterizedTest(name = "content-type {0}")
  @MethodSource("grpcCases")
  void matchesGrpcByContentType(String contentType, boolean matches) {
    HttpHeaders headers = contentType == null ? headers() : headers("content-type", contentType);

    assertThat(routes(matchGrpc(prefix("/")), "h", "/pkg.Service/Method", headers)).isEqualTo(matches);
  }
}
