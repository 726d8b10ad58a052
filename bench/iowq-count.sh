#!/usr/bin/env bash
# bench/iowq-count.sh JAR LABEL
# Runs the io_uring proxy of a sluice-cli.jar (CPU 0) and one 4 GiB loopback transfer with
# bench/build/bulk (CPU 1), after a checked 512 MiB warm-up, and prints: throughput, the most
# iou-wrk (io_uring io-wq worker) threads seen in the proxy at once (sampled every 100 ms), the
# context switches of all its threads, its CPU seconds, and the CPU of the iou-wrk threads alive
# at the end. Run it under flock /work/bench.lock on a shared machine.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jar=$1; label=$2; root=$(cd "$(dirname "$0")/.." && pwd)
java=$($root/bin/find-java)
port=$((23000 + RANDOM % 1000)); sink=$((port + 1))
taskset -c 0 $java --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xms256m -jar $jar proxy $port 127.0.0.1:$sink io_uring > $work/$label.log 2>&1 &
pid=$!
for i in $(seq 100); do ss -Hltn "sport = :$port" | grep -q . && break; sleep 0.1; done
taskset -c 1 $root/bench/build/bulk --sink-port $sink --connect 127.0.0.1:$port --bytes 512m --check >/dev/null
ctx() { cat /proc/$pid/task/*/status | awk '/ctxt_switches/ {s += $2} END {print s}'; }
cpu() { sed 's/^.*) //' /proc/$pid/stat | awk '{print $12 + $13}'; }
c0=$(ctx); t0=$(cpu)
taskset -c 1 $root/bench/build/bulk --sink-port $sink --connect 127.0.0.1:$port --bytes 4g > $work/$label.bulk &
b=$!
maxw=0; names=""
while kill -0 $b 2>/dev/null; do
  w=$(cat /proc/$pid/task/*/comm 2>/dev/null | grep -c '^iou-wrk' || true)
  [ "$w" -gt "$maxw" ] && maxw=$w
  sleep 0.1
done
wait $b
c1=$(ctx); t1=$(cpu)
wrkcpu=0
for t in /proc/$pid/task/*; do
  if grep -q '^iou-wrk' $t/comm 2>/dev/null; then wrkcpu=$((wrkcpu + $(awk '{print $14 + $15}' $t/stat))); fi
done
echo "$label: $(cat $work/$label.bulk) max_iou_wrk_threads=$maxw ctx_switches=$((c1 - c0)) proxy_cpu_s=$(awk -v a=$t1 -v b=$t0 'BEGIN{print (a-b)/100}') iou_wrk_cpu_s_alive=$(awk -v a=$wrkcpu 'BEGIN{print a/100}')"
kill -TERM $pid; wait $pid 2>/dev/null || true
