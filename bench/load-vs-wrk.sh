#!/usr/bin/env bash
# Max request rate of `vigil load` vs wrk, same trivial loopback server, same connection count, same run length.
#
#   bench/load-vs-wrk.sh            # CONNECTIONS=64 DURATION=10 ROUNDS=2 by default
#
# The server is nginx answering `200 ok` from memory (1 worker, pinned to CPU 0); each client is pinned to CPU 1
# with one thread (wrk -t1, vigil --threads 1), so both clients get the same single core. vigil runs a closed
# model (users = connections, no think time): as many requests as the connections can carry, like wrk.
# Each round runs wrk then vigil; the best round of each is compared. Prints one Markdown table row.
set -euo pipefail
CONNECTIONS="${CONNECTIONS:-64}"
DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-2}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need wrk || ! need nginx; then
  echo "installing wrk and nginx (Debian packages) ..." >&2
  apt-get update -qq >&2
  apt-get install -y -qq wrk nginx-light >&2 || apt-get install -y -qq wrk nginx >&2
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

. "$root/bin/find-jdk.sh"
vigil_find_jdk
jar="$root/vigil-cli/target/vigil.jar"
if [ ! -f "$jar" ]; then
  (cd "$root" && mvn -q -B -DskipTests package -pl vigil-cli -am) >&2
fi

tmp="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
mkdir -p "$tmp/logs"
cat > "$tmp/nginx.conf" <<CONF
worker_processes 1;
daemon on;
pid $tmp/nginx.pid;
error_log $tmp/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  client_body_temp_path $tmp/body;
  proxy_temp_path $tmp/proxy;
  fastcgi_temp_path $tmp/fastcgi;
  uwsgi_temp_path $tmp/uwsgi;
  scgi_temp_path $tmp/scgi;
  server {
    listen 127.0.0.1:$port;
    location / { default_type text/plain; return 200 "ok"; }
  }
}
CONF
taskset -c 0 "$NGINX" -p "$tmp" -c "$tmp/nginx.conf"
trap '"$NGINX" -p "$tmp" -c "$tmp/nginx.conf" -s stop 2>/dev/null || true; rm -rf "$tmp"' EXIT
sleep 0.5

cat > "$tmp/max.yaml" <<YAML
target: http://127.0.0.1:$port
connections: $CONNECTIONS
phases:
  - { name: max, duration: ${DURATION}s, users: $CONNECTIONS }
scenarios:
  - name: root
    flow:
      - get: /
YAML

best_wrk=0
best_vigil=0
for round in $(seq 1 "$ROUNDS"); do
  w="$(taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$port/" | awk '/Requests\/sec/ {print $2}')"
  taskset -c 1 "$JAVA_HOME/bin/java" ${VIGIL_JAVA_OPTS:-} -jar "$jar" load "$tmp/max.yaml" --threads 1 \
      --out "$tmp/out" > "$tmp/vigil.log" 2>&1 || { cat "$tmp/vigil.log" >&2; exit 1; }
  v="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["totals"]["rps"])' "$tmp/out/result.json")"
  echo "round $round: wrk $w req/s, vigil load $v req/s" >&2
  best_wrk="$(python3 -c "print(max($best_wrk, $w))")"
  best_vigil="$(python3 -c "print(max($best_vigil, $v))")"
done
ratio="$(python3 -c "print(f'{$best_vigil / $best_wrk:.2f}')")"
echo "| $(date -u +%Y-%m-%d) | $(nproc) cores (server CPU 0, client CPU 1) | $CONNECTIONS | ${DURATION}s | $(printf '%.0f' "$best_wrk") | $(printf '%.0f' "$best_vigil") | ${ratio}x |"
