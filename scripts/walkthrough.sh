# What the walkthroughs (adapters/*/walkthrough/run.sh) share; sourced, not run.
#   walk_init NAME        a work directory ($WORK, kept with WALK_KEEP=1), a fresh invoke ledger
#                         (ROLLGATE_INVOKE_HOME, unless set), cleanup of $WALK_PIDS on exit
#   walk_emulate CLOUD PORT LAST_EXPORT
#                         starts 'scripts/rollgate emulate CLOUD --port PORT', waits for it to print
#                         its export lines (LAST_EXPORT the name of the last), shows and applies them
#   check WHAT CMD...     prints "ok: WHAT" or "FAILED: WHAT" by CMD's status, counting failures
#   walk_end              the verdict: exit 0 only when every check held
#   rg ARGS...            scripts/rollgate
WALK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WALK_PIDS=()   # processes to stop on exit
WALK_GROUPS=() # process groups to stop on exit (started with setsid: npx and the node it runs)
failures=0
step=0

walk_init() {
  WORK=$(mktemp -d "/tmp/rollgate-$1-walk.XXXXXX")
  export ROLLGATE_INVOKE_HOME="${ROLLGATE_INVOKE_HOME:-$WORK/invoke}"
  unset ROLLGATE_LEDGER_URL
  trap walk_cleanup EXIT
  trap 'echo "walkthrough: stopped: a command failed at line $LINENO of $0 (WALK_KEEP=1 keeps its output)" >&2' ERR
}

walk_cleanup() {
  local rc=$? p
  for p in "${WALK_GROUPS[@]}"; do kill -- "-$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  for p in "${WALK_PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ "${WALK_KEEP:-0}" = 1 ]; then echo "kept $WORK (each step's output in step-N.out/.log)"; else rm -rf "$WORK"; fi
  exit $rc
}

walk_emulate() {
  local cloud=$1 port=$2 last=$3 pid
  echo "\$ scripts/rollgate emulate $cloud --port $port &"
  # scripts/rollgate execs the JVM: $! is the emulator itself
  "$WALK_ROOT/scripts/rollgate" emulate "$cloud" --port "$port" >"$WORK/emulator.out" 2>"$WORK/emulator.err" &
  pid=$!
  WALK_PIDS+=("$pid")
  for _ in $(seq 1 900); do
    grep -q "^export $last=" "$WORK/emulator.out" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$WORK/emulator.err" >&2; echo "the emulator stopped" >&2; exit 1; }
    sleep 0.1
  done
  grep '^export ' "$WORK/emulator.out" || { echo "the emulator printed no export lines" >&2; exit 1; }
  eval "$(grep '^export ' "$WORK/emulator.out")"
}

check() {
  local what=$1
  shift
  if "$@"; then echo "   ok: $what"; else echo "   FAILED: $what"; failures=$((failures + 1)); fi
}

walk_end() {
  echo
  if [ "$failures" -eq 0 ]; then echo "walkthrough: all outcomes hold"; else echo "walkthrough: $failures outcome(s) do not hold"; exit 1; fi
}

rg() { "$WALK_ROOT/scripts/rollgate" "$@"; }
