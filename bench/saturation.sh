#!/usr/bin/env bash
# Is loadgen the bottleneck? Runs one C server pinned to CPU 0 and drives it from CPU 1 with one
# loadgen (N conns), then with two loadgens (N/2 conns each) at once, and prints msgs/s plus the CPU
# each process used (ticks from /proc/PID/stat, and loadgen's own user/sys split).
#
#   bench/saturation.sh [echo_uring|echo_epoll] [conns] [size] [depth] [seconds]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
server=${1:-echo_uring} conns=${2:-50} size=${3:-64} depth=${4:-16} secs=${5:-5}
port=$((9500 + RANDOM % 400))
HZ=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }

taskset -c 0 "$here/build/$server" "$port" > /tmp/saturation-server.out 2>/dev/null &
spid=$!
trap 'kill -TERM $spid 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q listening /tmp/saturation-server.out && break; sleep 0.1; done

lg() { taskset -c 1 "$here/build/loadgen" --port "$port" --conns "$1" --size "$size" --depth "$depth" \
       --seconds "$secs" --warmup 1 --json; }
measure() {  # label, then runs the given function; prints server CPU over the whole run
    local label=$1; shift
    local s0 m0 t0 s1 m1 t1; s0=$(ticks $spid); m0=$(busy); t0=$(date +%s%N)
    "$@"
    s1=$(ticks $spid); m1=$(busy); t1=$(date +%s%N)
    awk -v l="$label" -v s=$((s1 - s0)) -v m=$((m1 - m0)) -v hz="$HZ" -v w=$(( (t1 - t0) / 1000000 )) \
        'BEGIN { printf "%s: server CPU %.0f%% of one core, whole machine busy %.0f%% of one core, over %.1f s\n", l, 100*s/hz/(w/1000), 100*m/hz/(w/1000), w/1000 }'
}
one() { lg "$conns"; }
two() { lg $((conns / 2)) & local a=$!; lg $((conns - conns / 2)) & local b=$!; wait $a; wait $b; }
measure "one loadgen, $conns conns" one
measure "two loadgens, $((conns / 2)) + $((conns - conns / 2)) conns, both on CPU 1" two
