#!/usr/bin/env bash
# Runs the echo servers against loadgen, each server run bracketed by runs of the reference server
# (the C liburing server), and writes a markdown table plus a JSON summary.
#
#   bench/compare.sh --quick | --full  [--rounds R] [--seconds T] [--warmup W] [--servers "a b ..."]
#                    [--cases "c ..."] [--quota PCT] [--max-other PCT] [--retries K] [--quiet-wait S]
#                    [--label NAME] [--perf-user PERIOD_US] [--loadgen-busy]
#
# --quick  one round, 3 s runs, the io_uring servers and sluice-epoll, 64 B x 50 depth 16: for iterating.
# --full   5 rounds, 5 s runs, every server, every case: for the record.
# Explicit options after --quick/--full override their settings.
#
# A case is conns:size:depth:idle, e.g. 50:64:16:0. In each round and case the order is
#   ref, s1, ref, s2, ref, ..., sN, ref
# with s1..sN the other servers, rotated every round. The loopback speed of the VM drifts by up to
# 1.5x within minutes, so absolute msgs/s of runs minutes apart do not compare; a run's ratio to the
# reference runs right before and after it (geometric mean of the two) does. The table reports the
# median of those pairwise ratios over the rounds, with min and max.
#
# Each run: the server starts pinned to CPU $SERVER_CPU, loadgen (pinned to CPU $LOADGEN_CPU) is
# given the server's pid and measures it at the exact edges of the measured window: server user and
# system time (/proc/PID/stat), whole-machine busy time (/proc/stat), its own time; and, with idle
# connections, the server's VmRSS before and after they are all accepted. "Other" CPU is machine busy
# time not spent in the server or loadgen. A run with other > --max-other (% of one core, default 25)
# was disturbed by other work on this shared machine: it is kept in the raw file marked "disturbed",
# retried up to --retries times, and left out of the medians. Before each run the script waits up to
# --quiet-wait seconds for the machine to be quiet.
#
# --quota PCT is the server-bound mode: the server runs in a cgroup limited to PCT % of one core
# (cgroup v2 cpu.max "PCT*1000 100000", or cgroup v1 cpu.cfs_quota_us on hybrid hosts), created under
# /sys/fs/cgroup (needs root) and removed at exit. Then the server, not loadgen or the kernel's
# loopback path, is the bottleneck, and msgs/s measures server efficiency. Warmup defaults to 10 s
# there: the JIT compiles within the same quota.
#
# --perf-user PERIOD_US also samples the server's user time with perf (cpu-clock:u, one sample per
# PERIOD_US µs of the server's CPU time, all threads, over the measured window): 100 µs gives ~40x
# the resolution of the kernel's tick accounting (HZ=250), whose user/system split of a 4-12 s run
# carries +-10-15% noise when user time is ~5% of the total. Adds server_user_perf_us_per_msg (and
# the samples per thread name) to each run; needs perf (apt-get install -y linux-perf).
#
# --loadgen-busy runs loadgen with --busy: its loop polls epoll_wait with timeout 0 and never sleeps,
# so a server's send never has to wake an idle loadgen CPU (an IPI, costly under a hypervisor). The
# command line in the table and each raw run ("busy") say which mode ran; each raw run also has
# loadgen's epoll_wait calls, empty ones and context switches over the window, and the server's
# context switches (server_vcsw: its sleeps).
#
# A/B of two Sluice builds or settings: the server sluice-epoll-alt (and sluice-uring-alt) runs
# ALT_CLI_JAR (default: the same jar) with ALT_JVM_OPTS added, e.g.
#   ALT_CLI_JAR=/tmp/base/sluice-cli.jar bench/compare.sh --servers "c-uring sluice-epoll sluice-epoll-alt" ...
#
# Warmup: the default 3 s (10 s with --quota) is enough for throughput, not for user CPU per
# message. A Java server's event loop is one long-running loop, compiled by C2 on-stack
# replacement once its back-edge counter is high enough: Sluice's ring loop (Ring.runUntil, with
# the whole engine inlined) gets its tier-4 OSR compile about 3.7 s after load starts
# (-XX:+PrintCompilation, 2026-11-22), so with --warmup 3 that compile (C2 compiler thread,
# 1-6% of the server's user samples) and the C1-compiled loop before it fall in the measured
# window. The loop counts one back-edge per turn (~7,000 a second at depth 1); NIO's select loop
# counts one per ready key (per message), so it reaches tier 4 about 0.9 s after load starts.
# Measure user CPU with --warmup 10.
#
# Output: bench/results/compare-STAMP.{jsonl,md,json,log}. Needs: bench/build-c.sh, and
# `mvn -B -q package -DskipTests` (bench/target/sluice-bench.jar, cli/target/sluice-cli.jar).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"

REF=c-uring
ALL_SERVERS="c-uring sluice-uring sluice-epoll netty-uring netty-epoll nio vthreads c-epoll"
ALL_CASES="50:64:1:0 50:64:16:0 10:16384:1:0 50:64:16:10000"
ROUNDS=1 SECONDS_RUN=3 WARMUP= SERVERS="c-uring sluice-uring netty-uring sluice-epoll" CASES="50:64:16:0"
MAX_OTHER=25 RETRIES=2 QUIET_WAIT=30 QUOTA=0 LABEL= PERF_USER_US=0 LOADGEN_BUSY=0
SERVER_CPU=${SERVER_CPU:-0} LOADGEN_CPU=${LOADGEN_CPU:-1}
PORT=${PORT:-9300}
JAVA=${JAVA:-}
ALT_CLI_JAR=${ALT_CLI_JAR:-} ALT_JVM_OPTS=${ALT_JVM_OPTS:-}
# The same JVM options for every Java server (Sluice and the JDK/Netty peers).
JVM_OPTS=${JVM_OPTS:--Xms512m -Xmx512m}
mode=quick
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) mode=quick; ROUNDS=1; SECONDS_RUN=3; SERVERS="c-uring sluice-uring netty-uring sluice-epoll"; CASES="50:64:16:0"; shift ;;
        --full) mode=full; ROUNDS=5; SECONDS_RUN=5; SERVERS=$ALL_SERVERS; CASES=$ALL_CASES; shift ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --seconds) SECONDS_RUN=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --servers) SERVERS=$2; shift 2 ;;
        --cases) CASES=$2; shift 2 ;;
        --quota) QUOTA=$2; shift 2 ;;
        --max-other) MAX_OTHER=$2; shift 2 ;;
        --retries) RETRIES=$2; shift 2 ;;
        --quiet-wait) QUIET_WAIT=$2; shift 2 ;;
        --label) LABEL=$2; shift 2 ;;
        --perf-user) PERF_USER_US=$2; shift 2 ;;
        --loadgen-busy) LOADGEN_BUSY=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "compare.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
done
if [ -z "$WARMUP" ]; then if [ "$QUOTA" -gt 0 ]; then WARMUP=10; else WARMUP=3; fi; fi
if [ "$WARMUP" -lt 1 ]; then echo "compare.sh: --warmup must be >= 1 (the JIT needs it)" >&2; exit 2; fi
if [ "$PERF_USER_US" -gt 0 ] && ! command -v perf >/dev/null; then echo "compare.sh: --perf-user needs perf (apt-get install -y linux-perf)" >&2; exit 1; fi
if [ "$QUOTA" -lt 0 ] || [ "$QUOTA" -gt 100 ]; then echo "compare.sh: --quota takes 1..100 (% of one core), got $QUOTA" >&2; exit 2; fi
case " $SERVERS " in *" $REF "*) ;; *) SERVERS="$REF $SERVERS" ;; esac

LOADGEN="$here/build/loadgen"
BENCH_JAR="$here/target/sluice-bench.jar"
CLI_JAR="$root/cli/target/sluice-cli.jar"
[ -x "$LOADGEN" ] || { echo "compare.sh: $LOADGEN missing; run bench/build-c.sh" >&2; exit 1; }
for c in loadgen echo_uring echo_epoll; do
    [ ! -e "$here/build/$c" ] || [ "$here/build/$c" -nt "$here/c/$c.c" ] \
        || { echo "compare.sh: bench/build/$c is older than bench/c/$c.c; run bench/build-c.sh" >&2; exit 1; }
done
command -v python3 >/dev/null || { echo "compare.sh: python3 needed for the table (apt-get install -y python3)" >&2; exit 1; }
[ -n "$JAVA" ] || JAVA=$("$root/bin/find-java")
# Run copies of the jars, so a rebuild during a long session cannot change what is measured.
JARS=$(mktemp -d /tmp/compare-jars.XXXXXX)
[ -f "$CLI_JAR" ] && cp "$CLI_JAR" "$JARS/" && CLI_JAR="$JARS/$(basename "$CLI_JAR")"
[ -f "$BENCH_JAR" ] && cp "$BENCH_JAR" "$JARS/" && BENCH_JAR="$JARS/$(basename "$BENCH_JAR")"
if [ -n "$ALT_CLI_JAR" ]; then mkdir "$JARS/alt" && cp "$ALT_CLI_JAR" "$JARS/alt/" && ALT_CLI_JAR="$JARS/alt/$(basename "$ALT_CLI_JAR")"; else ALT_CLI_JAR=$CLI_JAR; fi
JVM=("$JAVA" --enable-native-access=ALL-UNNAMED $JVM_OPTS)
LGBUSY=; [ "$LOADGEN_BUSY" = 1 ] && LGBUSY=1

server_cmd() {  # name -> command line; the literal word PORT is replaced by the port
    case "$1" in
        c-uring) echo "$here/build/echo_uring PORT" ;;
        c-epoll) echo "$here/build/echo_epoll PORT" ;;
        sluice-uring) echo "${JVM[*]} -jar $CLI_JAR echo PORT io_uring" ;;
        # Registered files on/off explicitly, whatever the default (docs/bench/registered-files.md).
        sluice-uring-fixed) echo "${JVM[*]} -Dsluice.iouring.registeredFiles=true -jar $CLI_JAR echo PORT io_uring" ;;
        sluice-uring-nodefer) echo "${JVM[*]} -Dsluice.iouring.deferTaskrun=false -jar $CLI_JAR echo PORT io_uring" ;;
        sluice-uring-nofixed) echo "${JVM[*]} -Dsluice.iouring.registeredFiles=false -jar $CLI_JAR echo PORT io_uring" ;;
        sluice-epoll) echo "${JVM[*]} -jar $CLI_JAR echo PORT epoll" ;;
        sluice-uring-ms) echo "${JVM[*]} -jar $CLI_JAR echo PORT io_uring multishot" ;;
        sluice-epoll-ms) echo "${JVM[*]} -jar $CLI_JAR echo PORT epoll multishot" ;;
        sluice-uring-alt) echo "${JVM[*]} $ALT_JVM_OPTS -jar $ALT_CLI_JAR echo PORT io_uring" ;;
        sluice-epoll-alt) echo "${JVM[*]} $ALT_JVM_OPTS -jar $ALT_CLI_JAR echo PORT epoll" ;;
        nio) echo "${JVM[*]} -cp $BENCH_JAR dev.sluice.bench.peers.NioEchoServer PORT" ;;
        vthreads) echo "${JVM[*]} -cp $BENCH_JAR dev.sluice.bench.peers.VirtualThreadEchoServer PORT" ;;
        netty-epoll) echo "${JVM[*]} -cp $BENCH_JAR dev.sluice.bench.peers.NettyEchoServer PORT epoll" ;;
        netty-uring) echo "${JVM[*]} -cp $BENCH_JAR dev.sluice.bench.peers.NettyEchoServer PORT io_uring" ;;
        *) echo "compare.sh: unknown server $1 (known: $ALL_SERVERS)" >&2; exit 2 ;;
    esac
}
for s in $SERVERS; do
    server_cmd "$s" > /dev/null
    case "$s" in
        c-*) [ -x "$here/build/echo_${s#c-}" ] || { echo "compare.sh: $s needs bench/build-c.sh" >&2; exit 1; } ;;
        sluice-*) [ -f "$CLI_JAR" ] || { echo "compare.sh: $s needs $CLI_JAR (mvn -B -q package -DskipTests)" >&2; exit 1; } ;;
        *) [ -f "$BENCH_JAR" ] || { echo "compare.sh: $s needs $BENCH_JAR (mvn -B -q package -DskipTests)" >&2; exit 1; } ;;
    esac
done
for c in $CASES; do
    [[ "$c" =~ ^[0-9]+:[0-9]+:[0-9]+:[0-9]+$ ]] || { echo "compare.sh: case '$c' is not conns:size:depth:idle" >&2; exit 2; }
done

mkdir -p "$here/results"
stamp=$(date +%Y%m%d-%H%M%S)${LABEL:+-$LABEL}
raw="$here/results/compare-$stamp.jsonl"
table="$here/results/compare-$stamp.md"
summary="$here/results/compare-$stamp.json"
log="$here/results/compare-$stamp.log"
: > "$raw"

# The server-bound mode's cgroup, removed on exit (after the last server has exited).
# On SIGINT/SIGTERM the running server and loadgen are stopped too.
CGROUP= RUNNING=
cleanup() {
    local p
    for p in $RUNNING; do kill -TERM "$p" 2>/dev/null || true; done
    for p in $RUNNING; do wait "$p" 2>/dev/null || true; done
    if [ -n "$CGROUP" ] && [ -d "$CGROUP" ]; then
        for _ in 1 2 3 4 5; do rmdir "$CGROUP" 2>/dev/null && break; sleep 0.2; done
    fi
    rm -rf "$JARS"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [ "$QUOTA" -gt 0 ]; then
    [ "$(id -u)" = 0 ] || { echo "compare.sh: --quota needs root to create a cgroup" >&2; exit 1; }
    if [ -f /sys/fs/cgroup/cgroup.controllers ] && grep -qw cpu /sys/fs/cgroup/cgroup.controllers; then
        # cgroup v2: enable the cpu controller for children, then cpu.max = "quota period".
        grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control || echo +cpu > /sys/fs/cgroup/cgroup.subtree_control
        CGROUP=/sys/fs/cgroup/sluice-bench-$$
        mkdir "$CGROUP"
        echo "$((QUOTA * 1000)) 100000" > "$CGROUP/cpu.max"
    elif [ -f /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then
        # cgroup v1 (hybrid hosts where the cpu controller is bound to v1): the same limit as cfs quota/period.
        CGROUP=/sys/fs/cgroup/cpu/sluice-bench-$$
        mkdir "$CGROUP"
        echo 100000 > "$CGROUP/cpu.cfs_period_us"
        echo "$((QUOTA * 1000))" > "$CGROUP/cpu.cfs_quota_us"
    else
        echo "compare.sh: --quota needs the cgroup cpu controller (v2 cpu.max or v1 cpu.cfs_quota_us); neither is mounted under /sys/fs/cgroup" >&2
        exit 1
    fi
fi

machine_busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }   # user nice system irq softirq steal
HZ=$(getconf CLK_TCK)

# Waits (at most QUIET_WAIT s) until the machine's busy time over half a second is below MAX_OTHER
# % of one core: other sessions' builds come and go, and a run started in a busy spell is wasted.
wait_quiet() {
    local waited=0 b0 b1 busy
    while :; do
        b0=$(machine_busy); sleep 0.5; b1=$(machine_busy)
        busy=$(( (b1 - b0) * 100 * 2 / HZ ))
        [ "$busy" -le "$MAX_OTHER" ] && return 0
        [ "$waited" -ge "$QUIET_WAIT" ] && { echo "  (machine still busy: ${busy}% of a core after ${waited}s; running anyway)"; return 0; }
        sleep 1; waited=$((waited + 2))
    done
}

run_one() {  # server case round seq attempt; returns 1 when the run is disturbed or failed
    local name=$1 case=$2 round=$3 seq=$4 attempt=$5
    IFS=: read -r conns size depth idle <<< "$case"
    local port=$((PORT + RANDOM % 500))
    local cmd; cmd=$(server_cmd "$name"); cmd=${cmd//PORT/$port}
    local out; out=$(mktemp)
    wait_quiet
    local load; load=$(cut -d' ' -f1 /proc/loadavg)
    # shellcheck disable=SC2086  # word splitting of the command is intended (paths have no spaces)
    if [ -n "$CGROUP" ]; then
        # Join the cgroup first, then exec: every thread the server ever starts is under the quota.
        ( echo "$BASHPID" > "$CGROUP/cgroup.procs"; exec taskset -c "$SERVER_CPU" $cmd ) > "$out" 2>>"$log" &
    else
        taskset -c "$SERVER_CPU" $cmd > "$out" 2>>"$log" &
    fi
    local spid=$!
    RUNNING=$spid
    local i
    for i in $(seq 300); do grep -q "listening on" "$out" && break; kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
    if ! grep -q "listening on" "$out"; then
        echo "compare.sh: $name did not print 'listening on' within 30 s; see $log" >&2
        kill -TERM "$spid" 2>/dev/null || true; wait "$spid" || true; rm -f "$out"; return 1
    fi
    local lgout lrc=0; lgout=$(mktemp)
    taskset -c "$LOADGEN_CPU" "$LOADGEN" --host 127.0.0.1 --port "$port" --conns "$conns" --size "$size" \
        --depth "$depth" --seconds "$SECONDS_RUN" --warmup "$WARMUP" --idle "$idle" --server-pid "$spid" --json \
        ${LGBUSY:+--busy} > "$lgout" 2>>"$log" &
    local lpid=$!
    RUNNING="$lpid $spid"
    local pfile= ppid=
    if [ "$PERF_USER_US" -gt 0 ]; then
        # loadgen's window starts after its warmup; perf runs beside loadgen, off the server's CPU.
        pfile=$(mktemp)
        ( sleep "$WARMUP"; exec taskset -c "$LOADGEN_CPU" perf record -q -e cpu-clock:u -c "$((PERF_USER_US * 1000))" \
            -p "$spid" -o "$pfile" -- sleep "$SECONDS_RUN" ) > /dev/null 2>>"$log" &
        ppid=$!
        RUNNING="$lpid $spid $ppid"
    fi
    wait "$lpid" || lrc=$?
    local perf_threads=
    if [ -n "$ppid" ]; then
        wait "$ppid" || true
        # Samples per thread name, "name=count;name=count"; names lose spaces.
        perf_threads=$(perf script -i "$pfile" -F comm 2>/dev/null | tr -d ' ' | sort | uniq -c | awk '{printf "%s=%s;", $2, $1}')
        rm -f "$pfile"
    fi
    kill -TERM "$spid" 2>/dev/null || true
    local src=0; wait "$spid" || src=$?
    RUNNING=
    local json; json=$(cat "$lgout"); rm -f "$out" "$lgout"
    [ -n "$json" ] || json='{}'
    python3 - "$json" "$name" "$case" "$round" "$seq" "$attempt" "$lrc" "$src" "$MAX_OTHER" "$QUOTA" "$load" \
        "$PERF_USER_US" "$SECONDS_RUN" "$perf_threads" >> "$raw" <<'EOF'
import json, sys
j = json.loads(sys.argv[1])
name, case = sys.argv[2], sys.argv[3]
rnd, seq, attempt, lrc, src = map(int, sys.argv[4:9])
max_other, quota, load = float(sys.argv[9]), int(sys.argv[10]), float(sys.argv[11])
perf_us, secs, perf_threads = int(sys.argv[12]), float(sys.argv[13]), sys.argv[14]
j.update(server=name, case=case, round=rnd, seq=seq, attempt=attempt, loadgen_rc=lrc, server_rc=src, quota_pct=quota, loadavg=load)
if perf_us > 0 and perf_threads and j.get("msgs_per_sec"):
    # perf sampled for SECONDS_RUN s starting with loadgen's window: messages over that time.
    by = {k: int(v) for k, v in (kv.split("=", 1) for kv in perf_threads.split(";") if kv)}
    j["server_user_perf_samples"] = sum(by.values())
    j["server_user_perf_by_thread"] = by
    j["server_user_perf_us_per_msg"] = sum(by.values()) * perf_us / (j["msgs_per_sec"] * secs)
    # The busiest thread is the event loop; the rest is mostly the JIT compilers still at work.
    j["server_user_perf_loop_us_per_msg"] = max(by.values()) * perf_us / (j["msgs_per_sec"] * secs)
w = j.get("window_s", 0)
if w > 0:
    srv = j["server_user_s"] + j["server_sys_s"]
    lg = j["loadgen_window_user_s"] + j["loadgen_window_sys_s"]
    j["server_cpu_pct"] = 100 * srv / w
    j["loadgen_cpu_pct"] = 100 * lg / w
    j["other_cpu_pct"] = 100 * (j["machine_busy_s"] - srv - lg) / w
    msgs = j.get("msgs", 0)
    j["server_user_us_per_msg"] = 1e6 * j["server_user_s"] / msgs if msgs else None
    j["server_sys_us_per_msg"] = 1e6 * j["server_sys_s"] / msgs if msgs else None
    # How often each side slept per message: the slow mode at depth 1 shows as many more sleeps.
    if msgs and "server_vcsw" in j:
        j["server_sleeps_per_kmsg"] = 1000 * j["server_vcsw"] / msgs
    if msgs and "loadgen_vcsw" in j:
        j["loadgen_sleeps_per_kmsg"] = 1000 * j["loadgen_vcsw"] / msgs
if j.get("idle", 0) > 0 and "rss_idle_kb" in j:
    j["rss_per_idle_conn_bytes"] = 1024 * (j["rss_idle_kb"] - j["rss_before_kb"]) / j["idle"]
j["ok"] = lrc == 0 and src == 0 and w > 0
j["disturbed"] = j.get("other_cpu_pct", 0) > max_other
print(json.dumps(j))
EOF
    local last; last=$(tail -1 "$raw")
    python3 - "$last" <<'EOF'
import json, sys
j = json.loads(sys.argv[1])
f = lambda k, fmt: (fmt % j[k]) if j.get(k) is not None else "-"
print("  r%d %-13s %-15s %10s msg/s  p99 %7s us  srv %4s%% (u %s + s %s us/msg)%s  lg %4s%%  other %4s%%  sleeps/kmsg srv %s lg %s%s%s%s" % (
    j["round"], j["case"], j["server"], f("msgs_per_sec", "%.0f"), f("p99_us", "%.0f"), f("server_cpu_pct", "%.0f"),
    f("server_user_us_per_msg", "%.2f"), f("server_sys_us_per_msg", "%.2f"),
    ("  perf u %s us/msg" % f("server_user_perf_us_per_msg", "%.4f")) if "server_user_perf_us_per_msg" in j else "",
    f("loadgen_cpu_pct", "%.0f"),
    f("other_cpu_pct", "%.0f"), f("server_sleeps_per_kmsg", "%.1f"), f("loadgen_sleeps_per_kmsg", "%.1f"),
    ("  rss/idle %s B" % f("rss_per_idle_conn_bytes", "%.0f")) if j.get("idle") else "",
    "" if j["ok"] else "  FAILED rc=%d/%d" % (j["loadgen_rc"], j["server_rc"]),
    "  DISTURBED" if j["disturbed"] else ""))
sys.exit(0 if j["ok"] and not j["disturbed"] else 1)
EOF
}

{
    echo "compare.sh $mode: servers [$SERVERS] cases [$CASES] rounds $ROUNDS, ${WARMUP}s warmup + ${SECONDS_RUN}s,"
    echo "  quota ${QUOTA}% (0 = none), JVM $JAVA $JVM_OPTS, server CPU $SERVER_CPU, loadgen CPU $LOADGEN_CPU$( [ "$LOADGEN_BUSY" = 1 ] && echo " (busy-polling)" || true)"
    echo "  raw $raw"
} | tee -a "$log"
read -r -a others <<< "$(for s in $SERVERS; do [ "$s" = "$REF" ] || printf '%s ' "$s"; done)"
n=${#others[@]}
started=$(date +%s)
for round in $(seq 1 "$ROUNDS"); do
    for case in $CASES; do
        seq=0
        order=("$REF")
        for k in $(seq 0 $((n - 1))); do order+=("${others[$(( (k + round - 1) % n ))]}" "$REF"); done
        [ "$n" -gt 0 ] || order=("$REF")
        for name in "${order[@]}"; do
            for attempt in $(seq 0 "$RETRIES"); do
                run_one "$name" "$case" "$round" "$seq" "$attempt" && break
            done
            seq=$((seq + 1))
        done
    done
done
echo "compare.sh: done in $(( $(date +%s) - started )) s" | tee -a "$log"

python3 "$here/summarize.py" --raw "$raw" --ref "$REF" --servers "$SERVERS" --cases "$CASES" --json "$summary" --java "$JAVA" \
    --jvm-opts "$JVM_OPTS" --quota "$QUOTA" \
    --command "bench/compare.sh $mode --rounds $ROUNDS --seconds $SECONDS_RUN --warmup $WARMUP --servers \"$SERVERS\" --cases \"$CASES\" --quota $QUOTA${LABEL:+ --label $LABEL}$( [ "$PERF_USER_US" -gt 0 ] && echo " --perf-user $PERF_USER_US" || true)$( [ "$LOADGEN_BUSY" = 1 ] && echo " --loadgen-busy" || true)" \
    > "$table"
echo
cat "$table"
echo
echo "table: $table"
echo "summary: $summary (plots: /usr/bin/python3 bench/plot.py $summary docs/bench)"
