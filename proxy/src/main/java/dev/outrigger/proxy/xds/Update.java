package dev.outrigger.proxy.xds;

import com.google.protobuf.Message;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One response of either protocol variant, decoded.
 *
 * @param complete state of the world: {@code resources} is the whole set of the type
 * @param resources added or changed, by name
 * @param versions per-resource versions (delta only; remembered for {@code initial_resource_versions})
 * @param removed names the server removed (delta only)
 * @param problems resources that could not be decoded, {@code path: message}
 */
record Update(
    XdsType type,
    String version,
    String nonce,
    boolean complete,
    Map<String, Message> resources,
    Map<String, String> versions,
    Set<String> removed,
    List<String> problems) {}
