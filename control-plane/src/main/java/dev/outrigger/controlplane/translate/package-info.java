/**
 * The mesh model as Envoy resources per proxy, and what feeds it: {@link
 * dev.outrigger.controlplane.translate.Translator} (a pure function of model, proxy and
 * endpoints), {@link dev.outrigger.controlplane.translate.Workload} (a node's declared workload),
 * {@link dev.outrigger.controlplane.translate.EndpointRegistry} (sidecars with an xDS stream are
 * the endpoints of their services) and {@link dev.outrigger.controlplane.translate.MeshXds}, which
 * composes them with the xDS server's cache. See docs/control-plane.md, "Translator".
 */
package dev.outrigger.controlplane.translate;
