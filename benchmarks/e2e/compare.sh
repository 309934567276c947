#!/usr/bin/env bash
# First end-to-end comparison: the same load against nginx directly, through one Outrigger proxy,
# and through one HAProxy, alternating rounds in one run so that machine drift hits all alike.
# HTTP/1.1 with wrk, h2c (prior knowledge) with h2load. Prints a markdown table; raw output and the
# table land in benchmarks/results/<timestamp>/.
#
#   benchmarks/e2e/compare.sh [--rounds 3] [--duration 10] [--connections 32]
#
# Needs: nginx-light, haproxy, wrk, nghttp2-client (h2load) from Debian; bin/outrigger builds the proxy.
set -euo pipefail

rounds=3 duration=10 connections=32
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/../.." && pwd)
for tool in nginx haproxy wrk h2load; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install nginx-light haproxy wrk nghttp2-client" >&2; exit 2; }
done
out="$root/benchmarks/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
# shellcheck source=benchmarks/e2e/common.sh
. "$root/benchmarks/e2e/common.sh"

# Ports: upstream h1 18800, upstream h2c 18801, Outrigger 18810, HAProxy h1 18820 / h2c 18821, admin 18819.
start_nginx "$(nginx_server 18800) $(nginx_server 18801 http2)"

cat > "$work/haproxy.cfg" <<HAPROXY
global
  nbthread 2
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
frontend fe
  bind 127.0.0.1:18820
  bind 127.0.0.1:18821 proto h2
  default_backend be
backend be
  http-reuse always
  server nginx 127.0.0.1:18800
HAPROXY
haproxy -f "$work/haproxy.cfg" & pids+=($!)

cat > "$work/outrigger.yaml" <<YAML
admin:
  address: { socket_address: { address: 127.0.0.1, port_value: 18819 } }
static_resources:
  listeners:
  - name: bench
    address: { socket_address: { address: 127.0.0.1, port_value: 18810 } }
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          stat_prefix: bench
          codec_type: AUTO
          route_config:
            virtual_hosts:
            - name: all
              domains: ["*"]
              routes:
              - match: { prefix: "/" }
                route: { cluster: nginx }
          http_filters:
          - name: envoy.filters.http.router
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
  clusters:
  - name: nginx
    type: STATIC
    connect_timeout: 1s
    load_assignment:
      cluster_name: nginx
      endpoints:
      - lb_endpoints:
        - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 18800 } } }
YAML
# Validating first also builds the jars when needed, so the start below is timed on a warm build.
"$root/bin/outrigger" proxy --validate --bootstrap "$work/outrigger.yaml"
"$root/bin/outrigger" proxy --bootstrap "$work/outrigger.yaml" --concurrency 2 > "$out/outrigger.log" 2>&1 & pids+=($!)
outrigger_pid=$!

for _ in $(seq 1 100); do
  curl -fs -o /dev/null http://127.0.0.1:18819/ready && break
  sleep 0.2
done
curl -fs -o /dev/null http://127.0.0.1:18819/ready || { echo "Outrigger did not become ready; see $out/outrigger.log" >&2; exit 1; }
for url in http://127.0.0.1:18800/ http://127.0.0.1:18810/ http://127.0.0.1:18820/; do
  curl -fs -o /dev/null "$url" || { echo "no answer from $url" >&2; exit 1; }
done

# The JVM's resident set: find the java process under the launcher.
java_pid=$(pgrep -P "$outrigger_pid" java || echo "$outrigger_pid")
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$java_pid/status"; }
idle_rss=$(rss_kib)

wrk_run() { # name url -> "rps p50 p99"
  wrk -t1 -c"$connections" -d"${duration}s" --latency "$2" > "$out/wrk-$1-$round.txt"
  awk '/Requests\/sec/ {rps=$2} $1=="50%" {p50=$2} $1=="99%" {p99=$2} END {print rps, p50, p99}' "$out/wrk-$1-$round.txt"
}
h2load_run() { # name url -> "rps"
  h2load -c"$connections" -m10 -D"$duration" "$2" > "$out/h2load-$1-$round.txt" 2>&1
  awk '/^finished in/ {gsub(",","",$4); print $4}' "$out/h2load-$1-$round.txt"
}

# Warm-up, not recorded: the JVM compiles its hot path in the first seconds.
for url in http://127.0.0.1:18810/ http://127.0.0.1:18820/ http://127.0.0.1:18800/; do
  wrk -t1 -c"$connections" -d5s "$url" > /dev/null
  h2load -c"$connections" -m10 -D5 "${url/18800/18801}" > /dev/null 2>&1
done

declare -A h1 h2
for round in $(seq 1 "$rounds"); do
  for target in direct outrigger haproxy; do
    case $target in
      direct) u1=http://127.0.0.1:18800/; u2=http://127.0.0.1:18801/ ;;
      outrigger) u1=http://127.0.0.1:18810/; u2=http://127.0.0.1:18810/ ;;
      haproxy) u1=http://127.0.0.1:18820/; u2=http://127.0.0.1:18821/ ;;
    esac
    h1[$target,$round]=$(wrk_run "$target" "$u1")
    h2[$target,$round]=$(h2load_run "$target" "$u2")
  done
done
load_rss=$(awk '/^VmHWM/ {print $2}' "/proc/$java_pid/status")

to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) {sub("us","",v); print v/1000} else if (v ~ /ms$/) {sub("ms","",v); print v} else if (v ~ /s$/) {sub("s","",v); print v*1000} else print v }'; }
{
  echo "| round | target | HTTP/1.1 req/s | p50 ms | p99 ms | h2c req/s |"
  echo "|---|---|---|---|---|---|"
  for round in $(seq 1 "$rounds"); do
    for target in direct outrigger haproxy; do
      read -r rps p50 p99 <<< "${h1[$target,$round]}"
      echo "| $round | $target | $rps | $(to_ms "$p50") | $(to_ms "$p99") | ${h2[$target,$round]} |"
    done
  done
  echo
  echo "Outrigger JVM RSS: idle $((idle_rss / 1024)) MiB, peak under load $((load_rss / 1024)) MiB."
  echo "Settings: wrk -t1 -c$connections -d${duration}s; h2load -c$connections -m10 -D$duration; nginx 1 worker; HAProxy nbthread 2; Outrigger --concurrency 2."
} | tee "$out/summary.md"
