#!/usr/bin/env bash
# Counts an echo server's system calls per echoed message with perf's syscall tracepoints (exact
# counts, no ptrace slowdown, unlike strace -c), over one loadgen window.
#
#   bench/syscount.sh [--conns C] [--size B] [--depth D] [--seconds T] [--warmup W] [--loadgen-busy] -- SERVER COMMAND...
#
# SERVER COMMAND is run pinned to CPU $SERVER_CPU (default 0) with the literal word PORT replaced by
# a port; it must print "listening on" when ready. loadgen runs on CPU $LOADGEN_CPU (default 1) for
# W + T seconds, and perf counts the server's calls (all threads) during the last T of them, so the
# counts and loadgen's msgs/s cover about the same window. Prints one line per counter: the count
# and the count per echoed message (msgs = loadgen's msgs/s x T). --loadgen-busy runs loadgen with
# --busy (it never sleeps; see bench/c/loadgen.c); the first line says which mode ran.
#
# Run it under the bench lock: flock /work/bench.lock bench/syscount.sh ...
# Example: bench/syscount.sh --depth 1 -- java --enable-native-access=ALL-UNNAMED -jar cli/target/sluice-cli.jar echo PORT epoll
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
CONNS=50 SIZE=64 DEPTH=1 SECONDS_RUN=5 WARMUP=3 LGBUSY=
SERVER_CPU=${SERVER_CPU:-0} LOADGEN_CPU=${LOADGEN_CPU:-1}
while [ $# -gt 0 ]; do
    case "$1" in
        --conns) CONNS=$2; shift 2 ;;
        --size) SIZE=$2; shift 2 ;;
        --depth) DEPTH=$2; shift 2 ;;
        --seconds) SECONDS_RUN=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --loadgen-busy) LGBUSY=--busy; shift ;;
        --) shift; break ;;
        *) echo "syscount.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ $# -gt 0 ] || { echo "syscount.sh: no server command after --" >&2; exit 2; }
command -v perf >/dev/null || { echo "syscount.sh: needs perf (apt-get install -y linux-perf)" >&2; exit 1; }
port=$((9800 + RANDOM % 100))
cmd=("${@//PORT/$port}")
out=$(mktemp) lg=$(mktemp) pf=$(mktemp)
taskset -c "$SERVER_CPU" "${cmd[@]}" > "$out" 2>&1 &
spid=$!
trap 'kill -TERM $spid 2>/dev/null || true; rm -f "$out" "$lg" "$pf"' EXIT
for _ in $(seq 300); do grep -q "listening on" "$out" && break; sleep 0.1; done
grep -q "listening on" "$out" || { echo "syscount.sh: server did not start:" >&2; cat "$out" >&2; exit 1; }
taskset -c "$LOADGEN_CPU" "$here/build/loadgen" --host 127.0.0.1 --port "$port" --conns "$CONNS" --size "$SIZE" \
    --depth "$DEPTH" --seconds "$((SECONDS_RUN + 1))" --warmup "$WARMUP" --json $LGBUSY > "$lg" &
lpid=$!
sleep "$WARMUP"
sleep 0.5
# The same tracepoint twice with different filters counts blocking and non-blocking waits apart.
perf stat -x, -o "$pf" -p "$spid" \
    -e raw_syscalls:sys_enter \
    -e syscalls:sys_enter_epoll_wait --filter 'timeout == 0' \
    -e syscalls:sys_enter_epoll_wait --filter 'timeout != 0' \
    -e syscalls:sys_enter_epoll_pwait --filter 'timeout == 0' \
    -e syscalls:sys_enter_epoll_pwait --filter 'timeout != 0' \
    -e syscalls:sys_exit_epoll_wait --filter 'ret == 0' -e syscalls:sys_exit_epoll_pwait --filter 'ret == 0' \
    -e syscalls:sys_enter_recvfrom -e syscalls:sys_enter_sendto \
    -e syscalls:sys_enter_read -e syscalls:sys_enter_write -e syscalls:sys_enter_futex \
    -- sleep "$SECONDS_RUN" 2>/dev/null
wait "$lpid"
python3 - "$pf" "$lg" "$SECONDS_RUN" <<'EOF'
import json, sys
pf, lg, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
j = json.load(open(lg))
msgs = j["msgs_per_sec"] * secs
names = ["all syscalls", "epoll_wait(0)", "epoll_wait(>0/-1)", "epoll_pwait(0)", "epoll_pwait(>0/-1)",
         "epoll_wait -> 0 ev", "epoll_pwait -> 0 ev",
         "recvfrom", "sendto", "read", "write", "futex"]
rows = [l.split(",") for l in open(pf) if l.strip() and not l.startswith("#")]
print("msgs/s %.0f  (msgs in the counted window ~%.0f)  loadgen %s" % (j["msgs_per_sec"], msgs,
      "busy-polling (--busy)" if j.get("busy") else "blocking when idle"))
for name, r in zip(names, rows):
    n = float(r[0]) if r[0] not in ("<not counted>", "<not supported>") else 0
    print("%-20s %12.0f  %8.4f /msg" % (name, n, n / msgs))
EOF
