# shellcheck shell=bash
# Shared by the end-to-end benchmark scripts (sourced, not run): a scratch directory removed on
# exit with every process started into `pids`, and nginx as the upstream serving a 1 KiB body.
# Expects `set -euo pipefail` and `root` (the repository) from the caller.

work=$(mktemp -d)
chmod 755 "$work" # nginx workers run as an unprivileged user and must read the payload
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# start_nginx "<server blocks>": one worker, no access log; the blocks may `try_files /1k`.
start_nginx() {
  head -c 1024 /dev/zero | tr '\0' 'x' > "$work/1k"
  cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  $1
}
NGINX
  nginx -c "$work/nginx.conf" -p "$work" & pids+=($!)
}

# nginx_server PORT [http2]: a server block answering every path with the 1 KiB body.
nginx_server() {
  echo "server { listen 127.0.0.1:$1 ${2:-}; location / { root $work; try_files /1k =404; } }"
}
