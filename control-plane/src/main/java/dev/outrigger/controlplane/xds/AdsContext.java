package dev.outrigger.controlplane.xds;

import java.time.Clock;

/** What every ADS stream shares. */
record AdsContext(XdsCache cache, ConnectedStreams streams, XdsMetrics metrics, XdsEventListener events,
    Clock clock, Scheduler scheduler) {}
