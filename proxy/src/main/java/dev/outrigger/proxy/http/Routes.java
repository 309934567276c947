package dev.outrigger.proxy.http;

import dev.outrigger.proxy.http.routing.Router;

/**
 * The compiled routes of one connection manager, swapped whole when a config changes only the
 * route table (an RDS update): every request reads the snapshot once, when it is routed, so new
 * requests use the new table and requests in flight finish on theirs, and no connection is touched.
 */
final class Routes {
  private volatile Router current;

  Routes(Router first) {
    this.current = first;
  }

  /** One volatile read: the snapshot a request is routed with. */
  Router current() {
    return current;
  }

  void use(Router next) {
    current = next;
  }
}
