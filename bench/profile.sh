#!/usr/bin/env bash
# Profiles one echo server under loadgen with perf (CPU samples of every thread, kernel and user,
# JIT-compiled Java frames named through the JVM's perf map).
#
#   bench/profile.sh SERVER [conns:size:depth:idle] [seconds]     e.g. bench/profile.sh sluice-uring 50:64:16:0 5
#
# SERVER is one of compare.sh's names. The server runs pinned to CPU 0 and loadgen to CPU 1, as in
# compare.sh; perf records the server's pid for `seconds` after a 5 s warmup. Writes
# bench/results/profile-SERVER-STAMP.{data,txt}: the .txt holds the top symbols (self time) and
# the user/kernel split. Needs perf (apt-get install -y linux-perf).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
name=${1:?usage: bench/profile.sh SERVER [conns:size:depth:idle] [seconds]}
case_=${2:-50:64:16:0}
secs=${3:-5}
IFS=: read -r conns size depth idle <<< "$case_"
command -v perf >/dev/null || { echo "profile.sh: perf missing: apt-get install -y linux-perf" >&2; exit 1; }
java=${JAVA:-$("$root/bin/find-java")}
# -XX:+DumpPerfMapAtExit writes /tmp/perf-PID.map so perf can name JIT-compiled methods;
# PreserveFramePointer lets perf walk Java stacks.
JVM=("$java" --enable-native-access=ALL-UNNAMED ${JVM_OPTS:--Xms512m -Xmx512m} -XX:+UnlockDiagnosticVMOptions
     -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer)
port=$((9800 + RANDOM % 100))
case "$name" in
    c-uring) cmd=("$here/build/echo_uring" "$port") ;;
    c-epoll) cmd=("$here/build/echo_epoll" "$port") ;;
    sluice-uring) cmd=("${JVM[@]}" -jar "$root/cli/target/sluice-cli.jar" echo "$port" io_uring) ;;
    sluice-epoll) cmd=("${JVM[@]}" -jar "$root/cli/target/sluice-cli.jar" echo "$port" epoll) ;;
    nio) cmd=("${JVM[@]}" -cp "$here/target/sluice-bench.jar" dev.sluice.bench.peers.NioEchoServer "$port") ;;
    netty-uring) cmd=("${JVM[@]}" -cp "$here/target/sluice-bench.jar" dev.sluice.bench.peers.NettyEchoServer "$port" io_uring) ;;
    netty-epoll) cmd=("${JVM[@]}" -cp "$here/target/sluice-bench.jar" dev.sluice.bench.peers.NettyEchoServer "$port" epoll) ;;
    *) echo "profile.sh: unknown server $name" >&2; exit 2 ;;
esac
mkdir -p "$here/results"
out="$here/results/profile-$name-$(date +%Y%m%d-%H%M%S)"
taskset -c 0 "${cmd[@]}" > "$out.server.log" 2>&1 &
spid=$!
trap 'kill -TERM $spid 2>/dev/null || true' EXIT
for _ in $(seq 300); do grep -q "listening on" "$out.server.log" && break; sleep 0.1; done
taskset -c 1 "$here/build/loadgen" --port "$port" --conns "$conns" --size "$size" --depth "$depth" --idle "$idle" \
    --seconds $((secs + 2)) --warmup 5 --server-pid "$spid" --json > "$out.loadgen.json" &
lpid=$!
sleep 5
perf record -F 999 -g -p "$spid" -o "$out.data" -- sleep "$secs" 2> "$out.perf.log"
wait "$lpid" || true
kill -TERM "$spid"; wait "$spid" || true
trap - EXIT
{
    cat "$out.loadgen.json"
    echo "== user vs kernel samples"
    perf report -i "$out.data" --no-children --sort dso --stdio 2>/dev/null | grep -E "^ +[0-9]" | head -8 || true
    echo "== top symbols, self"
    perf report -i "$out.data" --no-children --sort sym --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -60
} > "$out.txt"
cat "$out.txt"
echo "profile: $out.data (perf report -i $out.data)"
