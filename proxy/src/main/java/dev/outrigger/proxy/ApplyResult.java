package dev.outrigger.proxy;

import java.util.Set;

/**
 * What {@link Proxy#apply} changed. Names are sorted; a cluster or listener in none of the sets
 * kept running untouched.
 *
 * @param clustersReplaced clusters whose config changed: a new cluster took over, the old one
 *     finishes what it had
 * @param clustersReassigned clusters whose endpoints alone changed (an EDS update): they kept
 *     running with the new set; the endpoints that stayed kept their connections and state
 * @param listenersAdded listeners bound by this config, including one that kept its name but
 *     moved to another address (its old socket closed and its connections drain)
 * @param listenersUpdated listeners that stayed bound with changed filter chains or settings
 * @param chainsDrained filter chains taken out of service whose connections are draining
 * @param routesUpdated listeners whose HTTP filter chains took a new route table in place (an RDS
 *     update, or an inline {@code route_config} whose connection manager is otherwise unchanged):
 *     their connections stayed open and route their next requests by it. Such a listener is in
 *     {@code listenersUpdated} only if something besides its route tables changed too.
 */
public record ApplyResult(
    String version,
    Set<String> clustersAdded,
    Set<String> clustersReplaced,
    Set<String> clustersReassigned,
    Set<String> clustersRemoved,
    Set<String> listenersAdded,
    Set<String> listenersUpdated,
    Set<String> listenersRemoved,
    int chainsDrained,
    Set<String> routesUpdated) {}
