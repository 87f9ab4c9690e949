# Sourced by the bench scripts: pieces every side-by-side run shares. Loopback only.

# nginx_backend_conf WORK PORT: prints the config of the benchmark backend, one nginx worker answering a
# 13-byte static body on 127.0.0.1:PORT, its pid and error log in WORK.
nginx_backend_conf() {
  cat <<CONF
worker_processes 1;
pid $1/backend.pid;
error_log $1/backend-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$2 reuseport backlog=4096;
    location / { default_type text/plain; return 200 "hello, world\n"; }
  }
}
CONF
}

# bench_scratch NAME: sets $work to a fresh directory /tmp/NAME.XXXXXX and $pids to an empty list; when the script
# exits, every process whose pid was added to pids is stopped and the directory removed.
bench_scratch() {
  work="$(mktemp -d "/tmp/$1.XXXXXX")"
  pids=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}

# median DECIMALS VALUE...: the median of the values; an even count averages the middle two, printed with DECIMALS.
median() {
  local decimals="$1"; shift
  printf '%s\n' "$@" | sort -g | awk -v d="$decimals" '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%." d "f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
