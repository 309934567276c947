package dev.outrigger.proxy.bootstrap;

import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/** Envoy socket addresses as Java ones, without DNS: where an IP is required, it must be a literal. */
final class SocketAddresses {
  private SocketAddresses() {}

  /** An address to listen on: an IP literal and a port, 0 meaning "any free port". */
  static Optional<InetSocketAddress> bindAddress(Address address, FieldPath path, Translation t) {
    if (!address.hasSocketAddress()) {
      t.error(path.field("socket_address"), "required");
      return Optional.empty();
    }
    SocketAddress socket = address.getSocketAddress();
    FieldPath socketPath = path.field("socket_address");
    Optional<InetAddress> ip = ipLiteral(socket.getAddress(), socketPath.field("address"), t);
    boolean portOk = port(socket.getPortValue(), 0, socketPath.field("port_value"), t);
    return ip.filter(x -> portOk).map(a -> new InetSocketAddress(a, socket.getPortValue()));
  }

  static Optional<InetAddress> ipLiteral(String text, FieldPath path, Translation t) {
    if (text.isEmpty()) {
      t.error(path, "required");
      return Optional.empty();
    }
    InetAddress address = NetUtil.createInetAddressFromIpAddressString(text);
    if (address == null) {
      t.error(path, Translation.quote(text) + " is not an IP address");
    }
    return Optional.ofNullable(address);
  }

  static boolean port(int port, int min, FieldPath path, Translation t) {
    if (port < min || port > 65535) {
      t.error(path, "port " + Integer.toUnsignedString(port) + " out of range " + min + "-65535");
      return false;
    }
    return true;
  }

  /** Two binds that the kernel would refuse together: one port, and one address or a wildcard. */
  static boolean clash(InetSocketAddress a, InetSocketAddress b) {
    return a.getPort() != 0
        && a.getPort() == b.getPort()
        && (a.getAddress().equals(b.getAddress())
            || a.getAddress().isAnyLocalAddress()
            || b.getAddress().isAnyLocalAddress());
  }

  static String text(InetSocketAddress address) {
    return NetUtil.toSocketAddressString(address);
  }
}
