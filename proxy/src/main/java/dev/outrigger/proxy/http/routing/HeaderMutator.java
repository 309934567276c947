package dev.outrigger.proxy.http.routing;

import dev.outrigger.proxy.config.HeaderMutations;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/** TEMP stub: header mutations are not applied. */
public final class HeaderMutator {
  private HeaderMutator() {}

  public static void applyRequest(HttpHeaders headers, List<HeaderMutations> mutations) {}

  public static void applyResponse(HttpHeaders headers, List<HeaderMutations> mutations) {}
}
