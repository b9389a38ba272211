#!/usr/bin/env bash
# Check and start throughput, p50/p99, Redis CPU and memory, and Verify's allocations, of Verify builds over one
# redis-server, against two references, in one run (issue 11's benchmark).
#
# Starts its own redis-server, the no-op webhook sink, the references (Verify.Benchmarks reference: an empty unary
# call on Grpc.AspNetCore, and the same plus one EVALSHA to the same redis-server) and every Verify build given,
# all on free loopback ports, Verify in Production with Redis, an HMAC key, an API-key caller and limits raised so
# distinct-number starts are never throttled. Then, in rounds that alternate the order of the targets:
#   phase 1, peak: check (NOT_FOUND by phone+purpose) with h2load and with the load generator (closed loop),
#                  start to distinct numbers, and wrong-code check (by id, a wrong code, on verifications started
#                  just before through the no-op sink, at most -A calls each) with the load generator; the
#                  references take the same h2load and load-generator runs with their Empty and Floor calls;
#   phase 2, latency: check, wrong-code check and start at a fixed rate (open loop): half the slowest build's
#                  median peak (load generator), the same rate for every build; the references at the check rate.
# Around every load-generator run of phase 1: CPU of the server process and of redis-server, redis-server's
# commandstats (CONFIG RESETSTAT before; µs of top-level commands, a script's inner commands not counted twice),
# and the bytes the server allocated (Verify's dotnet_gc_heap_total_allocated_bytes_total on /metrics; the
# reference's /_perf/process), all per call. Last, per build: one more instance with the DEFAULT limits, -N starts
# to distinct numbers on an emptied Redis, and the used_memory delta per verification. Redis is emptied
# (FLUSHALL) before each build's turn. Prints every run, then medians and ratios, then a Markdown summary with
# the goals of issue 11. Fails if a call answers other than expected (the load generator counts gRPC statuses
# and a wrong-code check's valid/status: > 1 % unexpected fails the run; h2load only sees HTTP 200, so one call
# per target is checked with curl for its grpc-status first).
#
# Usage: tests/perf/verify-bench.sh --server NAME=PATH/Verify.Server.dll [--server NAME=DLL ...]
#          [-r rounds] [-d seconds per run] [-w warm-up seconds per run] [-W initial warm-up seconds per target]
#          [-c h2load clients] [-m h2load streams per client] [-C load-generator callers] [-k connections]
#          [-A wrong codes per verification (default 4: the default MaxAttempts 5, less one)]
#          [-N starts for the memory per verification (default 2000)]
# Environment:
#   NO_BUILD=1                       use the existing Release build of tests/Verify.Benchmarks
#   TASKSET_SERVER / TASKSET_LOAD / TASKSET_REDIS   CPUs of the servers (Verify builds, references), of the load
#                                    (h2load, load generator, sink) and of redis-server; default 1 / 0 / 0 on a
#                                    machine with 2 or more cores (set all three empty to not pin)
#   DOTNET_gcServer                  GC of every .NET process; default 1, as the Web SDK gives Verify.Server
#   KEEP=1                           keep the work directory (logs of every process) after the run
set -euo pipefail

rounds=5 duration=5 warmup=1 initial_warmup=10 clients=16 streams=32 callers=64 connections=4 attempts=4 memory_starts=2000
names=() dlls=()
usage_end=$(awk '/^set -euo pipefail/ { print NR - 1; exit }' "$0")
while (( $# > 0 )); do
  case "$1" in
    --server)
      [[ "${2:-}" =~ ^([A-Za-z][A-Za-z0-9_]*)=(.+)$ ]] || { echo "--server NAME=DLL (NAME: letters, digits, _)" >&2; exit 2; }
      names+=("${BASH_REMATCH[1]}"); dlls+=("$(realpath "${BASH_REMATCH[2]}")"); shift 2 ;;
    -r) rounds=$2; shift 2 ;;
    -d) duration=$2; shift 2 ;;
    -w) warmup=$2; shift 2 ;;
    -W) initial_warmup=$2; shift 2 ;;
    -c) clients=$2; shift 2 ;;
    -m) streams=$2; shift 2 ;;
    -C) callers=$2; shift 2 ;;
    -k) connections=$2; shift 2 ;;
    -A) attempts=$2; shift 2 ;;
    -N) memory_starts=$2; shift 2 ;;
    *) sed -n "2,${usage_end}p" "$0"; exit 2 ;;
  esac
done
(( ${#names[@]} > 0 )) || { sed -n "2,${usage_end}p" "$0"; exit 2; }
(( attempts >= 1 && memory_starts >= 1 )) || { echo "-A and -N are at least 1" >&2; exit 2; }
for i in "${!names[@]}"; do
  [[ -f "${dlls[$i]}" ]] || { echo "no such build: ${dlls[$i]}" >&2; exit 2; }
  for (( j = 0; j < i; j++ )); do [[ "${names[$j]}" != "${names[$i]}" ]] || { echo "name used twice: ${names[$i]}" >&2; exit 2; }; done
done
for tool in h2load curl dotnet redis-server redis-cli python3 sha256sum openssl; do
  command -v "$tool" > /dev/null || { echo "missing tool: $tool" >&2; exit 2; }
done

repo=$(cd "$(dirname "$0")/../.." && pwd)
bench="$repo/tests/Verify.Benchmarks/bin/Release/net10.0/Verify.Benchmarks"
if (( $(nproc) >= 2 )); then
  TASKSET_SERVER=${TASKSET_SERVER-1} TASKSET_LOAD=${TASKSET_LOAD-0} TASKSET_REDIS=${TASKSET_REDIS-0}
else
  TASKSET_SERVER=${TASKSET_SERVER-} TASKSET_LOAD=${TASKSET_LOAD-} TASKSET_REDIS=${TASKSET_REDIS-}
fi
# Foreground only: a background process is started as "${CPU:+taskset -c "$CPU"} program &", so $! is its own pid.
on() { local cpu=$1; shift; if [[ -n "$cpu" ]]; then taskset -c "$cpu" "$@"; else "$@"; fi; }
export DOTNET_gcServer=${DOTNET_gcServer:-1}

if [[ "${NO_BUILD:-0}" != 1 ]]; then
  echo "== build tests/Verify.Benchmarks (Release)"
  dotnet build "$repo/tests/Verify.Benchmarks" -c Release -nologo -v q > /dev/null
fi
[[ -x "$bench" ]] || { echo "not built: $bench" >&2; exit 2; }

work=$(mktemp -d /tmp/verify-bench.XXXXXX)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
  if [[ "${KEEP:-0}" == 1 ]]; then echo "== logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# A port the kernel just handed out and took back; nothing else here binds ports between this and its use.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() {  # wait_for what pid command...: up to 30 s
  local what=$1 pid=$2; shift 2
  for _ in $(seq 1 300); do
    "$@" > /dev/null 2>&1 && return 0
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.1
  done
  fail "$what did not come up; its log: $(tail -20 "$work/$what.log" 2> /dev/null)"
}

# --- redis-server: in memory only (no AOF fsync per write: a shared disk would measure the disk, not Verify)
redis_port=$(free_port)
${TASKSET_REDIS:+taskset -c "$TASKSET_REDIS"} redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
  --maxmemory-policy noeviction --protected-mode yes > "$work/redis.log" 2>&1 &
pids+=($!)
redis() { redis-cli -h 127.0.0.1 -p "$redis_port" "$@"; }
redis_up() { [[ "$(redis PING 2> /dev/null)" == PONG ]]; }
wait_for redis "${pids[-1]}" redis_up

# --- the no-op webhook sink and the references
sink_port=$(free_port)
${TASKSET_LOAD:+taskset -c "$TASKSET_LOAD"} "$bench" sink --port "$sink_port" > "$work/sink.log" 2>&1 &
pids+=($!)
wait_for sink "${pids[-1]}" curl -fsS "http://127.0.0.1:$sink_port/count"
reference_port=$(free_port)
${TASKSET_SERVER:+taskset -c "$TASKSET_SERVER"} "$bench" reference --port "$reference_port" --redis "127.0.0.1:$redis_port" > "$work/reference.log" 2>&1 &
pids+=($!)
wait_for reference "${pids[-1]}" grep -q '^LISTENING' "$work/reference.log"
declare -A pid_of=([empty]=${pids[-1]} [floor]=${pids[-1]})

# --- the Verify builds, each as in production, with the same configuration
api_key=$(openssl rand -base64 32)
api_key_hash=$(printf %s "$api_key" | sha256sum | cut -d' ' -f1)
hmac_key=$(openssl rand -base64 32)
export VERIFY_BENCH_API_KEY=$api_key
# What every Verify instance gets; the default policy and limits otherwise (the memory measurement runs on this).
verify_env=(
  ASPNETCORE_ENVIRONMENT=Production
  Logging__LogLevel__Default=Warning
  Logging__LogLevel__Microsoft.Hosting.Lifetime=Warning
  Verify__Redis__Configuration="127.0.0.1:$redis_port"
  Verify__Hashing__ActiveKeyId=bench1
  Verify__Hashing__Keys__bench1="$hmac_key"
  Verify__Callers__bench__ApiKeyHashes__0="$api_key_hash"
  Verify__Callers__bench__Purposes__0='*'
  Verify__Callers__bench__Operations__0='*'
  Verify__Delivery__Webhook__Url="http://127.0.0.1:$sink_port/sms"
)
# Request limits (Verify:RequestLimits, per caller and replica) would refuse one caller's load past 1,000 calls
# a second and 256 in flight: raised out of reach on every instance, still on, so their cost stays in the
# figures. Builds before them ignore the keys.
request_limits=(
  Verify__RequestLimits__PerCaller__TokenLimit=1000000
  Verify__RequestLimits__PerCaller__TokensPerPeriod=1000000
  Verify__RequestLimits__PerMethod__StartVerification__TokenLimit=1000000
  Verify__RequestLimits__PerMethod__StartVerification__TokensPerPeriod=1000000
  Verify__RequestLimits__ConcurrencyLimit=1000000
)
# The measured instances: distinct numbers never repeat a number, but share counters a real burst would fill
# (docs/performance.md).
raised_limits=(
  Verify__Limits__Prefix__0__Window=01:00:00
  Verify__Limits__Prefix__0__Max=1000000
  Verify__Limits__PumpingGuard__MinSends=1000000
  Verify__Limits__PumpingGuard__CountryMinSends=10000000
  "${request_limits[@]}"
)
declare -A grpc_port http_port management_port
# start_verify NAME DLL [VAR=value ...]: one instance on fresh ports, up and ready; sets started_pid.
started_pid=
start_verify() {
  local name=$1 dll=$2
  shift 2
  grpc_port[$name]=$(free_port) http_port[$name]=$(free_port) management_port[$name]=$(free_port)
  (cd "$(dirname "$dll")" && exec env "${verify_env[@]}" "$@" \
    Kestrel__Endpoints__Grpc__Url="http://127.0.0.1:${grpc_port[$name]}" \
    Kestrel__Endpoints__Http__Url="http://127.0.0.1:${http_port[$name]}" \
    Kestrel__Endpoints__Management__Url="http://127.0.0.1:${management_port[$name]}" \
    ${TASKSET_SERVER:+taskset -c "$TASKSET_SERVER"} dotnet "$dll") > "$work/$name.log" 2>&1 &
  pids+=($!)
  started_pid=$!
  wait_for "$name" "$started_pid" curl -fsS "http://127.0.0.1:${management_port[$name]}/readyz"
}
# A build with wrong codes per client IP (issue 12) would refuse the checks past 50 wrong codes an hour from one
# address (h2load's body carries none: one shared bucket), and in-flight checks count: raised out of reach, still on.
# Builds before it refuse unknown Verify:Limits keys, so it goes only to a build whose engine names it.
wrong_codes_raised() {
  if grep -qa WrongCodesPerIp "$(dirname "$1")/Verify.Engine.dll"; then
    echo Verify__Limits__WrongCodesPerIp__0__Window=01:00:00 Verify__Limits__WrongCodesPerIp__0__Max=1000000
  fi
}
for i in "${!names[@]}"; do
  # shellcheck disable=SC2046 # two words, or none
  start_verify "${names[$i]}" "${dlls[$i]}" "${raised_limits[@]}" $(wrong_codes_raised "${dlls[$i]}")
  pid_of[${names[$i]}]=$started_pid
done

# Targets: the references first, then the builds. A target's h2load path and load-generator operation.
targets=(empty floor "${names[@]}")
declare -A port path op body
for t in empty floor; do
  port[$t]=$reference_port op[$t]=$t body[$t]="$work/empty.bin"
done
path[empty]=/verify.bench.v1.Reference/Empty path[floor]=/verify.bench.v1.Reference/Floor
for name in "${names[@]}"; do
  port[$name]=${grpc_port[$name]} op[$name]=check body[$name]="$work/check.bin"
  path[$name]=/verify.v1.VerificationService/CheckVerification
done
"$bench" body --op empty --out "$work/empty.bin"
"$bench" body --op check --out "$work/check.bin"
headers=(-H 'content-type: application/grpc' -H 'te: trailers' -H "authorization: Bearer $api_key")

echo "== machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo); $(h2load --version | head -1); .NET $(dotnet --version) SDK; $(redis-server --version | cut -d' ' -f1-3)"
echo "== CPUs: servers ${TASKSET_SERVER:-any}, load ${TASKSET_LOAD:-any}, redis-server ${TASKSET_REDIS:-any}; DOTNET_gcServer=$DOTNET_gcServer; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in "${!names[@]}"; do echo "== ${names[$i]}: ${dlls[$i]} ($(date -r "${dlls[$i]}" '+%F %T'))"; done

# h2load counts HTTP 200 as success: check each target's grpc-status once by hand (5 = NOT_FOUND for a check).
echo "== grpc-status of one call per target"
for t in "${targets[@]}"; do
  want=0; [[ ${op[$t]} == check ]] && want=5
  curl -sS -v --http2-prior-knowledge --max-time 10 "${headers[@]}" --data-binary @"${body[$t]}" \
    -o /dev/null "http://127.0.0.1:${port[$t]}${path[$t]}" 2> "$work/curl.log" || true
  got=$(tr -d '\r' < "$work/curl.log" | awk -F': ' 'tolower($1) == "< grpc-status" { print $2 }')
  echo "   $t ${path[$t]}: grpc-status ${got:-none}"
  [[ "$got" == "$want" ]] || fail "$t answered grpc-status '${got:-none}', expected $want: $(grep -i '^< grpc-message' "$work/curl.log")"
done

# One h2load run, by time; sets result to its req/s. Every request must have been answered HTTP 2xx.
# (Called directly, never in $(...): a failure must end the script, not a subshell.)
result=
h2() {
  local t=$1 seconds=$2 out done twoxx
  out=$(on "$TASKSET_LOAD" h2load -D "$seconds" --warm-up-time "$warmup" -c "$clients" -m "$streams" -t 1 \
    -d "${body[$t]}" "${headers[@]}" "http://127.0.0.1:${port[$t]}${path[$t]}" 2>&1) || fail "h2load $t: $out"
  result=$(awk '/^finished in/ { print $4 }' <<< "$out")
  done=$(awk '/^requests:/ { print $6 }' <<< "$out")
  twoxx=$(awk '/^status codes:/ { print $3 }' <<< "$out")
  [[ -n "$result" && "${done:-0}" -gt 0 && "$twoxx" == "$done" ]] || fail "h2load $t: $twoxx of $done answered 2xx: $out"
}

# One load-generator run; sets result to its RESULT fields. Start numbers never repeat within the script's run.
next_number=0
lg() {
  local t=$1 operation=$2 seconds=$3 out
  shift 3
  out=$(on "$TASKSET_LOAD" "$bench" load --target "http://127.0.0.1:${port[$t]}" --op "$operation" \
    --warmup "$warmup" --duration "$seconds" --connections "$connections" --first "$next_number" "$@" 2>&1) \
    || fail "load generator, $t $operation: $out"
  result=$(grep '^RESULT ' <<< "$out") || fail "load generator, $t $operation: no RESULT: $out"
  result=${result#RESULT }
  if [[ "$operation" == start ]]; then next_number=$(( $(field last_number "$result") + 1 )); fi
}
# What a run cost, per call (warm-up calls included on every side): CPU time of the server process and of
# redis-server, less skewed by other work on the machine than req/s, since time spent waiting for a CPU is not
# counted; redis-server's commandstats (µs and commands, top-level only); bytes the server allocated.
clock_ticks=$(getconf CLK_TCK)
proc_cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
redis_cpu() { redis INFO cpu | tr -d '\r' | awk -F: '/^used_cpu_(sys|user):/ { s += $2 } END { printf "%.6f", s }'; }
# commandstats since the last CONFIG RESETSTAT: "usec calls" of the target's top-level commands. A command a Lua
# script runs is counted on its own line too, and its time again in the script's (EVALSHA) line: each command is
# weighted by the share of its calls that were top-level in the target's MONITOR sample (classify), so a script's
# inner commands count once, inside the script. CONFIG is the script's own RESETSTAT.
redis_cmdstats() {
  redis INFO commandstats | tr -d '\r' | awk -F'[:,=]' -v fracs="$work/redis-top.$1" '
    BEGIN { while ((getline line < fracs) > 0) { split(line, a, " "); f[a[1]] = a[2] } }
    /^cmdstat_/ { name = substr($1, 9); sub(/\|.*/, "", name); if (name == "config") next
                  w = (name in f) ? f[name] : 1; calls += $3 * w; usec += $5 * w }
    END { printf "%.0f %.2f\n", usec, calls }'
}
# classify TARGET: a few hundred of its calls under MONITOR, which marks the commands a script runs "[0 lua]";
# writes "command share-of-calls-that-were-top-level" for redis_cmdstats.
classify() {
  local t=$1 monitor
  redis-cli -h 127.0.0.1 -p "$redis_port" MONITOR > "$work/monitor.$t" 2>&1 &
  monitor=$!
  pids+=("$monitor")
  sleep 0.5
  if is_build "$t"; then
    lg "$t" start 60 --warmup 0 --requests 200 --concurrency 8 --ids-out "$work/ids.classify"
    lg "$t" wrongcode 60 --warmup 0 --requests 200 --concurrency 8 --ids "$work/ids.classify" --attempts-per-id 1
  fi
  lg "$t" "${op[$t]}" 60 --warmup 0 --requests 200 --concurrency 8
  sleep 0.5
  kill "$monitor" 2> /dev/null || true
  wait "$monitor" 2> /dev/null || true
  awk '$2 ~ /^\[/ { name = tolower($4); gsub(/"/, "", name); if ($3 == "lua]") inner[name]++; else top[name]++; seen[name] = 1 }
       END { for (n in seen) printf "%s %.4f\n", n, top[n] / (top[n] + inner[n]) }' "$work/monitor.$t" | sort > "$work/redis-top.$t"
}
# Bytes the server process allocated so far: Verify's System.Runtime meter on /metrics, the reference's
# /_perf/process. Empty for a build that does not export it. Reading it allocates too: scrape_cost, once per target.
allocated() {
  if is_build "$1"; then
    curl -fsS --max-time 10 "http://127.0.0.1:${management_port[$1]}/metrics" \
      | awk '/^dotnet_gc_heap_total_allocated_bytes_total[ {]/ && !done { printf "%.0f", $2; done = 1 }'
  else
    curl -fsS --http2-prior-knowledge --max-time 10 "http://127.0.0.1:${port[$1]}/_perf/process" \
      | sed -n 's/.*allocated_bytes=\([0-9]*\).*/\1/p'
  fi
}
declare -A scrape_cost
measure_scrape_cost() {  # the least of two differences between back-to-back reads
  local a b c
  a=$(allocated "$1") b=$(allocated "$1") c=$(allocated "$1")
  if [[ -n "$a" ]]; then scrape_cost[$1]=$(( b - a < c - b ? b - a : c - b )); else scrape_cost[$1]=; fi
}
server_us= redis_us= cmd_us= cmd_calls= alloc_b=
lg_costed() {
  local t=$1 p0 r0 p1 r1 a0 a1 calls stats
  p0=$(proc_cpu "${pid_of[$t]}") r0=$(redis_cpu) a0=$(allocated "$t")
  [[ "$(redis CONFIG RESETSTAT)" == OK ]] || fail "CONFIG RESETSTAT"
  lg "$@"
  stats=$(redis_cmdstats "$t")
  a1=$(allocated "$t") p1=$(proc_cpu "${pid_of[$t]}") r1=$(redis_cpu)
  calls=$(field all_calls "$result")
  server_us=$(awk -v a="$p0" -v b="$p1" -v hz="$clock_ticks" -v n="$calls" 'BEGIN { printf "%.1f", (b - a) / hz * 1e6 / n }')
  redis_us=$(awk -v a="$r0" -v b="$r1" -v n="$calls" 'BEGIN { printf "%.1f", (b - a) * 1e6 / n }')
  cmd_us=$(awk -v s="$stats" -v n="$calls" 'BEGIN { split(s, v, " "); printf "%.1f", v[1] / n }')
  cmd_calls=$(awk -v s="$stats" -v n="$calls" 'BEGIN { split(s, v, " "); printf "%.2f", v[2] / n }')
  if [[ -n "$a0" && -n "$a1" ]]; then
    alloc_b=$(awk -v a="$a0" -v b="$a1" -v s="${scrape_cost[$t]:-0}" -v n="$calls" 'BEGIN { printf "%.0f", (b - a - s) / n }')
  else
    alloc_b=-
  fi
}
# prepare_ids TARGET CALLS: enough pending verifications (started through the no-op sink, codes unknown) for CALLS
# wrong-code checks at -A each; their ids in $work/ids.txt.
prepare_ids() {
  local t=$1 count
  count=$(awk -v c="$2" -v a="$attempts" 'BEGIN { printf "%d", c / a + 100 }')
  lg "$t" start 600 --warmup 0 --requests "$count" --concurrency "$callers" --ids-out "$work/ids.txt"
  [[ "$(grep -c . "$work/ids.txt")" -ge $(( count * 99 / 100 )) ]] || fail "$t: only $(grep -c . "$work/ids.txt") of $count verifications started"
}
# The calls a run of $1 seconds (after the warm-up) takes at $2 calls/s, with a margin.
calls_for() { awk -v s="$1" -v w="$warmup" -v r="$2" 'BEGIN { printf "%d", (s + w) * r * 1.5 + 1000 }'; }
exhausted=0
note_exhausted() { if [[ "$(field budget_exhausted "$result")" == 1 ]]; then exhausted=$(( exhausted + 1 )); fi; }
field() { sed -n "s/.*\b$1=\([0-9.]*\).*/\1/p" <<< "$2"; }
flush() { [[ "$(redis FLUSHALL)" == OK ]] || fail "FLUSHALL"; }
record() { if [[ "$3" =~ ^-?[0-9.]+$ ]]; then echo "$3" >> "$work/$1.$2"; fi; }  # record what target value (numbers only)
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
med() { if [[ -s "$work/$1.$2" ]]; then median < "$work/$1.$2"; else echo nan; fi; }
# The targets of a round: A B C D, then D C B A, then rotated by one (B C D A, A D C B), and so on, so no target
# always comes first, last, or after the same neighbour (a position can carry a few per cent on a busy machine).
order() {
  local n=${#targets[@]} i
  for (( i = 0; i < n; i++ )); do echo "${targets[$(( (i + ($1 - 1) / 2) % n ))]}"; done | if (( $1 % 2 )); then cat; else tac; fi
}
is_build() { [[ ${op[$1]} == check ]]; }

declare -A wrong_seen  # the fastest wrong-code rate seen so far per build: sizes the next run's ids
echo "== initial warm-up: ${initial_warmup} s of h2load per target, and of starts per build"
for t in "${targets[@]}"; do
  on "$TASKSET_LOAD" h2load -D "$initial_warmup" -c "$clients" -m "$streams" -t 1 -d "${body[$t]}" "${headers[@]}" \
    "http://127.0.0.1:${port[$t]}${path[$t]}" > /dev/null 2>&1 || fail "warm-up $t"
  if is_build "$t"; then
    flush; lg "$t" start "$initial_warmup" --concurrency "$callers"
    prepare_ids "$t" "$(calls_for "$initial_warmup" 2000)"
    lg "$t" wrongcode "$initial_warmup" --concurrency "$callers" --ids "$work/ids.txt" --attempts-per-id "$attempts"
    wrong_seen[$t]=$(field rps "$result")
  fi
  [[ $t == empty ]] || classify "$t"
  measure_scrape_cost "$t"
done
echo "== Redis commands of each target (MONITOR sample; share of calls that were top-level, the rest ran inside a script)"
for t in "${targets[@]}"; do
  [[ $t == empty ]] || echo "   $t: $(awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }' "$work/redis-top.$t")"
done
echo "== bytes one read of the allocation counter costs the server: $(for t in "${targets[@]}"; do printf '%s %s; ' "$t" "${scrape_cost[$t]:-none}"; done)"

echo "== phase 1: peak, $rounds rounds of ${duration} s per run (after ${warmup} s of warm-up); req/s"
echo "   h2load -c $clients -m $streams -t 1 (constant body); load generator: Grpc.Net.Client, $callers callers over $connections connections, 5 s deadline"
echo "   wrong-code check: by id, code 000000, over verifications started just before, at most $attempts calls each"
echo "   per call (load generator runs): CPU µs of the server process (srv) and of redis-server (rds);"
echo "   second line: redis-server commandstats µs (top-level) and bytes the server allocated; check = the target's own call"
printf '   %-5s %-10s %13s %13s %13s %13s %10s %10s %10s %10s %10s %10s\n' round target "h2load check" "lg check" "lg start" \
  "lg wrong" "srv/check" "rds/check" "srv/start" "rds/start" "srv/wrong" "rds/wrong"
for round in $(seq 1 "$rounds"); do
  for t in $(order "$round"); do
    is_build "$t" && flush
    h2 "$t" "$duration"; a=$result; record h2 "$t" "$a"
    lg_costed "$t" "${op[$t]}" "$duration" --concurrency "$callers"; b=$(field rps "$result"); record lg "$t" "$b"
    record scpu "$t" "$server_us"; record rcpu "$t" "$redis_us"; sc=$server_us rc=$redis_us
    record cmd "$t" "$cmd_us"; record ncmd "$t" "$cmd_calls"; record alloc "$t" "$alloc_b"; cu=$cmd_us ab=$alloc_b
    c=- ssc=- src=- w=- wsc=- wrc=- scu=- sab=- wcu=- wab=-
    if is_build "$t"; then
      lg_costed "$t" start "$duration" --concurrency "$callers"; c=$(field rps "$result"); record start "$t" "$c"
      record sscpu "$t" "$server_us"; record srcpu "$t" "$redis_us"; ssc=$server_us src=$redis_us
      record scmd "$t" "$cmd_us"; record sncmd "$t" "$cmd_calls"; record salloc "$t" "$alloc_b"; scu=$cmd_us sab=$alloc_b
      c=$(printf '%.0f' "$c")
      prepare_ids "$t" "$(calls_for "$duration" "$(awk -v a="$b" -v b="${wrong_seen[$t]:-0}" 'BEGIN { print (a > b ? a : b) }')")"
      lg_costed "$t" wrongcode "$duration" --concurrency "$callers" --ids "$work/ids.txt" --attempts-per-id "$attempts"
      note_exhausted; w=$(field rps "$result"); record wrong "$t" "$w"
      wrong_seen[$t]=$(awk -v a="$w" -v b="${wrong_seen[$t]:-0}" 'BEGIN { print (a > b ? a : b) }')
      record wscpu "$t" "$server_us"; record wrcpu "$t" "$redis_us"; wsc=$server_us wrc=$redis_us
      record wcmd "$t" "$cmd_us"; record wncmd "$t" "$cmd_calls"; record walloc "$t" "$alloc_b"; wcu=$cmd_us wab=$alloc_b
      w=$(printf '%.0f' "$w")
    fi
    printf '   %-5s %-10s %13.0f %13.0f %13s %13s %10s %10s %10s %10s %10s %10s\n' "$round" "$t" "$a" "$b" "$c" "$w" "$sc" "$rc" "$ssc" "$src" "$wsc" "$wrc"
    printf '   %-5s %-10s %27s %13s %13s   (commandstats µs/call)   B/call: check %s, start %s, wrong %s\n' "" "" "$cu" "$scu" "$wcu" "$ab" "$sab" "$wab"
  done
done

slowest() { for name in "${names[@]}"; do med "$1" "$name"; done | sort -g | head -1; }
check_rate=$(awk -v p="$(slowest lg)" 'BEGIN { printf "%.0f", p / 2 }')
start_rate=$(awk -v p="$(slowest start)" 'BEGIN { printf "%.0f", p / 2 }')
wrong_rate=$(awk -v p="$(slowest wrong)" 'BEGIN { printf "%.0f", p / 2 }')
(( check_rate >= 1 && start_rate >= 1 && wrong_rate >= 1 )) || fail "no peak measured (check $check_rate, start $start_rate, wrong code $wrong_rate)"

echo "== phase 2: latency at a fixed rate (open loop), $rounds rounds of ${duration} s; ms"
echo "   check at ${check_rate}/s, start at ${start_rate}/s, wrong-code check at ${wrong_rate}/s: half the slowest build's median peak (load generator); references at the check rate"
printf '   %-5s %-10s %12s %12s %12s %12s %12s %12s\n' round target "check p50" "check p99" "start p50" "start p99" "wrong p50" "wrong p99"
in_ms() { awk -v v="$1" 'BEGIN { printf "%.2f", v / 1000 }'; }
for round in $(seq 1 "$rounds"); do
  for t in $(order "$round"); do
    is_build "$t" && flush
    lg "$t" "${op[$t]}" "$duration" --mode open --rate "$check_rate"; r=$result
    record p50 "$t" "$(field p50_us "$r")"; record p99 "$t" "$(field p99_us "$r")"
    s50=- s99=- w50=- w99=-
    if is_build "$t"; then
      lg "$t" start "$duration" --mode open --rate "$start_rate"; s=$result
      s50=$(field p50_us "$s") s99=$(field p99_us "$s")
      record sp50 "$t" "$s50"; record sp99 "$t" "$s99"
      s50=$(in_ms "$s50") s99=$(in_ms "$s99")
      prepare_ids "$t" "$(calls_for "$duration" "$wrong_rate")"
      lg "$t" wrongcode "$duration" --mode open --rate "$wrong_rate" --ids "$work/ids.txt" --attempts-per-id "$attempts"
      note_exhausted; w50=$(field p50_us "$result") w99=$(field p99_us "$result")
      record wp50 "$t" "$w50"; record wp99 "$t" "$w99"
      w50=$(in_ms "$w50") w99=$(in_ms "$w99")
    fi
    printf '   %-5s %-10s %12.2f %12.2f %12s %12s %12s %12s\n' "$round" "$t" \
      "$(in_ms "$(field p50_us "$r")")" "$(in_ms "$(field p99_us "$r")")" "$s50" "$s99" "$w50" "$w99"
  done
done
(( exhausted == 0 )) || echo "   NOTE: $exhausted wrong-code runs used every id before their time was up (their figures cover a shorter run)"

echo "== phase 3: Redis memory per verification: one more instance of each build with the DEFAULT limits, $memory_starts starts to distinct numbers"
used_memory() { redis INFO memory | tr -d '\r' | awk -F: '$1 == "used_memory" { print $2 }'; }
printf '   %-10s %14s %14s %10s %10s %14s\n' build "used_memory 0" "used_memory 1" starts keys "B/verification"
for name in "${names[@]}"; do
  i=0; for (( j = 0; j < ${#names[@]}; j++ )); do [[ ${names[$j]} == "$name" ]] && i=$j; done
  start_verify "mem_$name" "${dlls[$i]}" "${request_limits[@]}"
  port[mem_$name]=${grpc_port[mem_$name]} op[mem_$name]=check
  flush; sleep 1
  m0=$(used_memory)
  lg "mem_$name" start 600 --warmup 0 --requests "$memory_starts" --concurrency "$callers"
  [[ "$(field calls "$result")" == "$memory_starts" && "$(field unexpected "$result")" == 0 ]] \
    || fail "memory, $name: not every start answered OK with the default limits: $result"
  sleep 2  # delivery outcomes written after the sink's answer
  m1=$(used_memory) keys=$(redis DBSIZE)
  per=$(awk -v a="$m0" -v b="$m1" -v n="$memory_starts" 'BEGIN { printf "%.0f", (b - a) / n }')
  echo "$per" > "$work/mem.$name"
  printf '   %-10s %14s %14s %10s %10s %14s\n' "$name" "$m0" "$m1" "$memory_starts" "$keys" "$per"
  # What the keys are: MEMORY USAGE summed per key shape (hex and digit runs as #), and per verification.
  redis EVAL "local t, c, cur = {}, {}, '0'
    repeat
      local r = redis.call('SCAN', cur, 'COUNT', 1000); cur = r[1]
      for _, k in ipairs(r[2]) do
        local n = string.gsub(string.gsub(k, '%x%x%x%x+', '#'), '%+%d+', '+#')
        t[n] = (t[n] or 0) + (redis.call('MEMORY', 'USAGE', k) or 0); c[n] = (c[n] or 0) + 1
      end
    until cur == '0'
    local out = {}
    for n, v in pairs(t) do out[#out + 1] = n .. ' ' .. c[n] .. ' ' .. v end
    return out" 0 | sort | awk -v n="$memory_starts" '{ printf "      %-40s %8d keys %10d B (MEMORY USAGE) %8.0f B/verification\n", $1, $2, $3, $3 / n }'
  kill "$started_pid" 2> /dev/null || true; wait "$started_pid" 2> /dev/null || true
done

echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg); the sink took $(curl -fsS "http://127.0.0.1:$sink_port/count") sends"
# Streams h2load leaves open when its time is up are aborted and logged as errors; any other error is worth a look.
for name in "${names[@]}"; do
  problems=$(awk '/^(fail|crit):/ { if (held != "" && !aborted) n++; held = $0; aborted = 0; next }
                  /request stream was aborted|connection faulted|Connection reset/ { aborted = 1 }
                  END { if (held != "" && !aborted) n++; print n + 0 }' "$work/$name.log")
  (( problems == 0 )) || echo "   WARNING: $name logged $problems errors besides aborted streams (KEEP=1 keeps $work/$name.log)"
done

echo "== medians over $rounds rounds (req/s; latency in ms at the fixed rates above)"
ms() { awk -v v="$1" 'BEGIN { if (v == "nan") print "-"; else printf "%.2f", v / 1000 }'; }
dash() { [[ $1 == nan ]] && echo - || echo "$1"; }    # a median, or - where the target has none
rate() { [[ $1 == nan ]] && echo - || printf '%.0f' "$1"; }
printf '   %-10s %13s %13s %13s %13s %10s %10s %10s %10s %10s %10s\n' target "h2load check" "lg check" "lg start" "lg wrong" \
  "check p50" "check p99" "start p50" "start p99" "wrong p50" "wrong p99"
for t in "${targets[@]}"; do
  printf '   %-10s %13.0f %13.0f %13s %13s %10s %10s %10s %10s %10s %10s\n' "$t" "$(med h2 "$t")" "$(med lg "$t")" \
    "$(rate "$(med start "$t")")" "$(rate "$(med wrong "$t")")" \
    "$(ms "$(med p50 "$t")")" "$(ms "$(med p99 "$t")")" "$(ms "$(med sp50 "$t")")" "$(ms "$(med sp99 "$t")")" \
    "$(ms "$(med wp50 "$t")")" "$(ms "$(med wp99 "$t")")"
done

echo "== CPU per call, medians (µs; server process / redis-server, warm-up included; peak load-generator runs)"
printf '   %-10s %12s %12s %12s %12s %12s %12s\n' target "srv/check" "redis/check" "srv/start" "redis/start" "srv/wrong" "redis/wrong"
for t in "${targets[@]}"; do
  printf '   %-10s %12s %12s %12s %12s %12s %12s\n' "$t" "$(med scpu "$t")" "$(med rcpu "$t")" \
    "$(dash "$(med sscpu "$t")")" "$(dash "$(med srcpu "$t")")" "$(dash "$(med wscpu "$t")")" "$(dash "$(med wrcpu "$t")")"
done
echo "== redis-server commandstats per call, medians (top-level µs and commands; same runs) and bytes the server allocated per call"
printf '   %-10s %12s %12s %12s %12s %12s %12s %12s %12s %12s\n' target "µs/check" "µs/start" "µs/wrong" \
  "cmds/check" "cmds/start" "cmds/wrong" "B/check" "B/start" "B/wrong"
for t in "${targets[@]}"; do
  printf '   %-10s %12s %12s %12s %12s %12s %12s %12s %12s %12s\n' "$t" "$(med cmd "$t")" "$(dash "$(med scmd "$t")")" \
    "$(dash "$(med wcmd "$t")")" "$(med ncmd "$t")" "$(dash "$(med sncmd "$t")")" "$(dash "$(med wncmd "$t")")" \
    "$(dash "$(med alloc "$t")")" "$(dash "$(med salloc "$t")")" "$(dash "$(med walloc "$t")")"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan" || b == 0) print "-"; else printf "%.3f", a / b }'; }
echo "== ratios to the references (medians; 'of empty' = Verify's rate / the empty call's, same tool)"
printf '   %-10s %17s %17s %17s %17s %17s %17s\n' build "h2load chk/empty" "h2load chk/floor" "lg chk/empty" "lg chk/floor" "lg start/floor" "lg wrong/floor"
for name in "${names[@]}"; do
  printf '   %-10s %17s %17s %17s %17s %17s %17s\n' "$name" \
    "$(ratio "$(med h2 "$name")" "$(med h2 empty)")" "$(ratio "$(med h2 "$name")" "$(med h2 floor)")" \
    "$(ratio "$(med lg "$name")" "$(med lg empty)")" "$(ratio "$(med lg "$name")" "$(med lg floor)")" \
    "$(ratio "$(med start "$name")" "$(med lg floor)")" "$(ratio "$(med wrong "$name")" "$(med lg floor)")"
done
if (( ${#names[@]} > 1 )); then
  first=${names[0]}
  echo "== between builds: each / $first (throughput: > 1 is faster; latency: < 1 is faster)"
  printf '   %-10s %13s %13s %13s %13s %10s %10s %10s %10s %10s %10s\n' build "h2load check" "lg check" "lg start" "lg wrong" \
    "check p50" "check p99" "start p50" "start p99" "wrong p50" "wrong p99"
  for name in "${names[@]:1}"; do
    printf '   %-10s %13s %13s %13s %13s %10s %10s %10s %10s %10s %10s\n' "$name" \
      "$(ratio "$(med h2 "$name")" "$(med h2 "$first")")" "$(ratio "$(med lg "$name")" "$(med lg "$first")")" \
      "$(ratio "$(med start "$name")" "$(med start "$first")")" "$(ratio "$(med wrong "$name")" "$(med wrong "$first")")" \
      "$(ratio "$(med p50 "$name")" "$(med p50 "$first")")" "$(ratio "$(med p99 "$name")" "$(med p99 "$first")")" \
      "$(ratio "$(med sp50 "$name")" "$(med sp50 "$first")")" "$(ratio "$(med sp99 "$name")" "$(med sp99 "$first")")" \
      "$(ratio "$(med wp50 "$name")" "$(med wp50 "$first")")" "$(ratio "$(med wp99 "$name")" "$(med wp99 "$first")")"
  done
fi

# --- Markdown summary: issue 11's figures, the references beside them, and each build against each goal.
# goal VALUE OP LIMIT: PASS or MISS (- without a figure).
goal() { awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { if (v == "nan" || v == "-" || v == "") print "-";
  else if ((op == ">=" && v + 0 >= l + 0) || (op == "<=" && v + 0 <= l + 0) || (op == "<" && v + 0 < l + 0)) print "PASS"; else print "MISS" }'; }
num() { awk -v v="$1" -v f="$2" 'BEGIN { if (v == "nan" || v == "-" || v == "") print "-"; else { s = sprintf(f, v);
  n = split(s, p, "."); i = p[1]; o = ""; neg = (substr(i, 1, 1) == "-"); if (neg) i = substr(i, 2)
  while (length(i) > 3) { o = "," substr(i, length(i) - 2) o; i = substr(i, 1, length(i) - 3) }
  print (neg ? "-" : "") i o (n > 1 ? "." p[2] : "") } }'; }
p5099() { if [[ "$(med "$1" "$3")" == nan ]]; then echo -; else echo "$(ms "$(med "$1" "$3")") / $(ms "$(med "$2" "$3")")"; fi; }
# row LABEL GOAL-TEXT EMPTY FLOOR then per build: VALUE VERDICT ...
row() {
  local label=$1 goal_text=$2 e=$3 f=$4 line
  shift 4
  line="| $label | $e | $f |"
  local values=() verdicts=()
  while (( $# > 0 )); do values+=("$1"); verdicts+=("$2"); shift 2; done
  for v in "${values[@]}"; do line+=" $v |"; done
  line+=" $goal_text |"
  for v in "${verdicts[@]}"; do line+=" ${v:+**$v**} |"; done
  echo "$line"
}
echo
echo "== summary (Markdown; medians of $rounds rounds, -d $duration -w $warmup -W $initial_warmup; $(date -u '+%F'), load average $(cut -d' ' -f1 /proc/loadavg))"
echo
header="| figure | empty call | floor (1 EVALSHA) |"; rule="|---|---:|---:|"
for name in "${names[@]}"; do header+=" $name |"; rule+="---:|"; done
header+=" goal (issue 11) |"; rule+="---|"
for name in "${names[@]}"; do header+=" $name vs goal |"; rule+=":---:|"; done
echo "$header"; echo "$rule"
row "check (NOT_FOUND), h2load (req/s)" "" "$(num "$(med h2 empty)" %.0f)" "$(num "$(med h2 floor)" %.0f)" \
  $(for n in "${names[@]}"; do printf '%s - ' "$(num "$(med h2 "$n")" %.0f)"; done) | sed 's/\*\*-\*\*//g'
row "check (NOT_FOUND), load generator (req/s)" "" "$(num "$(med lg empty)" %.0f)" "$(num "$(med lg floor)" %.0f)" \
  $(for n in "${names[@]}"; do printf '%s - ' "$(num "$(med lg "$n")" %.0f)"; done) | sed 's/\*\*-\*\*//g'
row "wrong-code check by id, load generator (req/s)" "" "" "" \
  $(for n in "${names[@]}"; do printf '%s - ' "$(num "$(med wrong "$n")" %.0f)"; done) | sed 's/\*\*-\*\*//g'
row "start to distinct numbers, load generator (req/s)" "" "" "" \
  $(for n in "${names[@]}"; do printf '%s - ' "$(num "$(med start "$n")" %.0f)"; done) | sed 's/\*\*-\*\*//g'
row "**check / floor**, h2load" "≥ 0.8" "" "1" \
  $(for n in "${names[@]}"; do v=$(ratio "$(med h2 "$n")" "$(med h2 floor)"); printf '%s %s ' "$v" "$(goal "$v" '>=' 0.8)"; done)
row "check / floor, load generator" "(≥ 0.8)" "" "1" \
  $(for n in "${names[@]}"; do v=$(ratio "$(med lg "$n")" "$(med lg floor)"); printf '%s %s ' "$v" "$(goal "$v" '>=' 0.8)"; done)
row "wrong-code check / floor, load generator" "(≥ 0.8)" "" "1" \
  $(for n in "${names[@]}"; do v=$(ratio "$(med wrong "$n")" "$(med lg floor)"); printf '%s %s ' "$v" "$(goal "$v" '>=' 0.8)"; done)
row "**start / floor**, load generator" "≥ 0.35" "" "1" \
  $(for n in "${names[@]}"; do v=$(ratio "$(med start "$n")" "$(med lg floor)"); printf '%s %s ' "$v" "$(goal "$v" '>=' 0.35)"; done)
row "check p50 / p99 at ${check_rate}/s (ms)" "p99 ≤ 5" "$(p5099 p50 p99 empty)" "$(p5099 p50 p99 floor)" \
  $(for n in "${names[@]}"; do printf '%s %s ' "$(p5099 p50 p99 "$n" | tr -d ' ')" "$(goal "$(ms "$(med p99 "$n")")" '<=' 5)"; done)
row "wrong-code check p50 / p99 at ${wrong_rate}/s (ms)" "p99 ≤ 5" "" "" \
  $(for n in "${names[@]}"; do printf '%s %s ' "$(p5099 wp50 wp99 "$n" | tr -d ' ')" "$(goal "$(ms "$(med wp99 "$n")")" '<=' 5)"; done)
row "start p50 / p99 at ${start_rate}/s (ms)" "p99 ≤ 5" "" "" \
  $(for n in "${names[@]}"; do printf '%s %s ' "$(p5099 sp50 sp99 "$n" | tr -d ' ')" "$(goal "$(ms "$(med sp99 "$n")")" '<=' 5)"; done)
row "Redis CPU per check, commandstats (µs)" "" "" "$(med cmd floor)" \
  $(for n in "${names[@]}"; do printf '%s - ' "$(med cmd "$n")"; done) | sed 's/\*\*-\*\*//g'
row "**Redis CPU per wrong-code check**, commandstats (µs)" "≤ 15" "" "" \
  $(for n in "${names[@]}"; do v=$(med wcmd "$n"); printf '%s %s ' "$(dash "$v")" "$(goal "$v" '<=' 15)"; done)
row "**Redis CPU per start**, commandstats (µs)" "≤ 40" "" "" \
  $(for n in "${names[@]}"; do v=$(med scmd "$n"); printf '%s %s ' "$(dash "$v")" "$(goal "$v" '<=' 40)"; done)
row "redis-server process CPU per check / wrong / start (µs)" "" "$(med rcpu empty)" "$(med rcpu floor)" \
  $(for n in "${names[@]}"; do printf '%s - ' "$(med rcpu "$n")/$(dash "$(med wrcpu "$n")")/$(dash "$(med srcpu "$n")")"; done) | sed 's/\*\*-\*\*//g'
row "Verify CPU per check / wrong / start (µs)" "" "$(med scpu empty)" "$(med scpu floor)" \
  $(for n in "${names[@]}"; do printf '%s - ' "$(med scpu "$n")/$(dash "$(med wscpu "$n")")/$(dash "$(med sscpu "$n")")"; done) | sed 's/\*\*-\*\*//g'
row "**bytes allocated per check** (NOT_FOUND)" "≤ 2,048" "$(dash "$(med alloc empty)")" "$(dash "$(med alloc floor)")" \
  $(for n in "${names[@]}"; do v=$(med alloc "$n"); printf '%s %s ' "$(num "$v" %.0f)" "$(goal "$v" '<=' 2048)"; done)
row "**bytes allocated per wrong-code check**" "≤ 2,048" "" "" \
  $(for n in "${names[@]}"; do v=$(med walloc "$n"); printf '%s %s ' "$(num "$v" %.0f)" "$(goal "$v" '<=' 2048)"; done)
row "bytes allocated per start" "" "" "" \
  $(for n in "${names[@]}"; do printf '%s - ' "$(num "$(med salloc "$n")" %.0f)"; done) | sed 's/\*\*-\*\*//g'
row "**Redis memory per verification** (B, default limits, $memory_starts starts)" "< 400" "" "" \
  $(for n in "${names[@]}"; do v=$(cat "$work/mem.$n"); printf '%s %s ' "$v" "$(goal "$v" '<' 400)"; done)
echo
echo "Check = CheckVerification by number and purpose, never started (NOT_FOUND); wrong-code check = by id, code 000000, on"
echo "a pending verification (OK, valid=false, at most $attempts per verification); start = StartVerification to a distinct"
echo "number through the webhook sender to the no-op sink. Rates at half the slowest build's median peak (load generator)."
echo "Redis CPU: commandstats µs of top-level commands (a script's inner commands once) ÷ calls; bytes: Verify's"
echo "dotnet.gc.heap.total_allocated (the reference's GC.GetTotalAllocatedBytes) ÷ calls; warm-up calls included."
