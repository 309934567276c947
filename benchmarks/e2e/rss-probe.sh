#!/usr/bin/env bash
# Resident memory of one proxy JVM under the launcher's settings plus extra JVM options: idle after
# /ready, then the peak (VmHWM) after 15 s of closed-loop HTTP/1.1 load against an nginx upstream.
#
#   benchmarks/e2e/rss-probe.sh "<extra JVM options>"      (MALLOC_ARENA_MAX is passed through)
#
# Needs nginx-light and wrk. Ports: nginx 18800, proxy 18810, admin 18819.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=benchmarks/e2e/common.sh
. "$root/benchmarks/e2e/common.sh"
start_nginx "$(nginx_server 18800)"

cat > "$work/proxy.yaml" <<YAML
admin: { address: { socket_address: { address: 127.0.0.1, port_value: 18819 } } }
static_resources:
  listeners:
  - name: probe
    address: { socket_address: { address: 127.0.0.1, port_value: 18810 } }
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          stat_prefix: probe
          route_config:
            virtual_hosts: [{ name: all, domains: ["*"], routes: [{ match: { prefix: "/" }, route: { cluster: nginx } }] }]
          http_filters:
          - name: envoy.filters.http.router
            typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
  clusters:
  - name: nginx
    type: STATIC
    load_assignment:
      cluster_name: nginx
      endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 18800 } } } }] }]
YAML
"$root/bin/outrigger" proxy --validate --bootstrap "$work/proxy.yaml" > /dev/null
OUTRIGGER_JAVA_OPTS="${1:-}" "$root/bin/outrigger" proxy --bootstrap "$work/proxy.yaml" --concurrency 2 > "$work/proxy.log" 2>&1 &
pids+=($!)
launcher=$!
for _ in $(seq 1 100); do curl -fs -o /dev/null http://127.0.0.1:18819/ready && break; sleep 0.1; done
sleep 1
java_pid=$(pgrep -P "$launcher" java || echo "$launcher")
idle=$(awk '/^VmRSS/ {print $2}' "/proc/$java_pid/status")
rps=$(wrk -t1 -c16 -d15s http://127.0.0.1:18810/ | awk '/Requests\/sec/ {print $2}')
peak=$(awk '/^VmHWM/ {print $2}' "/proc/$java_pid/status")
echo "options=[${1:-}] idle=$((idle / 1024))MiB peak=$((peak / 1024))MiB req/s=$rps"
