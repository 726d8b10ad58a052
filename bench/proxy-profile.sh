#!/usr/bin/env bash
# bench/proxy-profile.sh JAR BACKEND BYTES [WARMUPS [JAVA_OPTS...]]
#
# Where a Sluice proxy's CPU goes during one transfer in the netns topology (bench/netns.sh): starts
# `java -jar JAR proxy` on CPU 0, runs WARMUPS (default 2) 512 MiB transfers, then one transfer of
# BYTES while `perf stat` counts the proxy's splice, io_uring_enter, epoll_wait/epoll_pwait and
# fcntl calls (and splices that answered EAGAIN), and prints each thread's utime/stime over that
# transfer (ticks of 10 ms), e.g. the ring thread against the C2 compiler thread. JAVA_OPTS go
# before -jar (for example -Dsluice.splice.pumpReportBytes=0, -XX:+PrintCompilation). Needs root,
# perf and bench/build/bulk; run it under flock /work/bench.lock like any benchmark.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 3 ] || { echo "usage: bench/proxy-profile.sh JAR BACKEND BYTES [WARMUPS [JAVA_OPTS...]]" >&2; exit 2; }
jar=$1; backend=$2; bytes=$3; warmups=${4:-2}
shift $(( $# >= 4 ? 4 : 3 ))
java=$("$root/bin/find-java")
work=$(mktemp -d)
"$root/bench/netns.sh" down >/dev/null 2>&1 || true
"$root/bench/netns.sh" up
trap 'rm -rf "$work"; "$root/bench/netns.sh" down' EXIT
port=23100; sink=23101
taskset -c 0 "$java" --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xms256m "$@" -jar "$jar" proxy 10.201.1.1:$port 10.201.2.2:$sink "$backend" > "$work/proxy.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do ss -Hltn "sport = :$port" | grep -q . && break; sleep 0.1; done
bulk() { ip netns exec pb-peer taskset -c 1 "$root/bench/build/bulk" --sink-port $sink --sink-bind 10.201.2.2 --connect 10.201.1.1:$port --bytes "$1"; }
for _ in $(seq 1 "$warmups"); do bulk 512m > /dev/null; done
# tid, thread name (spaces made _), utime, stime
snap() { for t in /proc/$pid/task/*; do echo "${t##*/} $(tr ' ' '_' < "$t/comm") $(sed 's/^.*) //' "$t/stat" | awk '{print $12, $13}')"; done | sort; }
snap > "$work/t0"
perf stat -x, -o "$work/perf.out" -e syscalls:sys_enter_splice -e syscalls:sys_exit_splice --filter 'ret == -11' \
    -e syscalls:sys_enter_io_uring_enter -e syscalls:sys_enter_epoll_wait -e syscalls:sys_enter_epoll_pwait \
    -e syscalls:sys_enter_fcntl -p $pid &
perf_pid=$!
sleep 0.5
bulk "$bytes"
kill -INT $perf_pid; wait $perf_pid || true
snap > "$work/t1"
kill -TERM $pid; wait $pid || true
echo "syscalls during the transfer (sys_exit_splice: those that answered EAGAIN):"
grep -v '^#' "$work/perf.out" | grep . | cut -d, -f1,3
join "$work/t0" "$work/t1" | awk '{du=$6-$3; ds=$7-$4; if (du+ds>0) print $2, "user", du, "sys", ds; tu+=du; ts+=ds} END {print "TOTAL user", tu, "sys", ts, "(ticks of 10 ms)"}'
