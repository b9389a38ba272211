#!/usr/bin/env bash
# Runs every test of Verify on a fresh machine: installs what is missing (Debian packages, npm
# packages), builds once in Release, runs the .NET suites, then the interop suites in which the
# official gRPC clients (Python grpcio, Node @grpc/grpc-js) call real Verify processes on loopback.
# The last line is "N passed, M failed[, K skipped]"; the exit code is non-zero when anything failed.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
CONFIGURATION=${CONFIGURATION:-Release}
RESULTS="$ROOT/.test-artifacts"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

passed=0 failed=0 skipped=0
fail_step() { echo "FAILED STEP: $1" >&2; failed=$((failed + 1)); }
finish() {
  echo
  echo "$passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
  exit $?
}

# 1. System packages (Debian). Only what is missing is installed.
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v protoc >/dev/null || missing+=(protobuf-compiler)
command -v h2load >/dev/null || missing+=(nghttp2-client)
/usr/bin/python3 -c 'import grpc' 2>/dev/null || missing+=(python3-grpcio)
/usr/bin/python3 -c 'import google.protobuf' 2>/dev/null || missing+=(python3-protobuf)
/usr/bin/python3 -c 'import cryptography' 2>/dev/null || missing+=(python3-cryptography)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { fail_step "apt-get install ${missing[*]}"; finish; }
fi

# 2. Node packages for the interop suites (exact versions from package-lock.json).
if [ -f tests/interop/node/package-lock.json ]; then
  echo "== npm ci"
  (cd tests/interop/node && npm ci --no-audit --no-fund --loglevel=error) || { fail_step "npm ci"; finish; }
fi

# 3. Build everything once.
echo "== dotnet build ($CONFIGURATION)"
dotnet build Verify.sln -c "$CONFIGURATION" -nologo -clp:ErrorsOnly -v:q || { fail_step "dotnet build"; finish; }

# 4. .NET test projects: counts from the TRX files.
for project in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" -c "$CONFIGURATION" --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" --results-directory "$RESULTS" \
    > "$RESULTS/$name.log" 2>&1
  status=$?
  grep -E '^\s+(Failed|Skipped) ' "$RESULTS/$name.log" | head -50
  trx="$RESULTS/$name.trx"
  if [ -f "$trx" ]; then
    read -r p f s < <(python3 - "$trx" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
c = re.search(r"<Counters ([^>]*)/>", text).group(1)
get = lambda k: int(re.search(k + r'="(\d+)"', c).group(1))
print(get("passed"), get("failed") + get("error") + get("timeout") + get("aborted"), get("notExecuted"))
PY
)
    echo "   $name: $p passed, $f failed, $s skipped"
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    [ "$status" -ne 0 ] && [ "$f" -eq 0 ] && fail_step "$name exited $status (see $RESULTS/$name.log)"
  else
    tail -30 "$RESULTS/$name.log"
    fail_step "$name produced no results"
  fi
done

# 5. Interop suites. They start the Verify.Server processes they call (and redis-server), from the build above.
export VERIFY_SERVER_DLL="$ROOT/src/Verify.Server/bin/$CONFIGURATION/net10.0/Verify.Server.dll"

# One unittest run: its counts join the totals. $1 names it, $2 is its log, the rest is the command.
run_python() {
  local label=$1 log=$2 status ran line f s p
  shift 2
  echo "== $label"
  "$@" > "$log" 2>&1
  status=$?
  grep -E '(FAIL|ERROR|skipped)' "$log" | head -50
  ran=$(grep -oE '^Ran [0-9]+ tests?' "$log" | grep -oE '[0-9]+' || echo 0)
  line=$(grep -E '^(OK|FAILED)' "$log" | tail -1)
  f=$(( $(grep -oE 'failures=[0-9]+' <<<"$line" | grep -oE '[0-9]+' || echo 0) + $(grep -oE 'errors=[0-9]+' <<<"$line" | grep -oE '[0-9]+' || echo 0) ))
  s=$(grep -oE 'skipped=[0-9]+' <<<"$line" | grep -oE '[0-9]+' || echo 0)
  p=$((ran - f - s))
  echo "   $label: $p passed, $f failed, $s skipped"
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then tail -30 "$log"; fail_step "$label exited $status"; fi
}

if compgen -G "tests/interop/python/test_*.py" >/dev/null; then
  run_python "Python grpcio interop" "$RESULTS/python.log" \
    /usr/bin/python3 -m unittest discover -s tests/interop/python -p 'test_*.py' -v
  # test_upgrade.py builds the previous release (tests/interop/python/previous_release.txt) in a temporary worktree.
  grep -h '^previous release' "$RESULTS/python.log" | sed 's/^/   /'
  # The end-to-end and delivery suites once more, with Verify on a real redis-server instead of the embedded store.
  run_python "Python grpcio end to end over Redis" "$RESULTS/python-redis.log" \
    env E2E_STORE=redis /usr/bin/python3 -m unittest discover -s tests/interop/python -p 'test_[vd]e[rl]*.py' -v
fi

if compgen -G "tests/interop/node/*.test.mjs" >/dev/null; then
  echo "== Node @grpc/grpc-js interop"
  node --test tests/interop/node/*.test.mjs > "$RESULTS/node.log" 2>&1
  status=$?
  grep -E '^not ok|# Subtest' "$RESULTS/node.log" | grep -B1 '^not ok' | head -50
  p=$(grep -oE '^# pass [0-9]+' "$RESULTS/node.log" | grep -oE '[0-9]+' || echo 0)
  f=$(grep -oE '^# fail [0-9]+' "$RESULTS/node.log" | grep -oE '[0-9]+' || echo 0)
  s=$(grep -oE '^# skipped [0-9]+' "$RESULTS/node.log" | grep -oE '[0-9]+' || echo 0)
  echo "   node: $p passed, $f failed, $s skipped"
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then tail -30 "$RESULTS/node.log"; fail_step "node suite exited $status"; fi
fi

finish
