#!/usr/bin/env bash
# Throughput of the references on Grpc.AspNetCore, in one run: an empty unary call, and the same plus one
# EVALSHA round trip to a redis-server this script starts (the floor of a Redis-backed check).
# tests/perf/verify-bench.sh measures Verify builds against the same two references.
#
# Builds tests/Verify.Benchmarks (Release), starts redis-server and its `reference` mode, checks that both
# paths answer grpc-status 0 with an empty message (h2load counts any HTTP 2xx as a success), then runs
# h2load against both paths with the same settings, alternating, ROUNDS times each, and prints per run and
# as medians: req/s, and what the server spent per call (managed bytes allocated, CPU time), read from the
# host before and after each run. Stops the host and redis-server on exit.
#
# Usage: tests/perf/h2load.sh [-n requests] [-c clients] [-m streams] [-t threads] [-r rounds] [-w warmup]
#                             [-T grpc-timeout]
#   -T 5S sends grpc-timeout: 5S on every call (real clients set deadlines).
# Environment:
#   ARTIFACTS        build output (default /tmp/art-perf; a private path so parallel builds don't collide)
#   NO_BUILD=1       use the existing build under ARTIFACTS
#   DOTNET_gcServer  GC of the host; default 1, as the Web SDK gives Verify.Server
#   TASKSET_HOST / TASKSET_LOAD  CPUs of the host and of h2load; default 1 and 0 on a machine with 2
#                    or more cores, so they do not take turns on the same core (set both empty to not pin)
set -euo pipefail

requests=500000 clients=16 streams=32 threads=1 rounds=9 warmup=1000000 timeout=
while getopts "n:c:m:t:r:w:T:h" option; do
  case "$option" in
    n) requests=$OPTARG ;;
    c) clients=$OPTARG ;;
    m) streams=$OPTARG ;;
    t) threads=$OPTARG ;;
    r) rounds=$OPTARG ;;
    w) warmup=$OPTARG ;;
    T) timeout=$OPTARG ;;
    *) sed -n '2,24p' "$0"; exit 2 ;;
  esac
done

repo=$(cd "$(dirname "$0")/../.." && pwd)
artifacts=${ARTIFACTS:-/tmp/art-perf}
empty_path=/verify.bench.v1.Reference/Empty
floor_path=/verify.bench.v1.Reference/Floor
exe="$artifacts/bin/Verify.Benchmarks/release/Verify.Benchmarks"

if (( $(nproc) >= 2 )); then
  TASKSET_HOST=${TASKSET_HOST-1}
  TASKSET_LOAD=${TASKSET_LOAD-0}
fi
extra_headers=()
[[ -n "$timeout" ]] && extra_headers=(-H "grpc-timeout: $timeout")

for tool in h2load curl dotnet redis-server redis-cli python3; do
  command -v "$tool" > /dev/null || { echo "missing tool: $tool" >&2; exit 2; }
done

if [[ "${NO_BUILD:-0}" != 1 ]]; then
  echo "== build (Release, artifacts $artifacts)"
  dotnet build "$repo/tests/Verify.Benchmarks" -c Release --artifacts-path "$artifacts" -nologo -v q > /dev/null
fi
[[ -x "$exe" ]] || { echo "not built: $exe" >&2; exit 2; }

work=$(mktemp -d)
host_pid= redis_pid=
cleanup() {
  local pid
  for pid in $host_pid $redis_pid; do
    if kill -0 "$pid" 2> /dev/null; then
      kill "$pid"
      wait "$pid" 2> /dev/null || true
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT

# The request body of every call: an empty message, not compressed (flag 0, length 0).
printf '\0\0\0\0\0' > "$work/req.bin"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
redis_port=$(free_port)
${TASKSET_LOAD:+taskset -c "$TASKSET_LOAD"} redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no > "$work/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 1 100); do
  [[ "$(redis-cli -h 127.0.0.1 -p "$redis_port" PING 2> /dev/null)" == PONG ]] && break
  sleep 0.1
done

export DOTNET_gcServer=${DOTNET_gcServer:-1}
port=$(free_port)
${TASKSET_HOST:+taskset -c "$TASKSET_HOST"} "$exe" reference --port "$port" --redis "127.0.0.1:$redis_port" > "$work/host.log" 2>&1 &
host_pid=$!
for _ in $(seq 1 300); do
  grep -q '^LISTENING' "$work/host.log" && break
  kill -0 "$host_pid" 2> /dev/null || break
  sleep 0.1
done
grep -q '^LISTENING' "$work/host.log" || { echo "host did not start:" >&2; cat "$work/host.log" >&2; exit 1; }
base=http://127.0.0.1:$port

echo "== machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo); $(h2load --version | head -1); $(dotnet --version) SDK"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews req/s; server CPU per call less so)"
echo "== host: pid $host_pid, port $port, DOTNET_gcServer=$DOTNET_gcServer; host on CPU ${TASKSET_HOST:-any}, h2load and redis-server on CPU ${TASKSET_LOAD:-any}"

# h2load only sees HTTP 200; the gRPC status is in the trailers, so check one call per path by hand.
check() {
  local path=$1 status
  curl -sS -v --http2-prior-knowledge --max-time 10 -H 'content-type: application/grpc' -H 'te: trailers' "${extra_headers[@]}" \
    --data-binary @"$work/req.bin" -o "$work/body.bin" "$base$path" 2> "$work/curl.log"
  grep -E '^< (HTTP/2|content-type|grpc-)' "$work/curl.log" | tr -d '\r' | sed "s|^|   $path |"
  status=$(tr -d '\r' < "$work/curl.log" | awk -F': ' 'tolower($1) == "< grpc-status" { print $2 }')
  if [[ "$status" != 0 ]] || ! cmp -s "$work/body.bin" "$work/req.bin"; then
    echo "FAIL: $path answered grpc-status '${status}' with $(stat -c %s "$work/body.bin") body bytes" >&2
    exit 1
  fi
}
echo "== grpc-status of one call per path"
check "$empty_path"
check "$floor_path"

process_stats() { curl -sS --http2-prior-knowledge --max-time 10 "$base/_perf/process"; }
field() { sed -n "s/.*$1=\([0-9]*\).*/\1/p" <<< "$2"; }

# One h2load run; prints "req_per_s bytes_per_call cpu_us_per_call".
run() {
  local path=$1 count=$2 before after out rps ok
  before=$(process_stats)
  out=$(${TASKSET_LOAD:+taskset -c "$TASKSET_LOAD"} h2load -n "$count" -c "$clients" -m "$streams" -t "$threads" \
    -d "$work/req.bin" -H 'content-type: application/grpc' -H 'te: trailers' "${extra_headers[@]}" "$base$path")
  after=$(process_stats)
  rps=$(awk '/^finished in/ { print $4 }' <<< "$out")
  ok=$(awk '/^status codes:/ { print $3 }' <<< "$out")
  if [[ "$ok" != "$count" ]]; then
    echo "FAIL: $path: $ok of $count answered 2xx" >&2
    echo "$out" >&2
    exit 1
  fi
  awk -v rps="$rps" -v n="$count" \
      -v a0="$(field allocated_bytes "$before")" -v a1="$(field allocated_bytes "$after")" \
      -v c0="$(field cpu_ms "$before")" -v c1="$(field cpu_ms "$after")" \
      'BEGIN { printf "%.0f %.0f %.2f\n", rps, (a1 - a0) / n, (c1 - c0) * 1000 / n }'
}

settings="-n $requests -c $clients -m $streams -t $threads${timeout:+ -H 'grpc-timeout: $timeout'}"
echo "== warm-up: $warmup calls per path"
run "$empty_path" "$warmup" > /dev/null
run "$floor_path" "$warmup" > /dev/null

echo "== $rounds rounds of h2load $settings per path, alternating (server CPU includes the kernel's share)"
printf '   %-5s %-6s %12s %14s %20s\n' round path req/s B/call "server CPU us/call"
: > "$work/empty.txt"
: > "$work/floor.txt"
for round in $(seq 1 "$rounds"); do
  order="empty floor"
  (( round % 2 == 0 )) && order="floor empty"
  for name in $order; do
    path=$empty_path
    [[ $name == floor ]] && path=$floor_path
    result=$(run "$path" "$requests")
    echo "$result" >> "$work/$name.txt"
    read -r rps bytes cpu <<< "$result"
    printf '   %-5s %-6s %12s %14s %20s\n' "$round" "$name" "$rps" "$bytes" "$cpu"
  done
done

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for name in empty floor; do
  for column in 1 2 3; do
    declare "${name}_$column=$(cut -d' ' -f"$column" "$work/$name.txt" | median)"
  done
done

echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== medians ($settings, $rounds runs each)"
printf '   %-40s %12s %10s %20s\n' path req/s B/call "server CPU us/call"
printf '   %-40s %12.0f %10.0f %20.2f\n' "empty $empty_path" "$empty_1" "$empty_2" "$empty_3"
printf '   %-40s %12.0f %10.0f %20.2f\n' "floor $floor_path" "$floor_1" "$floor_2" "$floor_3"
awk -v e="$empty_1" -v f="$floor_1" -v ec="$empty_3" -v fc="$floor_3" 'BEGIN {
  printf "   floor/empty req/s: %.3f; server CPU per call: %.2fx (the EVALSHA round trip, as the server pays it)\n", f / e, fc / ec
}'
