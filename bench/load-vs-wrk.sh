#!/usr/bin/env bash
# Max request rate of `vigil load` vs wrk, same trivial loopback server, same connection count, same run length.
#
#   bench/load-vs-wrk.sh            # CONNECTIONS=64 DURATION=10 ROUNDS=2 by default
#
# The server is nginx answering `200 ok` from memory (1 worker, pinned to CPU 0); each client is pinned to CPU 1
# with one thread (wrk -t1, vigil --threads 1), so both clients get the same single core. vigil runs a closed
# model (users = connections, no think time): as many requests as the connections can carry, like wrk.
# Each round runs wrk then vigil; the best round of each is compared. Also reports requests per CPU-second of
# each client (kernel accounting, vigil's JVM start and JIT included), which other load on the machine disturbs
# far less than the rate. Prints a Markdown table row.
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

# Runs a command; prints its CPU seconds (user + sys, from the kernel's accounting) on stderr's last line.
cpu_of() { python3 -c '
import resource, subprocess, sys
out = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(out.stdout)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stdout.write("CPU_SECONDS %.3f\n" % (r.ru_utime + r.ru_stime))
sys.exit(out.returncode)' "$@"; }

best_wrk=0; best_vigil=0; wrk_eff=0; vigil_eff=0
for round in $(seq 1 "$ROUNDS"); do
  wout="$(cpu_of taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$port/")"
  w="$(awk '/Requests\/sec/ {print $2}' <<<"$wout")"
  wn="$(awk '/requests in/ {print $1}' <<<"$wout")"
  wc="$(awk '/CPU_SECONDS/ {print $2}' <<<"$wout")"
  vout="$(cpu_of taskset -c 1 "$JAVA_HOME/bin/java" ${VIGIL_JAVA_OPTS:-} -jar "$jar" load "$tmp/max.yaml" --threads 1 \
      --out "$tmp/out")" || { echo "$vout" >&2; exit 1; }
  v="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["totals"]["rps"])' "$tmp/out/result.json")"
  vn="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["totals"]["count"])' "$tmp/out/result.json")"
  vc="$(awk '/CPU_SECONDS/ {print $2}' <<<"$vout")"
  echo "round $round: wrk $w req/s ($wn requests, $wc CPU s), vigil load $v req/s ($vn requests, $vc CPU s incl. JVM start)" >&2
  best_wrk="$(python3 -c "print(max($best_wrk, $w))")"
  best_vigil="$(python3 -c "print(max($best_vigil, $v))")"
  wrk_eff="$(python3 -c "print(max($wrk_eff, $wn / $wc))")"
  vigil_eff="$(python3 -c "print(max($vigil_eff, $vn / $vc))")"
done
ratio="$(python3 -c "print(f'{$best_vigil / $best_wrk:.2f}')")"
eff_ratio="$(python3 -c "print(f'{$vigil_eff / $wrk_eff:.2f}')")"
echo "| date | cores | connections | run | wrk req/s | vigil req/s | ratio | wrk req/CPU-s | vigil req/CPU-s | ratio |"
echo "| $(date -u +%Y-%m-%d) | $(nproc) cores (server CPU 0, client CPU 1) | $CONNECTIONS | ${DURATION}s | $(printf '%.0f' "$best_wrk") | $(printf '%.0f' "$best_vigil") | ${ratio}x | $(printf '%.0f' "$wrk_eff") | $(printf '%.0f' "$vigil_eff") | ${eff_ratio}x |"
