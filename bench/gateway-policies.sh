#!/usr/bin/env bash
# vigil gateway with every edge policy on vs off, embedded state and Redis, loopback only.
#
#   bench/gateway-policies.sh                      # DURATION=5s CONNECTIONS=32 THREADS=2
#   DURATION=10s CONNECTIONS=64 bench/gateway-policies.sh
#
# Backend: nginx (1 worker) on 127.0.0.1:18180 answering a 13-byte body. Three gateways, started together:
#   off      — the plain proxy (no policy section);
#   embedded — API key → tenant/plan, rate limit (a plan far above the offered load, so every request is decided and
#              admitted), idempotency (required on POST /orders), response cache (GET /items, 60 s TTL);
#   redis    — the same on the Redis at 127.0.0.1:6379 (REDIS=host:port to change).
# Workloads, each measured against all three gateways:
#   GET /items   — cached route: every request resolves the tenant, takes a rate-limit decision and is a cache HIT;
#   GET /other   — uncached route: tenant + rate limit, then proxied (the pure per-request policy overhead);
#   POST /orders — a fresh Idempotency-Key per request (wrk Lua): claim, buffered body, completion with the response.
# Reported: req/s and p99 per gateway, and the ratio on/off. The machine has 2 cores shared by wrk, nginx, the three
# JVMs and Redis: absolute numbers are low and noisy, the ratios are the point. Bounded: 9 measured runs of DURATION
# plus 5 s warm-ups. Redis keys are those of this run's tenant only (bench-<pid>-…) and are deleted at the end.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-5s}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
REDIS="${REDIS:-127.0.0.1:6379}"
BACKEND=18180
declare -A PORT=([off]=18181 [embedded]=18182 [redis]=18183)
declare -A ADMIN=([off]=18191 [embedded]=18192 [redis]=18193)
RUN="bench-$$"
KEY="bench-key-$RUN"

for tool in nginx wrk redis-cli curl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool: apt-get install -y nginx wrk redis-tools curl" >&2; exit 2; }
done
redis-cli -h "${REDIS%:*}" -p "${REDIS#*:}" ping >/dev/null || { echo "no Redis at $REDIS" >&2; exit 2; }
. "$here/bin/find-jdk.sh"; vigil_find_jdk
jar="$here/vigil-cli/target/vigil.jar"
if [ ! -f "$jar" ] || [ -n "${VIGIL_REBUILD:-}" ]; then
  (cd "$here" && mvn -q -B -o -DskipTests package -pl vigil-cli -am) >&2
fi

work="$(mktemp -d /tmp/vigil-policies.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  redis-cli -h "${REDIS%:*}" -p "${REDIS#*:}" --scan --pattern "*$RUN*" | xargs -r -n 500 redis-cli -h "${REDIS%:*}" -p "${REDIS#*:}" del >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

. "$here/bench/lib.sh"
nginx_backend_conf "$work" "$BACKEND" >"$work/backend.conf"

hash="$(printf %s "$KEY" | sha256sum | cut -d' ' -f1)"
gateway_file() { # name state
  cat <<CONF
listeners: [{address: 127.0.0.1, port: ${PORT[$1]}}]
admin: {address: 127.0.0.1, port: ${ADMIN[$1]}, token: bench-token-0123456789}
upstreams:
  backend: {endpoints: [127.0.0.1:$BACKEND], policy: round-robin}
CONF
  if [ "$1" = off ]; then
    printf 'routes:\n  - {name: all, prefix: /, upstream: backend}\n'
    return
  fi
  cat <<CONF
state: $2
state-dir: $work/state-$1
plans:
  bench: {rate: 10000000 rps, burst: 10000000}
tenants:
  keys: [{sha256: $hash, tenant: $RUN, plan: bench}]
routes:
  - {name: items, prefix: /items, upstream: backend, cache: {ttl: 60s}}
  - {name: orders, prefix: /orders, upstream: backend, idempotency: {mode: required, ttl: 2m}}
  - {name: all, prefix: /, upstream: backend}
CONF
}
gateway_file off "" >"$work/off.yaml"
gateway_file embedded embedded >"$work/embedded.yaml"
gateway_file redis "redis://$REDIS" >"$work/redis.yaml"

nginx -p "$work" -c "$work/backend.conf" -g 'daemon off;' & pids+=($!)
for g in off embedded redis; do
  "$JAVA_HOME/bin/java" -Xms256m -Xmx256m -XX:+UseParallelGC -jar "$jar" gateway --config "$work/$g.yaml" >"$work/$g.log" 2>&1 & pids+=($!)
done
wait_port() {
  for _ in $(seq 1 150); do
    if curl -fs -o /dev/null -H "X-Api-Key: $KEY" "http://127.0.0.1:$1/other"; then return 0; fi
    sleep 0.1
  done
  echo "nothing answers on 127.0.0.1:$1" >&2; cat "$work"/*.log >&2; exit 1
}
wait_port $BACKEND
for g in off embedded redis; do wait_port "${PORT[$g]}"; done

cat >"$work/get.lua" <<LUA
wrk.headers["X-Api-Key"] = "$KEY"
LUA
cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"sku":42}'
wrk.headers["X-Api-Key"] = "$KEY"
wrk.headers["Content-Type"] = "application/json"
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
local n = 0
request = function()
  n = n + 1
  wrk.headers["Idempotency-Key"] = "$RUN-" .. tostring(tid) .. "-" .. n
  return wrk.format(nil, "/orders")
end
LUA

for g in off embedded redis; do wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$work/get.lua" "http://127.0.0.1:${PORT[$g]}/other" >/dev/null; done

declare -A rps p99
measure() { # label gateway script path
  local out
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$work/$3" "http://127.0.0.1:${PORT[$2]}$4")"
  echo "$out" >"$work/$1-$2.txt"
  rps[$1-$2]="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  p99[$1-$2]="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  if grep -q "Non-2xx\|Socket errors" <<<"$out"; then echo "$1 $2: $(grep -E 'Non-2xx|Socket errors' <<<"$out")" >&2; fi
}
ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION; $(nproc) cores shared by wrk, nginx, three gateways and Redis"
printf "%-14s %-9s %10s %9s %12s\n" workload gateway "req/s" "p99 ms" "on/off req/s"
for w in "get-cached get.lua /items" "get-uncached get.lua /other" "post-idempotent post.lua /orders"; do
  set -- $w
  for g in off embedded redis; do measure "$1" "$g" "$2" "$3"; done
  for g in off embedded redis; do
    ratio="$(awk -v a="${rps[$1-$g]}" -v b="${rps[$1-off]}" 'BEGIN { printf "%.2f", a / b }')"
    printf "%-14s %-9s %10s %9s %12s\n" "$1" "$g" "${rps[$1-$g]}" "$(ms "${p99[$1-$g]}")" "$ratio"
  done
done
