package dev.outrigger.proxy.authz;

import dev.outrigger.proxy.runtime.ConnectionContext;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;

/** A connection as the network RBAC filter sees it: addresses and peer, no HTTP parts. */
final class ConnectionRequest implements AuthzRequest {
  private final ConnectionContext connection;
  private final PeerIdentity peer;

  ConnectionRequest(ConnectionContext connection, PeerIdentity peer) {
    this.connection = connection;
    this.peer = peer;
  }

  @Override
  public PeerIdentity peer() {
    return peer;
  }

  @Override
  public InetSocketAddress directRemoteAddress() {
    return connection.remoteAddress();
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return connection.remoteAddress();
  }

  @Override
  public InetSocketAddress localAddress() {
    return connection.localAddress();
  }

  @Override
  public String header(AsciiString lowerCaseName) {
    return null;
  }

  @Override
  public String method() {
    return null;
  }

  @Override
  public String authority() {
    return null;
  }

  @Override
  public String path() {
    return null;
  }

  @Override
  public String rawPath() {
    return null;
  }
}
