/**
 * The xDS server: Envoy's Aggregated Discovery Service, state of the world and delta.
 *
 * <pre>
 * translator ─► XdsCache.set(node, Resources) ─► PushDebouncer (quiet / max) ─► ConnectedStreams
 *   ─► AdsStream.push: updates SDS, CDS, EDS, LDS, RDS ─► ACKs ─► removals LDS, RDS, CDS, EDS, SDS
 * proxy ─► AdsService ─► SotwStream | DeltaStream (one per call; the first request names the node,
 *   NodeResolver fills the cache for an unknown one) ─► TypeProgress per type ─► ProxyStatus, metrics, events
 * </pre>
 *
 * Public surface: {@link dev.outrigger.controlplane.xds.XdsServer} (composition, serving, status),
 * {@link dev.outrigger.controlplane.xds.XdsCache}, {@link dev.outrigger.controlplane.xds.Resources},
 * {@link dev.outrigger.controlplane.xds.NodeResolver}, {@link dev.outrigger.controlplane.xds.XdsEventListener},
 * {@link dev.outrigger.controlplane.xds.ProxyStatus}, and the development aid
 * {@link dev.outrigger.controlplane.xds.StaticResourcesFile}. See docs/control-plane.md.
 */
package dev.outrigger.controlplane.xds;
