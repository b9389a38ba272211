#!/usr/bin/env bash
# Check and start throughput, and p50/p99, of Verify builds over one redis-server, against two references, in one run.
#
# Starts its own redis-server, the no-op webhook sink, the references (Verify.Benchmarks reference: an empty unary
# call on Grpc.AspNetCore, and the same plus one EVALSHA to the same redis-server) and every Verify build given,
# all on free loopback ports, Verify in Production with Redis, an HMAC key, an API-key caller and limits raised so
# distinct-number starts are never throttled. Then, in rounds that alternate the order of the targets:
#   phase 1, peak: check (NOT_FOUND by phone+purpose) with h2load and with the load generator (closed loop),
#                  start to distinct numbers with the load generator (closed loop); the references take the same
#                  h2load and load-generator runs with their Empty and Floor calls;
#   phase 2, latency: check and start at a fixed rate (open loop): half the slowest build's median peak (load
#                  generator), the same rate for every build; the references at the check rate.
# Redis is emptied (FLUSHALL) before each build's turn. Prints every run, then medians and ratios. Fails if a call
# answers other than expected (the load generator counts gRPC statuses: > 1 % unexpected fails the run; h2load only
# sees HTTP 200, so one call per target is checked with curl for its grpc-status first).
#
# Usage: tests/perf/verify-bench.sh --server NAME=PATH/Verify.Server.dll [--server NAME=DLL ...]
#          [-r rounds] [-d seconds per run] [-w warm-up seconds per run] [-W initial warm-up seconds per target]
#          [-c h2load clients] [-m h2load streams per client] [-C load-generator callers] [-k connections]
# Environment:
#   NO_BUILD=1                       use the existing Release build of tests/Verify.Benchmarks
#   TASKSET_SERVER / TASKSET_LOAD / TASKSET_REDIS   CPUs of the servers (Verify builds, references), of the load
#                                    (h2load, load generator, sink) and of redis-server; default 1 / 0 / 0 on a
#                                    machine with 2 or more cores (set all three empty to not pin)
#   DOTNET_gcServer                  GC of every .NET process; default 1, as the Web SDK gives Verify.Server
#   KEEP=1                           keep the work directory (logs of every process) after the run
set -euo pipefail

rounds=5 duration=5 warmup=1 initial_warmup=10 clients=16 streams=32 callers=64 connections=4
names=() dlls=()
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
    *) sed -n '2,26p' "$0"; exit 2 ;;
  esac
done
(( ${#names[@]} > 0 )) || { sed -n '2,26p' "$0"; exit 2; }
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
  # Distinct numbers never repeat a number, but share counters a real burst would fill (docs/performance.md):
  Verify__Limits__Prefix__0__Window=01:00:00
  Verify__Limits__Prefix__0__Max=1000000
  Verify__Limits__PumpingGuard__MinSends=1000000
  Verify__Limits__PumpingGuard__CountryMinSends=10000000
)
declare -A grpc_port http_port
for i in "${!names[@]}"; do
  name=${names[$i]} dll=${dlls[$i]}
  grpc_port[$name]=$(free_port) http_port[$name]=$(free_port)
  (cd "$(dirname "$dll")" && exec env "${verify_env[@]}" \
    Kestrel__Endpoints__Grpc__Url="http://127.0.0.1:${grpc_port[$name]}" \
    Kestrel__Endpoints__Http__Url="http://127.0.0.1:${http_port[$name]}" \
    ${TASKSET_SERVER:+taskset -c "$TASKSET_SERVER"} dotnet "$dll") > "$work/$name.log" 2>&1 &
  pids+=($!)
  pid_of[$name]=$!
  wait_for "$name" "${pids[-1]}" curl -fsS "http://127.0.0.1:${http_port[$name]}/readyz"
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
# CPU time a run cost the server process and redis-server, per call (warm-up calls included on both sides):
# less skewed by other work on the machine than req/s, since time spent waiting for a CPU is not counted.
clock_ticks=$(getconf CLK_TCK)
proc_cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
redis_cpu() { redis INFO cpu | tr -d '\r' | awk -F: '/^used_cpu_(sys|user):/ { s += $2 } END { printf "%.6f", s }'; }
server_us= redis_us=
lg_costed() {
  local t=$1 p0 r0 p1 r1 calls
  p0=$(proc_cpu "${pid_of[$t]}") r0=$(redis_cpu)
  lg "$@"
  p1=$(proc_cpu "${pid_of[$t]}") r1=$(redis_cpu)
  calls=$(field all_calls "$result")
  server_us=$(awk -v a="$p0" -v b="$p1" -v hz="$clock_ticks" -v n="$calls" 'BEGIN { printf "%.1f", (b - a) / hz * 1e6 / n }')
  redis_us=$(awk -v a="$r0" -v b="$r1" -v n="$calls" 'BEGIN { printf "%.1f", (b - a) * 1e6 / n }')
}
field() { sed -n "s/.*\b$1=\([0-9.]*\).*/\1/p" <<< "$2"; }
flush() { [[ "$(redis FLUSHALL)" == OK ]] || fail "FLUSHALL"; }
record() { echo "$3" >> "$work/$1.$2"; }  # record what target value
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
med() { if [[ -s "$work/$1.$2" ]]; then median < "$work/$1.$2"; else echo nan; fi; }
# The targets of a round: A B C D, then D C B A, then rotated by one (B C D A, A D C B), and so on, so no target
# always comes first, last, or after the same neighbour (a position can carry a few per cent on a busy machine).
order() {
  local n=${#targets[@]} i
  for (( i = 0; i < n; i++ )); do echo "${targets[$(( (i + ($1 - 1) / 2) % n ))]}"; done | if (( $1 % 2 )); then cat; else tac; fi
}
is_build() { [[ ${op[$1]} == check ]]; }

echo "== initial warm-up: ${initial_warmup} s of h2load per target, and of starts per build"
for t in "${targets[@]}"; do
  on "$TASKSET_LOAD" h2load -D "$initial_warmup" -c "$clients" -m "$streams" -t 1 -d "${body[$t]}" "${headers[@]}" \
    "http://127.0.0.1:${port[$t]}${path[$t]}" > /dev/null 2>&1 || fail "warm-up $t"
  if is_build "$t"; then flush; lg "$t" start "$initial_warmup" --concurrency "$callers"; fi
done

echo "== phase 1: peak, $rounds rounds of ${duration} s per run (after ${warmup} s of warm-up); req/s"
echo "   h2load -c $clients -m $streams -t 1 (constant body); load generator: Grpc.Net.Client, $callers callers over $connections connections, 5 s deadline"
echo "   CPU per call (µs, load generator runs): server process and redis-server; check = the target's own call"
printf '   %-5s %-10s %13s %13s %13s %10s %10s %10s %10s\n' round target "h2load check" "lg check" "lg start" \
  "srv/check" "rds/check" "srv/start" "rds/start"
for round in $(seq 1 "$rounds"); do
  for t in $(order "$round"); do
    is_build "$t" && flush
    h2 "$t" "$duration"; a=$result; record h2 "$t" "$a"
    lg_costed "$t" "${op[$t]}" "$duration" --concurrency "$callers"; b=$(field rps "$result"); record lg "$t" "$b"
    record scpu "$t" "$server_us"; record rcpu "$t" "$redis_us"; sc=$server_us rc=$redis_us
    c=- ssc=- src=-
    if is_build "$t"; then
      lg_costed "$t" start "$duration" --concurrency "$callers"; c=$(field rps "$result"); record start "$t" "$c"
      record sscpu "$t" "$server_us"; record srcpu "$t" "$redis_us"; ssc=$server_us src=$redis_us
      c=$(printf '%.0f' "$c")
    fi
    printf '   %-5s %-10s %13.0f %13.0f %13s %10s %10s %10s %10s\n' "$round" "$t" "$a" "$b" "$c" "$sc" "$rc" "$ssc" "$src"
  done
done

slowest() { for name in "${names[@]}"; do med "$1" "$name"; done | sort -g | head -1; }
check_rate=$(awk -v p="$(slowest lg)" 'BEGIN { printf "%.0f", p / 2 }')
start_rate=$(awk -v p="$(slowest start)" 'BEGIN { printf "%.0f", p / 2 }')
(( check_rate >= 1 && start_rate >= 1 )) || fail "no peak measured (check $check_rate, start $start_rate)"

echo "== phase 2: latency at a fixed rate (open loop), $rounds rounds of ${duration} s; ms"
echo "   check at ${check_rate}/s and start at ${start_rate}/s: half the slowest build's median peak (load generator); references at the check rate"
printf '   %-5s %-10s %12s %12s %12s %12s\n' round target "check p50" "check p99" "start p50" "start p99"
for round in $(seq 1 "$rounds"); do
  for t in $(order "$round"); do
    is_build "$t" && flush
    lg "$t" "${op[$t]}" "$duration" --mode open --rate "$check_rate"; r=$result
    record p50 "$t" "$(field p50_us "$r")"; record p99 "$t" "$(field p99_us "$r")"
    s50=- s99=-
    if is_build "$t"; then
      lg "$t" start "$duration" --mode open --rate "$start_rate"; s=$result
      s50=$(field p50_us "$s") s99=$(field p99_us "$s")
      record sp50 "$t" "$s50"; record sp99 "$t" "$s99"
      s50=$(awk -v v="$s50" 'BEGIN { printf "%.2f", v / 1000 }') s99=$(awk -v v="$s99" 'BEGIN { printf "%.2f", v / 1000 }')
    fi
    printf '   %-5s %-10s %12.2f %12.2f %12s %12s\n' "$round" "$t" \
      "$(awk -v v="$(field p50_us "$r")" 'BEGIN { print v / 1000 }')" "$(awk -v v="$(field p99_us "$r")" 'BEGIN { print v / 1000 }')" "$s50" "$s99"
  done
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
printf '   %-10s %13s %13s %13s %10s %10s %10s %10s\n' target "h2load check" "lg check" "lg start" "check p50" "check p99" "start p50" "start p99"
for t in "${targets[@]}"; do
  printf '   %-10s %13.0f %13.0f %13s %10s %10s %10s %10s\n' "$t" "$(med h2 "$t")" "$(med lg "$t")" \
    "$(m=$(med start "$t"); [[ $m == nan ]] && echo - || printf '%.0f' "$m")" \
    "$(ms "$(med p50 "$t")")" "$(ms "$(med p99 "$t")")" "$(ms "$(med sp50 "$t")")" "$(ms "$(med sp99 "$t")")"
done

echo "== CPU per call, medians (µs; server process / redis-server, warm-up included; peak load-generator runs)"
printf '   %-10s %12s %12s %12s %12s\n' target "srv/check" "redis/check" "srv/start" "redis/start"
for t in "${targets[@]}"; do
  printf '   %-10s %12s %12s %12s %12s\n' "$t" "$(med scpu "$t")" "$(med rcpu "$t")" \
    "$(m=$(med sscpu "$t"); [[ $m == nan ]] && echo - || echo "$m")" "$(m=$(med srcpu "$t"); [[ $m == nan ]] && echo - || echo "$m")"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan" || b == 0) print "-"; else printf "%.3f", a / b }'; }
echo "== ratios to the references (medians; 'of empty' = Verify's rate / the empty call's, same tool)"
printf '   %-10s %17s %17s %17s %17s %17s\n' build "h2load chk/empty" "h2load chk/floor" "lg chk/empty" "lg chk/floor" "lg start/floor"
for name in "${names[@]}"; do
  printf '   %-10s %17s %17s %17s %17s %17s\n' "$name" \
    "$(ratio "$(med h2 "$name")" "$(med h2 empty)")" "$(ratio "$(med h2 "$name")" "$(med h2 floor)")" \
    "$(ratio "$(med lg "$name")" "$(med lg empty)")" "$(ratio "$(med lg "$name")" "$(med lg floor)")" \
    "$(ratio "$(med start "$name")" "$(med lg floor)")"
done
if (( ${#names[@]} > 1 )); then
  first=${names[0]}
  echo "== between builds: each / $first (throughput: > 1 is faster; latency: < 1 is faster)"
  printf '   %-10s %13s %13s %13s %10s %10s %10s %10s\n' build "h2load check" "lg check" "lg start" "check p50" "check p99" "start p50" "start p99"
  for name in "${names[@]:1}"; do
    printf '   %-10s %13s %13s %13s %10s %10s %10s %10s\n' "$name" \
      "$(ratio "$(med h2 "$name")" "$(med h2 "$first")")" "$(ratio "$(med lg "$name")" "$(med lg "$first")")" \
      "$(ratio "$(med start "$name")" "$(med start "$first")")" \
      "$(ratio "$(med p50 "$name")" "$(med p50 "$first")")" "$(ratio "$(med p99 "$name")" "$(med p99 "$first")")" \
      "$(ratio "$(med sp50 "$name")" "$(med sp50 "$first")")" "$(ratio "$(med sp99 "$name")" "$(med sp99 "$first")")"
  done
fi
