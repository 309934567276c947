#!/usr/bin/env bash
# Resident memory of one proxy JVM under the launcher's settings plus extra JVM options: idle after
# /ready, then the peak (VmHWM) after 15 s of closed-loop HTTP/1.1 load against an nginx upstream.
#
#   benchmarks/e2e/rss-probe.sh "<extra JVM options>"      (MALLOC_ARENA_MAX is passed through)
#
# Needs nginx-light and wrk. Ports: nginx 18800, proxy 18810, admin 18819.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
chmod 755 "$work" # nginx workers run as an unprivileged user and must read the payload
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

head -c 1024 /dev/zero | tr '\0' 'x' > "$work/1k"
cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:18800; location / { root $work; try_files /1k =404; } } }
NGINX
nginx -c "$work/nginx.conf" -p "$work" & pids+=($!)

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
