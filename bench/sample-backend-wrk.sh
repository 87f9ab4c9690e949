#!/usr/bin/env bash
# Throughput of `vigil sample-backend` on loopback, measured with wrk (Debian package `wrk`).
# Shows how much headroom the demo's 500 req/s has. Usage: bench/sample-backend-wrk.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
secs="${1:-10}"; conns="${2:-32}"; port=18089
command -v wrk >/dev/null || { echo "install wrk first: apt-get install wrk" >&2; exit 2; }
[ -f vigil-cli/target/vigil.jar ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 2; }
. bin/find-jdk.sh; vigil_find_jdk
"$JAVA_HOME/bin/java" -jar vigil-cli/target/vigil.jar sample-backend --port "$port" --threads 1 >/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
lua=$(mktemp --suffix=.lua)
cat > "$lua" <<'LUA'
wrk.method = "POST"; wrk.body = '{"points":5}'; wrk.headers["Content-Type"] = "application/json"
n = 0
request = function() n = n + 1; return wrk.format(nil, "/users/u" .. (n % 1000) .. "/points") end
LUA
echo "cores: $(nproc); 1 event-loop thread; wrk -t1 -c$conns -d${secs}s (after a ${secs}s warm-up)"
wrk -t1 -c"$conns" -d"${secs}s" -s "$lua" "http://127.0.0.1:$port" >/dev/null   # warm-up (JIT) and 1000 users
for route in "POST /users/{id}/points|-s $lua http://127.0.0.1:$port" "GET /leaderboard (1000 users)|http://127.0.0.1:$port/leaderboard" "GET /healthz|http://127.0.0.1:$port/healthz"; do
  name="${route%%|*}"; args="${route#*|}"
  # shellcheck disable=SC2086
  rps=$(wrk -t1 -c"$conns" -d"${secs}s" $args | awk '/Requests\/sec/ {print $2}')
  printf '%-32s %10s req/s\n' "$name" "$rps"
done
rm -f "$lua"
