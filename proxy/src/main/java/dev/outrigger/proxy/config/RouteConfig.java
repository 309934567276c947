package dev.outrigger.proxy.config;

/** One route: when it matches, and what to do. */
public record RouteConfig(String name, RouteMatchConfig match, RouteAction action, HeaderMutations headers) {}
