#!/usr/bin/env bash
# vigil gateway vs nginx vs HAProxy, one run, one backend, loopback only.
#
#   bench/gateway-vs-peers.sh            # DURATION=10s CONNECTIONS=64 THREADS=2 WARMUP=30s ROUNDS=3 by default
#   DURATION=20s CONNECTIONS=128 ROUNDS=5 bench/gateway-vs-peers.sh
#
# Backend: nginx (1 worker) answering a 13-byte static body on 127.0.0.1:18080. Measured with wrk, in order:
# direct to the backend; through `vigil gateway`; through nginx proxy_pass with upstream keep-alive; through HAProxy;
# through NettyBytePump (bench/src/main/java/dev/vigil/bench/NettyBytePump.java: a TCP byte pump on Netty's transport,
# no HTTP work at all — the ceiling for any Netty proxy on this machine).
# Every target is warmed up for WARMUP first (a JVM keeps compiling for tens of seconds; a gateway is a long-running
# server, so its steady state is what counts).
# Two phases: saturation (as many requests as CONNECTIONS connections can push), then "half load": connections
# paced by a wrk Lua delay() to about half the slowest proxy's saturated rate, the same pacing for every target,
# to compare p99 latency (and the p99 each proxy adds over direct) when nothing is saturated.
# Equal work per request: like vigil, nginx and HAProxy set X-Forwarded-For/Proto/Host and a generated X-Request-Id
# on the upstream request and return that id to the client (vigil also records every request into its SLO engine
# and Prometheus metrics; the peers keep no per-request record: access logs off).
# Every proxy gets 2 workers/threads (the machine has 2 cores shared by wrk, the backend and the proxy, so absolute
# numbers are low; the ratios are the point). Needs: nginx, haproxy, wrk (apt-get install -y nginx haproxy wrk),
# a JDK 21+ and Maven. Bounded: 10 x ROUNDS measured runs of DURATION plus 4 warm-ups of WARMUP. Only 127.0.0.1 is
# contacted.
# Rounds: a shared VM's speed drifts by tens of percent within minutes (the direct rate alone has ranged 165-223 k
# req/s between two runs of this script), so one pass over the targets compares them at different moments. Each
# phase therefore runs ROUNDS interleaved passes (direct, vigil, nginx, HAProxy, pump; then the reverse; …) and
# reports every round, the median per target, and the median of the per-round ratios (each ratio taken within one
# round).
# The half-load phase also reports each proxy's CPU time per request (user + system, from /proc, all its threads and
# worker processes): at a fixed rate that is a steadier efficiency figure than saturated req/s on a shared machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
WARMUP="${WARMUP:-30s}"
ROUNDS="${ROUNDS:-3}"
BACKEND=18080 VIGIL=18081 VIGIL_ADMIN=18091 NGINX=18082 HAPROXY=18083 PUMP=18084

for tool in nginx haproxy wrk; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool: apt-get update && apt-get install -y nginx haproxy wrk" >&2; exit 2; }
done
. "$here/bin/find-jdk.sh"; vigil_find_jdk
jar="$here/vigil-cli/target/vigil.jar"
bench_jar="$here/bench/target/benchmarks.jar"
if [ ! -f "$jar" ] || [ ! -f "$bench_jar" ] || [ -n "${VIGIL_REBUILD:-}" ]; then
  (cd "$here" && mvn -q -B -o -DskipTests package -pl vigil-cli,bench -am) >&2
fi

. "$here/bench/lib.sh"
bench_scratch vigil-bench

nginx_backend_conf "$work" "$BACKEND" >"$work/backend.conf"

cat >"$work/proxy.conf" <<CONF
worker_processes 2;
pid $work/proxy.pid;
error_log $work/proxy-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  upstream backend { server 127.0.0.1:$BACKEND; keepalive 128; }
  server {
    listen 127.0.0.1:$NGINX backlog=4096;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$http_host;
      proxy_set_header X-Request-Id \$request_id;
      add_header X-Request-Id \$request_id always;
    }
  }
}
CONF

cat >"$work/haproxy.cfg" <<CONF
global
  nbthread 2
  maxconn 8192
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  option forwardfor
  http-reuse always
  unique-id-format %{+X}o\ %ci:%cp_%fi:%fp_%Ts_%rt:%pid
  unique-id-header X-Request-Id
frontend fe
  bind 127.0.0.1:$HAPROXY
  http-request set-header X-Forwarded-Proto http
  http-request set-header X-Forwarded-Host %[req.hdr(host)]
  http-response set-header X-Request-Id %[unique-id]
  default_backend be
backend be
  server b1 127.0.0.1:$BACKEND
CONF

cat >"$work/gateway.yaml" <<CONF
listeners:
  - address: 127.0.0.1
    port: $VIGIL
admin:
  address: 127.0.0.1
  port: $VIGIL_ADMIN
  token: bench-token-0123456789
upstreams:
  backend:
    endpoints: [127.0.0.1:$BACKEND]
    policy: round-robin
routes:
  - name: all
    prefix: /
    upstream: backend
CONF

nginx -p "$work" -c "$work/backend.conf" -g 'daemon off;' & pids+=($!)
nginx -p "$work" -c "$work/proxy.conf" -g 'daemon off;' & pids+=($!); nginx_pid=$!
haproxy -db -f "$work/haproxy.cfg" & pids+=($!); haproxy_pid=$!
"$JAVA_HOME/bin/java" $(vigil_jvm_opts) -Xms512m -Xmx512m -XX:+UseParallelGC -jar "$jar" gateway --config "$work/gateway.yaml" >"$work/vigil.log" 2>&1 & pids+=($!); vigil_pid=$!
"$JAVA_HOME/bin/java" $(vigil_jvm_opts) -Xms512m -Xmx512m -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled -cp "$bench_jar" dev.vigil.bench.NettyBytePump $PUMP $BACKEND 2 >"$work/pump.log" 2>&1 & pids+=($!); pump_pid=$!

wait_port() {
  for _ in $(seq 1 100); do
    if curl -fs -o /dev/null "http://127.0.0.1:$1/"; then return 0; fi
    sleep 0.1
  done
  echo "nothing answers on 127.0.0.1:$1" >&2; cat "$work/vigil.log" >&2; exit 1
}
for p in $BACKEND $VIGIL $NGINX $HAPROXY $PUMP; do wait_port "$p"; done
# The equal-work promise above, checked: every proxy returns a request id.
for p in $VIGIL $NGINX $HAPROXY; do
  head="$(curl -fs -D - -o /dev/null "http://127.0.0.1:$p/")" || { echo "no answer from 127.0.0.1:$p" >&2; exit 1; }
  grep -qi '^x-request-id: *[^ ]' <<<"$head" \
    || { echo "the proxy on 127.0.0.1:$p returns no X-Request-Id: its configuration is not doing the same work" >&2; exit 1; }
done

# The JVMs need a warm-up to compile the hot path; the others do not, but get the same treatment.
for p in $VIGIL $NGINX $HAPROXY $PUMP; do wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "http://127.0.0.1:$p/" >/dev/null; done

# CPU ticks (user + system) of a process, its threads and its child processes (nginx's workers).
cpu_ticks() {
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
declare -A owner=([vigil]=$vigil_pid [nginx]=$nginx_pid [haproxy]=$haproxy_pid [pump]=$pump_pid)

targets=(direct vigil nginx haproxy pump)
declare -A port=([direct]=$BACKEND [vigil]=$VIGIL [nginx]=$NGINX [haproxy]=$HAPROXY [pump]=$PUMP)
ms() { # wrk latency (e.g. 1.23ms, 850.00us, 1.02s) → milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
rounds_header() { printf "%-10s" "$1"; for r in $(seq 1 "$ROUNDS"); do printf " %10s" "round $r"; done; printf " %10s\n" median; }
row() { # label values...
  local label="$1"; shift
  printf "%-10s" "$label"; for v in "$@"; do printf " %10s" "$v"; done; printf " %10s\n" "$(median 2 "$@")"
}

# Saturation: as many requests as CONNECTIONS connections can push.
declare -A rps p99
measure() { # name port round
  local out
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$2/")"
  echo "$out" >"$work/$1-$3.txt"
  rps[$1,$3]="$(awk '/^Requests\/sec:/ {printf "%d", $2}' <<<"$out")"
  p99[$1,$3]="$(ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")"
  if grep -q "Non-2xx\|Socket errors" <<<"$out"; then echo "$1: $(grep -E 'Non-2xx|Socket errors' <<<"$out")" >&2; fi
}
# Odd rounds take the targets in the listed order, even rounds in reverse: each target runs after a different one
# (and at another position) from one round to the next.
in_order() { local r="$1" i n="${#targets[@]}"; for ((i = 0; i < n; i++)); do printf '%s ' "${targets[r % 2 ? i : n - 1 - i]}"; done; }
for r in $(seq 1 "$ROUNDS"); do for t in $(in_order "$r"); do measure "$t" "${port[$t]}" "$r"; done; done

per_round() { # array-name target → the target's value in each round
  local -n arr="$1"; local r; for r in $(seq 1 "$ROUNDS"); do printf '%s ' "${arr[$2,$r]}"; done
}
ratios() { # array-name a b → a/b in each round
  local -n arr="$1"; local r; for r in $(seq 1 "$ROUNDS"); do printf '%s ' "$(ratio "${arr[$2,$r]}" "${arr[$3,$r]}")"; done
}

echo
echo "saturation: wrk -t$THREADS -c$CONNECTIONS -d$DURATION, 13-byte body, $(nproc) cores shared by wrk, backend and proxy, $ROUNDS interleaved rounds"
rounds_header "req/s"
for t in "${targets[@]}"; do row "$t" $(per_round rps "$t"); done
rounds_header "p99 ms"
for t in "${targets[@]}"; do row "$t" $(per_round p99 "$t"); done
rounds_header "ratio"
row vigil/nginx $(ratios rps vigil nginx)
row vigil/haprx $(ratios rps vigil haproxy)
row vigil/pump $(ratios rps vigil pump)
row pump/nginx $(ratios rps pump nginx)

# Half load: the same pacing for every target, about half the slowest proxy's median saturated rate.
slowest="$(median 2 $(per_round rps vigil)) $(median 2 $(per_round rps nginx)) $(median 2 $(per_round rps haproxy))"
half="$(printf '%s\n' $slowest | sort -g | head -1 | awk '{ printf "%d", $1 / 2 }')"
# Each connection sends, waits 1 ms, sends again: about 1000 / (1 + latency ms) requests/s per connection, so the
# connection count sets the rate (latency assumed ~0.3 ms; the table shows the rate each target actually got).
delay_ms=1
PACED_CONNECTIONS="$(awk -v r="$half" 'BEGIN { c = int(r * 1.3 / 1000 + 0.5); if (c < 2) c = 2; print c }')"
printf 'function delay() return %s end\n' "$delay_ms" >"$work/pace.lua"
declare -A hrps hp99 hadded hcpu
tick="$(getconf CLK_TCK)"
paced() { # name port round
  local out before after n
  before="$(cpu_ticks "${owner[$1]:-$$}")"
  out="$(wrk -t"$THREADS" -c$PACED_CONNECTIONS -d"$DURATION" --latency -s "$work/pace.lua" "http://127.0.0.1:$2/")"
  after="$(cpu_ticks "${owner[$1]:-$$}")"
  hrps[$1,$3]="$(awk '/^Requests\/sec:/ {printf "%d", $2}' <<<"$out")"
  hp99[$1,$3]="$(ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")"
  n="$(awk '/requests in/ {print $1}' <<<"$out")"
  if [ -n "${owner[$1]:-}" ]; then
    hcpu[$1,$3]="$(awk -v t="$((after - before))" -v hz="$tick" -v n="$n" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')"
  fi
}
for r in $(seq 1 "$ROUNDS"); do
  for t in $(in_order "$r"); do paced "$t" "${port[$t]}" "$r"; done
  # The p99 each proxy adds, against direct's p99 of the same round.
  for t in vigil nginx haproxy pump; do hadded[$t,$r]="$(awk -v a="${hp99[$t,$r]}" -v d="${hp99[direct,$r]}" 'BEGIN { printf "%.2f", a - d }')"; done
done
echo
echo "half load: wrk -t$THREADS -c$PACED_CONNECTIONS -d$DURATION, each connection waits ${delay_ms} ms between requests (target ~$half req/s), $ROUNDS interleaved rounds"
rounds_header "req/s"
for t in "${targets[@]}"; do row "$t" $(per_round hrps "$t"); done
rounds_header "p99 ms"
for t in "${targets[@]}"; do row "$t" $(per_round hp99 "$t"); done
rounds_header "added p99"
for t in vigil nginx haproxy pump; do row "$t" $(per_round hadded "$t"); done
rounds_header "CPU us/req"
for t in vigil nginx haproxy pump; do row "$t" $(per_round hcpu "$t"); done
rounds_header "CPU ratio"
row vigil/nginx $(ratios hcpu vigil nginx)
row vigil/haprx $(ratios hcpu vigil haproxy)
row vigil/pump $(ratios hcpu vigil pump)
