#!/usr/bin/env bash
# Two builds of `vigil gateway` side by side on one backend, measured in interleaved rounds: the way to tell
# whether a change to the request path made it faster, on a machine whose speed drifts by more than the change.
#
#   cp vigil-cli/target/vigil.jar /tmp/before.jar      # build, keep the old jar; change, build again
#   bench/gateway-ab.sh /tmp/before.jar vigil-cli/target/vigil.jar
#   ROUNDS=6 DURATION=6s WARMUP=25s A_OPTS=-XX:+UseG1GC B_OPTS=-XX:+UseParallelGC bench/gateway-ab.sh x.jar x.jar
#
# Backend: nginx (1 worker, 13-byte static body, bench/lib.sh) on 127.0.0.1:18070; gateway A on :18071, B on :18072.
# Each round measures both (A first in odd rounds, B first in even ones): saturation (wrk -t2 -c64, req/s) and a paced rate (wrk -c40, 1 ms between requests
# per connection), where it reports the gateway's CPU time per request (user + system from /proc, all threads).
# Both JVMs run with -Xms512m -Xmx512m -XX:+UseParallelGC plus A_OPTS / B_OPTS. Needs nginx and wrk. Bounded:
# 2 warm-ups of WARMUP plus 4 x ROUNDS runs of DURATION. Only 127.0.0.1 is contacted.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -eq 2 ] || { echo "usage: bench/gateway-ab.sh A.jar B.jar" >&2; exit 2; }
for jar in "$1" "$2"; do [ -f "$jar" ] || { echo "no such jar: $jar" >&2; exit 2; }; done
for tool in nginx wrk; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool: apt-get update && apt-get install -y nginx wrk" >&2; exit 2; }
done
ROUNDS="${ROUNDS:-4}" DURATION="${DURATION:-6s}" WARMUP="${WARMUP:-25s}"
BACKEND=18070
. "$here/bin/find-jdk.sh"; vigil_find_jdk
. "$here/bench/lib.sh"
bench_scratch vigil-ab

nginx_backend_conf "$work" "$BACKEND" >"$work/backend.conf"
nginx -p "$work" -c "$work/backend.conf" -g 'daemon off;' & pids+=($!)

declare -A port=([A]=18071 [B]=18072) admin=([A]=18081 [B]=18082) jar=([A]="$1" [B]="$2") opts=([A]="${A_OPTS:-}" [B]="${B_OPTS:-}") pid
for g in A B; do
  cat >"$work/$g.yaml" <<CONF
listeners: [{address: 127.0.0.1, port: ${port[$g]}}]
admin: {address: 127.0.0.1, port: ${admin[$g]}, token: bench-token-0123456789}
upstreams: {backend: {endpoints: ["127.0.0.1:$BACKEND"], policy: round-robin}}
routes: [{name: all, prefix: /, upstream: backend}]
CONF
  # shellcheck disable=SC2086 # the options are words
  "$JAVA_HOME/bin/java" $(vigil_jvm_opts) -Xms512m -Xmx512m -XX:+UseParallelGC ${opts[$g]} -jar "${jar[$g]}" \
    gateway --config "$work/$g.yaml" >"$work/$g.log" 2>&1 & pids+=($!); pid[$g]=$!
done
for g in A B; do
  for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:${port[$g]}/" && break; sleep 0.1; done
  curl -fs -o /dev/null "http://127.0.0.1:${port[$g]}/" || { echo "gateway $g did not start:" >&2; cat "$work/$g.log" >&2; exit 1; }
done

for g in A B; do wrk -t2 -c64 -d"$WARMUP" "http://127.0.0.1:${port[$g]}/" >/dev/null; done
printf 'function delay() return 1 end\n' >"$work/pace.lua"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
tick="$(getconf CLK_TCK)"
echo "A = $1 ${A_OPTS:-}"
echo "B = $2 ${B_OPTS:-}"
echo "$(nproc) cores shared by wrk, the backend and both gateways; $ROUNDS rounds of $DURATION (A first in odd rounds, B first in even ones)"
printf "%-6s %-3s %14s %18s\n" round jar "saturated req/s" "paced CPU us/req"
declare -A sat cpu
for r in $(seq 1 "$ROUNDS"); do
  order="A B"; [ $((r % 2)) -eq 0 ] && order="B A"
  for g in $order; do
    sat[$g,$r]="$(wrk -t2 -c64 -d"$DURATION" "http://127.0.0.1:${port[$g]}/" | awk '/^Requests\/sec:/ {printf "%d", $2}')"
    before="$(ticks "${pid[$g]}")"
    n="$(wrk -t2 -c40 -d"$DURATION" -s "$work/pace.lua" "http://127.0.0.1:${port[$g]}/" | awk '/requests in/ {print $1}')"
    after="$(ticks "${pid[$g]}")"
    cpu[$g,$r]="$(awk -v t="$((after - before))" -v hz="$tick" -v n="$n" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }')"
    printf "%-6s %-3s %14s %18s\n" "$r" "$g" "${sat[$g,$r]}" "${cpu[$g,$r]}"
  done
done
sat_ratios="" cpu_ratios=""
for r in $(seq 1 "$ROUNDS"); do
  sat_ratios+="$(awk -v a="${sat[A,$r]}" -v b="${sat[B,$r]}" 'BEGIN { printf "%.3f", b / a }') "
  cpu_ratios+="$(awk -v a="${cpu[A,$r]}" -v b="${cpu[B,$r]}" 'BEGIN { printf "%.3f", b / a }') "
done
echo "B/A per round: saturated req/s $sat_ratios; paced CPU per request $cpu_ratios"
# shellcheck disable=SC2086 # lists of numbers
echo "median B/A: saturated req/s $(median 3 $sat_ratios), paced CPU per request $(median 3 $cpu_ratios)"
