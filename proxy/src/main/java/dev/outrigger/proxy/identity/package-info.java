/**
 * The workload's SPIFFE identity: the sources that provide it, the SDS secrets it fills
 * ({@code default}, {@code ROOTCA}), and SPIFFE validation of peers.
 */
package dev.outrigger.proxy.identity;
