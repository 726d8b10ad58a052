#!/usr/bin/env bash
# Runs every echo server against loadgen, interleaved run by run, and writes a markdown table.
#
#   bench/compare.sh [--rounds R] [--seconds T] [--warmup W] [--servers "a b ..."] [--cases "c ..."]
#                    [--max-other PCT] [--retries K]
#
# A case is conns:size:depth:idle, e.g. 50:64:16:0. For each round, each case, each server (the order
# rotates every round so drift on a shared machine does not favour one server): start the server
# pinned to CPU $SERVER_CPU, wait for its "listening on" line, run loadgen pinned to CPU $LOADGEN_CPU,
# read the server's utime+stime ticks (all threads, /proc/PID/stat fields 14+15) at the end of warmup
# and after the run, read whole-machine busy ticks from /proc/stat over the same window, stop the
# server with SIGTERM and check it exited 0.
#
# Columns: msgs/s (median over rounds), latency p50/p99 (median), server CPU % of one core in the
# measured window, msgs per server CPU-second (the efficiency figure that stays meaningful when the
# loadgen and not the server is the limit), loadgen CPU %, and "other" CPU: machine busy time not
# spent in the server or loadgen, in % of one core. A run whose "other" exceeds --max-other (default
# 25 % of a core) was disturbed by something else on the machine: it is kept in the raw file marked
# "disturbed", retried up to --retries times (default 2), and left out of the medians.
#
# Needs: bench/build-c.sh and `mvn -pl bench -am package` done; python3 for the table.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ROUNDS=3 SECONDS_RUN=5 WARMUP=2
SERVERS="c-uring c-epoll nio vthreads netty-epoll netty-uring"
CASES="50:64:1:0 50:64:16:0 50:64:16:10000"
MAX_OTHER=25 RETRIES=2
SERVER_CPU=${SERVER_CPU:-0} LOADGEN_CPU=${LOADGEN_CPU:-1}
PORT=${PORT:-9300}
JAVA=${JAVA:-}
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) ROUNDS=$2; shift 2 ;;
        --seconds) SECONDS_RUN=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --servers) SERVERS=$2; shift 2 ;;
        --cases) CASES=$2; shift 2 ;;
        --max-other) MAX_OTHER=$2; shift 2 ;;
        --retries) RETRIES=$2; shift 2 ;;
        *) echo "compare.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
if [ "$WARMUP" -lt 1 ]; then echo "compare.sh: --warmup must be >= 1 (CPU is sampled after it)" >&2; exit 2; fi

LOADGEN="$here/build/loadgen"
JAR="$here/target/sluice-bench.jar"
[ -x "$LOADGEN" ] || { echo "compare.sh: $LOADGEN missing; run bench/build-c.sh" >&2; exit 1; }
command -v python3 >/dev/null || { echo "compare.sh: python3 needed for the table (apt-get install -y python3)" >&2; exit 1; }
if [ -z "$JAVA" ]; then
    for j in /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
        [ -x "$j" ] || continue
        v=$("$j" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2}')
        if [ "${v%%.*}" -ge 22 ] 2>/dev/null; then JAVA=$j; break; fi
    done
fi
JVM=("$JAVA" --enable-native-access=ALL-UNNAMED -Xms512m -Xmx512m -cp "$JAR")

server_cmd() {  # name -> command line; the literal word PORT is replaced by the port
    case "$1" in
        c-uring) echo "$here/build/echo_uring PORT" ;;
        c-epoll) echo "$here/build/echo_epoll PORT" ;;
        nio) echo "${JVM[*]} dev.sluice.bench.peers.NioEchoServer PORT" ;;
        vthreads) echo "${JVM[*]} dev.sluice.bench.peers.VirtualThreadEchoServer PORT" ;;
        netty-epoll) echo "${JVM[*]} dev.sluice.bench.peers.NettyEchoServer PORT epoll" ;;
        netty-uring) echo "${JVM[*]} dev.sluice.bench.peers.NettyEchoServer PORT io_uring" ;;
        *) echo "compare.sh: unknown server $1" >&2; exit 2 ;;
    esac
}
for s in $SERVERS; do
    case "$s" in nio|vthreads|netty-*) [ -f "$JAR" ] && [ -n "$JAVA" ] || {
        echo "compare.sh: $s needs $JAR and a JDK 22+ (run mvn -B -q -pl bench -am package -DskipTests)" >&2; exit 1; } ;; esac
done

proc_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
machine_busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }   # user nice system irq softirq steal
HZ=$(getconf CLK_TCK)

mkdir -p "$here/results"
stamp=$(date +%Y%m%d-%H%M%S)
raw="$here/results/compare-$stamp.jsonl"
table="$here/results/compare-$stamp.md"
log="$here/results/compare-$stamp.log"
: > "$raw"

run_one() {  # server case round
    local name=$1 case=$2 round=$3
    IFS=: read -r conns size depth idle <<< "$case"
    local port=$((PORT + RANDOM % 500))
    local cmd; cmd=$(server_cmd "$name"); cmd=${cmd//PORT/$port}
    local out; out=$(mktemp)
    # shellcheck disable=SC2086  # word splitting of the command is intended (paths have no spaces)
    taskset -c "$SERVER_CPU" $cmd > "$out" 2>>"$log" &
    local spid=$!
    local i
    for i in $(seq 200); do grep -q "^listening on" "$out" && break; sleep 0.1; done
    if ! grep -q "^listening on" "$out"; then
        echo "compare.sh: $name did not print 'listening on' within 20 s; see $log" >&2
        kill -TERM "$spid" 2>/dev/null || true; wait "$spid" || true; rm -f "$out"; return 1
    fi
    local lgout; lgout=$(mktemp)
    taskset -c "$LOADGEN_CPU" "$LOADGEN" --host 127.0.0.1 --port "$port" --conns "$conns" --size "$size" \
        --depth "$depth" --seconds "$SECONDS_RUN" --warmup "$WARMUP" --idle "$idle" --json > "$lgout" 2>>"$log" &
    local lpid=$!
    # Sample after warmup. Connecting the idle sockets happens before warmup starts, so wait for it.
    sleep "$WARMUP"
    if [ "$idle" -gt 0 ]; then sleep $(( (idle + 9999) / 10000 )); fi
    local s0 m0 t0 l0; s0=$(proc_ticks "$spid"); m0=$(machine_busy); t0=$(date +%s%N); l0=$(proc_ticks "$lpid" 2>/dev/null || echo 0)
    local l1=$l0 s1 m1 t1 lrc=0
    # Poll the loadgen's ticks until it exits (its /proc entry disappears at exit).
    while kill -0 "$lpid" 2>/dev/null; do
        l1=$(proc_ticks "$lpid" 2>/dev/null || echo "$l1"); s1=$(proc_ticks "$spid"); m1=$(machine_busy); t1=$(date +%s%N)
        sleep 0.2
    done
    wait "$lpid" || lrc=$?
    kill -TERM "$spid"; local src=0; wait "$spid" || src=$?
    local json; json=$(cat "$lgout"); rm -f "$out" "$lgout"
    [ -n "$json" ] || json='{}'
    python3 - "$json" "$name" "$case" "$round" "$lrc" "$src" "$s0" "$s1" "$l0" "$l1" "$m0" "$m1" "$t0" "$t1" "$HZ" "$MAX_OTHER" >> "$raw" <<'EOF'
import json, sys
j = json.loads(sys.argv[1])
name, case, rnd, lrc, src = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
s0, s1, l0, l1, m0, m1 = map(int, sys.argv[7:13])
t0, t1, hz = int(sys.argv[13]), int(sys.argv[14]), int(sys.argv[15])
wall = max((t1 - t0) / 1e9, 1e-9)
j.update(server=name, case=case, round=rnd, loadgen_rc=lrc, server_rc=src,
         server_cpu_pct=100.0 * (s1 - s0) / hz / wall, loadgen_cpu_pct=100.0 * (l1 - l0) / hz / wall,
         other_cpu_pct=100.0 * ((m1 - m0) - (s1 - s0) - (l1 - l0)) / hz / wall, window_s=wall)
srv_cpu_s = (s1 - s0) / hz
j["msgs_per_server_cpu_s"] = (j.get("msgs_per_sec", 0) * wall / srv_cpu_s) if srv_cpu_s > 0 else 0
j["disturbed"] = j["other_cpu_pct"] > float(sys.argv[16])
print(json.dumps(j))
EOF
    local last; last=$(tail -1 "$raw")
    echo "round $round case $case $name: $(python3 -c 'import json,sys; j=json.loads(sys.argv[1]); print("%(msgs_per_sec).0f msg/s p99 %(p99_us).0fus srv %(server_cpu_pct).0f%% lg %(loadgen_cpu_pct).0f%% other %(other_cpu_pct).0f%% rc=%(loadgen_rc)d/%(server_rc)d%(d)s" % {**{"msgs_per_sec":0,"p99_us":0}, **j, "d": " DISTURBED" if j["disturbed"] else ""})' "$last")"
    python3 -c 'import json,sys; sys.exit(1 if json.loads(sys.argv[1])["disturbed"] else 0)' "$last"
}

echo "compare.sh: servers [$SERVERS] cases [$CASES] rounds $ROUNDS, ${WARMUP}s warmup + ${SECONDS_RUN}s; raw $raw"
read -r -a server_list <<< "$SERVERS"
n=${#server_list[@]}
for round in $(seq 1 "$ROUNDS"); do
    for case in $CASES; do
        for k in $(seq 0 $((n - 1))); do
            for attempt in $(seq 0 "$RETRIES"); do
                run_one "${server_list[$(( (k + round - 1) % n ))]}" "$case" "$round" && break
            done
        done
    done
done

python3 - "$raw" "$SERVERS" "$CASES" > "$table" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
servers, cases = sys.argv[2].split(), sys.argv[3].split()
med = lambda xs: statistics.median(xs) if xs else float("nan")
print("| case (conns:size:depth:idle) | server | msgs/s (median) | min..max | p50 µs | p99 µs | server CPU % | msgs per server CPU-s | loadgen CPU % | other CPU % | runs used | disturbed | failed |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for c in cases:
    for s in servers:
        rs = [r for r in rows if r["server"] == s and r["case"] == c]
        good = [r for r in rs if r["loadgen_rc"] == 0 and r["server_rc"] == 0 and "msgs_per_sec" in r]
        bad = len(rs) - len(good)
        ok = [r for r in good if not r["disturbed"]]
        dist = len(good) - len(ok)
        if not ok:
            print(f"| {c} | {s} | – | – | – | – | – | – | – | – | 0 | {dist} | {bad} |"); continue
        rate = [r["msgs_per_sec"] for r in ok]
        print(f"| {c} | {s} | {med(rate):,.0f} | {min(rate):,.0f}..{max(rate):,.0f} | {med([r['p50_us'] for r in ok]):.0f} "
              f"| {med([r['p99_us'] for r in ok]):.0f} | {med([r['server_cpu_pct'] for r in ok]):.0f} "
              f"| {med([r['msgs_per_server_cpu_s'] for r in ok]):,.0f} | {med([r['loadgen_cpu_pct'] for r in ok]):.0f} "
              f"| {med([r['other_cpu_pct'] for r in ok]):.0f} | {len(ok)} | {dist} | {bad} |")
EOF
echo
cat "$table"
echo
echo "table: $table"
