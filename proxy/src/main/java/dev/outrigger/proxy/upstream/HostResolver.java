package dev.outrigger.proxy.upstream;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/** Resolves a DNS name to all its addresses, without blocking the caller. */
@FunctionalInterface
public interface HostResolver {

  CompletableFuture<List<InetAddress>> resolveAll(String host);

  /**
   * The JVM's resolver ({@code /etc/hosts}, then the system's DNS) run on {@code blockingExecutor},
   * never on an event loop. Answers are subject to the JVM's address cache
   * ({@code networkaddress.cache.ttl}).
   */
  static HostResolver jvm(Executor blockingExecutor) {
    return host ->
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return List.of(InetAddress.getAllByName(host));
              } catch (UnknownHostException e) {
                throw new CompletionException(e);
              }
            },
            blockingExecutor);
  }
}
