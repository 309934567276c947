package dev.outrigger.proxy.accesslog;

import dev.outrigger.proxy.stream.ResponseFlag;
import dev.outrigger.proxy.stream.StreamInfo;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/** The supported command operators (docs/envoy-subset.md lists them), each compiled to a {@link Field}. */
final class CommandOperators {
  private static final AsciiString AUTHORITY = AsciiString.cached(":authority");
  private static final AsciiString HOST = AsciiString.cached("host");

  private CommandOperators() {}

  /** The field of {@code %NAME(ARGUMENT)%}; {@code argument} is null when there are no parentheses. */
  static Field field(String name, String argument) {
    switch (name) {
      case "START_TIME":
        return StartTimeFormat.compile(argument == null ? StartTimeFormat.ENVOY_DEFAULT : argument);
      case "REQ":
        return requestHeader(argument);
      case "RESP":
        return header(name, argument, StreamInfo::responseHeaders);
      case "TRAILER":
        return header(name, argument, StreamInfo::responseTrailers);
      default:
        if (argument != null) {
          throw new IllegalArgumentException(
              "access log command operator %" + name + "% takes no argument");
        }
        return plain(name);
    }
  }

  private static Field plain(String name) {
    switch (name) {
      case "PROTOCOL":
        return info -> nonEmpty(info.protocol());
      case "RESPONSE_CODE":
        // Envoy prints 0 for an HTTP stream that sent no response, and "-" for TCP.
        return info -> info.protocol().isEmpty() ? null : (Object) (long) info.responseCode();
      case "RESPONSE_CODE_DETAILS":
        return info -> nonEmpty(info.responseCodeDetails());
      case "RESPONSE_FLAGS":
        return info -> joinFlags(info.responseFlags());
      case "BYTES_RECEIVED":
        return info -> info.bytesReceived();
      case "BYTES_SENT":
        return info -> info.bytesSent();
      case "DURATION":
        return info -> info.durationNanos() < 0 ? null : (Object) (info.durationNanos() / 1_000_000);
      case "UPSTREAM_HOST":
        return info -> nonEmpty(info.upstreamHost());
      case "UPSTREAM_CLUSTER":
        return info -> nonEmpty(info.upstreamCluster());
      case "UPSTREAM_REQUEST_ATTEMPT_COUNT":
        return info -> (long) info.upstreamAttempts();
      case "ROUTE_NAME":
        return info -> nonEmpty(info.routeName());
      case "DOWNSTREAM_PEER_URI_SAN":
        return info -> nonEmpty(info.peerIdentity());
      case "CONNECTION_TERMINATION_DETAILS":
        return info -> nonEmpty(info.terminationDetails());
      case "DOWNSTREAM_REMOTE_ADDRESS":
        return info -> address(info.downstreamRemoteAddress(), true);
      case "DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT":
        return info -> address(info.downstreamRemoteAddress(), false);
      case "DOWNSTREAM_DIRECT_REMOTE_ADDRESS":
        return info -> address(info.downstreamDirectRemoteAddress(), true);
      case "DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT":
        return info -> address(info.downstreamDirectRemoteAddress(), false);
      default:
        throw new IllegalArgumentException("unsupported access log command operator %" + name + "%");
    }
  }

  /**
   * {@code %REQ(X?Y)%}. Netty keeps HTTP/1.1 and HTTP/2 requests alike as a request line plus
   * headers, so Envoy's {@code :method} and {@code :path} come from the request line.
   */
  private static Field requestHeader(String argument) {
    Field headers = header("REQ", argument, StreamInfo::requestHeaders);
    String[] alternatives = argument.split("\\?", -1);
    Function<StreamInfo, String> first = pseudoHeader(alternatives[0]);
    Function<StreamInfo, String> second = alternatives.length == 2 ? pseudoHeader(alternatives[1]) : null;
    if (first == null && second == null) {
      return headers;
    }
    return info -> {
      Object value = first != null ? nonEmpty(first.apply(info)) : headers.value(info);
      if (value != null || alternatives.length == 1) {
        return value;
      }
      return second != null ? nonEmpty(second.apply(info)) : headers.value(info);
    };
  }

  private static Function<StreamInfo, String> pseudoHeader(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case ":method":
        return StreamInfo::requestMethod;
      case ":path":
        return StreamInfo::requestPath;
      default:
        return null;
    }
  }

  /**
   * {@code %REQ(X?Y)%}: header X, else header Y. Names are matched case-insensitively; {@code
   * :authority} falls back to {@code host} because HTTP/1.1 requests carry it there.
   */
  private static Field header(String operator, String argument, Function<StreamInfo, HttpHeaders> headers) {
    if (argument == null || argument.isEmpty()) {
      throw new IllegalArgumentException(
          "access log command operator %" + operator + "% needs a header name: %" + operator + "(X)%");
    }
    String[] alternatives = argument.split("\\?", -1);
    if (alternatives.length > 2 || alternatives[0].isEmpty() || alternatives[alternatives.length - 1].isEmpty()) {
      throw new IllegalArgumentException(
          "access log command operator %" + operator + "(" + argument + ")% must name X or X?Y");
    }
    AsciiString first = headerName(alternatives[0]);
    AsciiString second = alternatives.length == 2 ? headerName(alternatives[1]) : null;
    return info -> {
      HttpHeaders h = headers.apply(info);
      if (h == null) {
        return null;
      }
      String value = lookup(h, first);
      return value != null || second == null ? value : lookup(h, second);
    };
  }

  private static AsciiString headerName(String name) {
    return AsciiString.cached(name.toLowerCase(Locale.ROOT));
  }

  private static String lookup(HttpHeaders headers, AsciiString name) {
    String value = headers.get(name);
    if (value == null && AUTHORITY.contentEquals(name)) {
      return headers.get(HOST);
    }
    return value;
  }

  private static String joinFlags(Set<ResponseFlag> flags) {
    if (flags.isEmpty()) {
      return null;
    }
    StringBuilder joined = new StringBuilder();
    for (ResponseFlag flag : flags) {
      if (joined.length() > 0) {
        joined.append(',');
      }
      joined.append(flag.name());
    }
    return joined.toString();
  }

  private static String nonEmpty(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  private static String address(InetSocketAddress address, boolean withPort) {
    if (address == null) {
      return null;
    }
    String ip = address.getAddress() != null ? NetUtil.toAddressString(address.getAddress()) : address.getHostString();
    if (!withPort) {
      return ip;
    }
    return address.getAddress() instanceof Inet6Address
        ? "[" + ip + "]:" + address.getPort()
        : ip + ":" + address.getPort();
  }
}
