#!/usr/bin/env bash
# bench/proxy-bench.sh [--bytes 4g] [--warmup 512m] [--rounds 3] [--proxies "LIST"] [--out FILE]
#                      [--netns] [--base-jar JAR] [--max-other PCT] [--retries N] [--steady BYTES] [--cc NAME]
#
# Bulk transfer client -> proxy -> sink on loopback, one connection, for each proxy in LIST
# (default: sluice-io_uring sluice-epoll haproxy socat nio), in one run, rounds interleaved
# (round r starts at a different proxy so none always goes first).
#   sluice-io_uring / sluice-epoll  bench/proxy PORT 127.0.0.1:SINK BACKEND  (Join, splice on)
#   haproxy                         bench/haproxy/proxy.cfg.in: mode tcp, nbthread 1, splice both ways
#   socat                           socat -b 262144 TCP-LISTEN:PORT,reuseaddr,fork TCP:127.0.0.1:SINK
#   nio                             dev.sluice.bench.peers.NioProxy (one Selector thread, 256 KiB direct buffers)
# The proxy runs on CPU 0, bench/build/bulk (source and sink threads) on CPU 1.
#
# Per proxy and round: start the proxy, one --check transfer of --warmup bytes (every byte
# verified; also warms up the JVMs), then the measured transfer of --bytes, then stop the proxy.
# Measured: throughput (bulk's clock, connect to the sink's EOF) and the proxy's CPU seconds
# (utime+stime+cutime+cstime of its process from /proc/PID/stat: every thread, io-wq workers
# included, and socat's forked child once reaped) per GiB moved, and CPU 0's busy time per GiB
# (/proc/stat: everything the proxy core did, including receive softirq work that ran while the
# proxy slept, which the kernel charges to no process).
#
# --netns: the fairer topology of bench/netns.sh: bulk runs in network namespace pb-peer and
# reaches the proxy (root namespace) over two veth pairs, with RPS steering receive processing of
# the peer's interfaces to CPU 1 and of the proxy's to CPU 0, so the proxy is no longer charged
# for the sink's TCP receive work, as it is on loopback. Proxies listen on 10.201.1.1, the sink
# on 10.201.2.2. Needs root; the namespace is created for the run and removed after.
# --steady BYTES: after the checked warm-up, one more (unchecked) transfer of BYTES through every
# proxy before the measured one, so JVM proxies are measured with their hot path compiled by C2
# (a long-running proxy's steady state) rather than partly in profiled C1 code with the C2
# compiler thread working beside it. Default 0 (off). Applies to every proxy alike.
# --cc NAME: TCP congestion control for the run (net.ipv4.tcp_congestion_control, e.g. cubic),
# set before the namespace is created (pb-peer inherits it) and restored at exit; default: leave
# the machine's setting. It matters here: with BBR and no fq qdisc (this machine's image) TCP
# paces internally with an hrtimer per burst, and in a VM every timer programming is a trap to the
# hypervisor, which roughly doubles every proxy's CPU per GiB (docs/bench/proxy.md, session 4).
# --base-jar JAR: also offers proxies base-io_uring and base-epoll, run from another build's
# sluice-cli.jar (before/after comparisons in one run).
# Also offered: sluice-io_uring-park and sluice-epoll-park, this build with the splice pump's
# parking on (-Dsluice.splice.pumpReportBytes=1048576; off by default, see docs/bench/proxy.md),
# and sluice-io_uring-coop, the io_uring proxy on a ring without DEFER_TASKRUN (COOP_TASKRUN).
# Disturbance: across each measured transfer the script sums the CPU time of every other
# user-space process (all of /proc except the proxy and this script with its children, i.e.
# bulk). A transfer during which that exceeds --max-other % of one core (default 25) is marked
# disturbed, kept in the raw rows, left out of the medians, and retried up to --retries times
# (default 2).
#
# Needs: bench/build-c.sh (bulk), mvn -B -q package -DskipTests (cli and bench jars),
# apt-get install haproxy socat. Writes a markdown report to --out (default bench/results/).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bytes=4g
warmup=512m
rounds=3
proxies="sluice-io_uring sluice-epoll haproxy socat nio"
out=""
netns=0
base_jar=""
max_other=25
retries=2
steady=0
cc=""
while [ $# -gt 0 ]; do
    case "$1" in
        --bytes) bytes=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --proxies) proxies=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --netns) netns=1; shift ;;
        --base-jar) base_jar=$2; shift 2 ;;
        --max-other) max_other=$2; shift 2 ;;
        --retries) retries=$2; shift 2 ;;
        --steady) steady=$2; shift 2 ;;
        --cc) cc=$2; shift 2 ;;
        *) echo "usage: bench/proxy-bench.sh [--bytes 4g] [--warmup 512m] [--rounds 3] [--proxies LIST] [--out FILE]" >&2; exit 2 ;;
    esac
done

bulk="$here/build/bulk"
cli_jar="$root/cli/target/sluice-cli.jar"
bench_jar="$here/target/sluice-bench.jar"
[ -x "$bulk" ] || { echo "proxy-bench: $bulk is missing; run bench/build-c.sh" >&2; exit 1; }
# A bulk built from an older bulk.c lacks options this script passes (--sink-bind): every transfer would fail.
[ "$bulk" -nt "$here/c/bulk.c" ] || { echo "proxy-bench: $bulk is older than bench/c/bulk.c; run bench/build-c.sh" >&2; exit 1; }
for p in $proxies; do
    case "$p" in
        base-*) [ -f "$base_jar" ] || { echo "proxy-bench: $p needs --base-jar JAR" >&2; exit 1; } ;;
        sluice-io_uring|sluice-epoll|sluice-io_uring-park|sluice-epoll-park|sluice-io_uring-coop) [ -f "$cli_jar" ] || { echo "proxy-bench: $cli_jar is missing; run mvn -B -q package -DskipTests" >&2; exit 1; } ;;
        nio) [ -f "$bench_jar" ] || { echo "proxy-bench: $bench_jar is missing; run mvn -B -q package -DskipTests" >&2; exit 1; } ;;
        haproxy|socat) command -v "$p" >/dev/null || { echo "proxy-bench: $p is not installed; apt-get install $p" >&2; exit 1; } ;;
        *) echo "proxy-bench: unknown proxy $p" >&2; exit 2 ;;
    esac
done
[ "$(nproc)" -ge 2 ] || { echo "proxy-bench: needs 2 CPUs (proxy on 0, client and sink on 1)" >&2; exit 1; }
java=$("$root/bin/find-java")
clk=$(getconf CLK_TCK)
work=$(mktemp -d)
cc_before=$(sysctl -n net.ipv4.tcp_congestion_control)
restore_cc() { [ -z "$cc" ] || sysctl -qw net.ipv4.tcp_congestion_control="$cc_before"; }
if [ -n "$cc" ]; then
    grep -qw "$cc" /proc/sys/net/ipv4/tcp_available_congestion_control || modprobe "tcp_$cc" 2>/dev/null || true
    sysctl -qw net.ipv4.tcp_congestion_control="$cc"
fi
if [ "$netns" = 1 ]; then
    "$here/netns.sh" down
    "$here/netns.sh" up
    trap 'rm -rf "$work"; "$here/netns.sh" down; restore_cc' EXIT
    listen_host=10.201.1.1
    sink_host=10.201.2.2
    peer=(ip netns exec pb-peer)
    topology="network namespaces: bulk in pb-peer, over veth pairs with RPS (peer's receive work on CPU 1, proxy's on CPU 0), see bench/netns.sh"
else
    trap 'rm -rf "$work"; restore_cc' EXIT
    listen_host=127.0.0.1
    sink_host=127.0.0.1
    peer=()
    topology="loopback"
fi
mkdir -p "$root/bench/results"
[ -n "$out" ] || out="$root/bench/results/proxy-$(date +%Y%m%d-%H%M%S).md"
raw="$work/raw.tsv"
: > "$raw"

# CPU ticks of a process: utime+stime+cutime+cstime (fields 14-17; the command name in field 2
# may hold spaces, so count from the closing parenthesis).
# Prints "user system" ticks.
ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $14, $13 + $15}'; }

# CPU 0's busy ticks from /proc/stat (user+nice+system+irq+softirq+steal) and its softirq ticks:
# the proxy core's whole time, including receive softirq work that ran while the proxy slept
# (charged to the idle task, so missing from the proxy's own figure). Prints "busy softirq".
core_ticks() { awk '$1 == "cpu0" {print $2 + $3 + $4 + $7 + $8 + $9, $8}' /proc/stat; }

# Packets CPU 0's receive softirq processed, data and ACKs alike (first line of
# /proc/net/softnet_stat, first column: 32-bit hex, so differences are taken modulo 2^32).
# Per-packet work (softirq, and under BBR without fq a pacing timer per packet sent) is most of a
# splicing proxy's cost, and how a proxy reads and writes changes how its peers packetize, so the
# count per GiB tells a cheaper loop from fewer packets.
core_packets() { printf '%d\n' "0x$(awk 'NR == 1 {print $1}' /proc/net/softnet_stat)"; }

# CPU ticks (utime+stime+cutime+cstime) of every user-space process except the pids given.
# Kernel threads (PF_KTHREAD, 0x00200000 in the flags field) are left out: softirq work they do
# for this benchmark's own packets is not a disturbance.
others() {
    cat /proc/[0-9]*/stat 2>/dev/null | awk -v skip=" $* " '{
        pid = $1; sub(/^.*\) /, "");
        if (index(skip, " " pid " ") || int($7 / 2097152) % 2 == 1) next;
        t += $12 + $13 + $14 + $15 } END { print t + 0 }'
}
wait_listening() {
    local port=$1 pid=$2
    for _ in $(seq 1 200); do
        if ss -Hltn "sport = :$port" | grep -q .; then return 0; fi
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# socat forks a child per connection; its CPU reaches the parent's cutime/cstime once reaped.
wait_children() {
    local pid=$1
    for _ in $(seq 1 100); do
        pgrep -P "$pid" >/dev/null || return 0
        sleep 0.05
    done
}

start_proxy() {
    local name=$1 port=$2 sink=$3 log=$4
    case "$name" in
        sluice-io_uring) taskset -c 0 "$root/bench/proxy" "$listen_host:$port" "$sink_host:$sink" io_uring > "$log" 2>&1 & ;;
        sluice-epoll) taskset -c 0 "$root/bench/proxy" "$listen_host:$port" "$sink_host:$sink" epoll > "$log" 2>&1 & ;;
        sluice-io_uring-park|sluice-epoll-park)
            b=${name#sluice-}
            SLUICE_JAVA_OPTS=-Dsluice.splice.pumpReportBytes=1048576 taskset -c 0 "$root/bench/proxy" "$listen_host:$port" "$sink_host:$sink" "${b%-park}" \
                > "$log" 2>&1 & ;;
        sluice-io_uring-coop)
            SLUICE_JAVA_OPTS=-Dsluice.iouring.deferTaskrun=false taskset -c 0 "$root/bench/proxy" "$listen_host:$port" "$sink_host:$sink" io_uring \
                > "$log" 2>&1 & ;;
        base-io_uring|base-epoll)
            taskset -c 0 "$java" --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xms256m -jar "$base_jar" proxy "$listen_host:$port" \
                "$sink_host:$sink" "${name#base-}" > "$log" 2>&1 & ;;
        haproxy)
            sed -e "s/@PORT@/$port/" -e "s/@TARGET@/$sink/" -e "s/@BIND@/$listen_host/" -e "s/@SINK@/$sink_host/" \
                "$here/haproxy/proxy.cfg.in" > "$work/haproxy.cfg"
            taskset -c 0 haproxy -db -f "$work/haproxy.cfg" > "$log" 2>&1 & ;;
        socat) taskset -c 0 socat -b 262144 "TCP-LISTEN:$port,bind=$listen_host,reuseaddr,fork" "TCP:$sink_host:$sink" > "$log" 2>&1 & ;;
        nio) taskset -c 0 "$java" --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xms256m -cp "$bench_jar" \
                 dev.sluice.bench.peers.NioProxy "$listen_host:$port" "$sink_host:$sink" 262144 > "$log" 2>&1 & ;;
    esac
    echo $!
}

run_one() {
    local round=$1 name=$2 port=$3 sink=$4
    local log="$work/$name-$round.log"
    local pid
    pid=$(start_proxy "$name" "$port" "$sink" "$log")
    if ! wait_listening "$port" "$pid"; then
        echo "proxy-bench: $name did not listen on $port:" >&2
        cat "$log" >&2
        kill "$pid" 2>/dev/null || true
        return 1
    fi
    # Verified warm-up.
    if ! "${peer[@]}" taskset -c 1 "$bulk" --sink-port "$sink" --sink-bind "$sink_host" --connect "$listen_host:$port" \
            --bytes "$warmup" --check > "$work/check.out" 2>&1; then
        echo "proxy-bench: $name failed the checked transfer:" >&2
        cat "$work/check.out" >&2
        kill "$pid" 2>/dev/null || true
        return 1
    fi
    if [ "$steady" != 0 ]; then
        if ! "${peer[@]}" taskset -c 1 "$bulk" --sink-port "$sink" --sink-bind "$sink_host" --connect "$listen_host:$port" \
                --bytes "$steady" > "$work/steady.out" 2>&1; then
            echo "proxy-bench: $name failed the steady-state warm-up:" >&2
            cat "$work/steady.out" >&2
            kill "$pid" 2>/dev/null || true
            return 1
        fi
    fi
    wait_children "$pid"
    local before after line o0 o1 c0 c1 p0 p1
    o0=$(others "$pid" $$)
    c0=$(core_ticks)
    p0=$(core_packets)
    before=$(ticks "$pid")
    line=$("${peer[@]}" taskset -c 1 "$bulk" --sink-port "$sink" --sink-bind "$sink_host" --connect "$listen_host:$port" --bytes "$bytes")
    wait_children "$pid"
    after=$(ticks "$pid")
    c1=$(core_ticks)
    p1=$(core_packets)
    o1=$(others "$pid" $$)
    local user sys
    user=$(awk -v a="${after% *}" -v b="${before% *}" -v c="$clk" 'BEGIN {printf "%.2f", (a - b) / c}')
    sys=$(awk -v a="${after#* }" -v b="${before#* }" -v c="$clk" 'BEGIN {printf "%.2f", (a - b) / c}')
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    local gbps secs moved
    gbps=$(sed -n 's/.*gbit_per_s=\([0-9.]*\).*/\1/p' <<< "$line")
    secs=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<< "$line")
    moved=$(sed -n 's/.*received=\([0-9]*\).*/\1/p' <<< "$line")
    local cpu per_gib
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
    per_gib=$(awk -v cpu="$cpu" -v m="$moved" 'BEGIN {printf "%.4f", cpu / (m / 1073741824)}')
    local core core_gib core_soft
    core=$(awk -v a="${c1% *}" -v b="${c0% *}" -v c="$clk" 'BEGIN {printf "%.2f", (a - b) / c}')
    core_soft=$(awk -v a="${c1#* }" -v b="${c0#* }" -v c="$clk" 'BEGIN {printf "%.2f", (a - b) / c}')
    core_gib=$(awk -v cpu="$core" -v m="$moved" 'BEGIN {printf "%.4f", cpu / (m / 1073741824)}')
    local kpkt_gib
    kpkt_gib=$(awk -v a="$p1" -v b="$p0" -v m="$moved" 'BEGIN {printf "%.1f", ((a - b + 4294967296) % 4294967296) / 1000 / (m / 1073741824)}')
    local other disturbed
    other=$(awk -v a="$o1" -v b="$o0" -v c="$clk" -v s="$secs" 'BEGIN {printf "%.0f", 100 * (a - b) / c / s}')
    disturbed=$(awk -v o="$other" -v m="$max_other" 'BEGIN {print (o > m) ? "disturbed" : "ok"}')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$gbps" "$secs" "$cpu" "$per_gib" "$user" "$sys" "$other" "$disturbed" \
        "$core" "$core_gib" "$core_soft" "$kpkt_gib" >> "$raw"
    printf 'round %s %-16s %8s Gbit/s %7s s  proxy CPU %6s s (user %s, sys %s) = %s s/GiB  core 0 %s s (softirq %s) = %s s/GiB, %s k packets/GiB  other %s%%%s\n' "$round" "$name" "$gbps" "$secs" \
        "$cpu" "$user" "$sys" "$per_gib" "$core" "$core_soft" "$core_gib" "$kpkt_gib" "$other" "$([ "$disturbed" = ok ] || echo '  DISTURBED')" >&2
    [ "$disturbed" = ok ]
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
read -r -a list <<< "$proxies"
n=${#list[@]}
port=21000
for r in $(seq 1 "$rounds"); do
    for i in $(seq 0 $((n - 1))); do
        name=${list[$(((i + r - 1) % n))]}
        for attempt in $(seq 0 "$retries"); do
            port=$((port + 2))
            if run_one "$r" "$name" "$port" "$((port + 1))"; then break; fi
        done
    done
done

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
{
    echo "# Proxy bench: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Command: \`bench/proxy-bench.sh --bytes $bytes --warmup $warmup --rounds $rounds --proxies \"$proxies\"$([ "$netns" = 1 ] && echo ' --netns')$([ -n "$base_jar" ] && echo " --base-jar $base_jar")$([ "$steady" != 0 ] && echo " --steady $steady")$([ -n "$cc" ] && echo " --cc $cc")\`"
    echo
    echo "Machine: $(nproc) CPUs, $cpu_model, Linux $(uname -r); $("$java" -version 2>&1 | head -n1);"
    echo "$(haproxy -v 2>/dev/null | head -n1 || true); $(socat -V 2>/dev/null | sed -n 's/^socat version \([^ ]*\).*/socat \1/p' || true)."
    echo "Topology: $topology. TCP congestion control: $(sysctl -n net.ipv4.tcp_congestion_control)$([ -n "$cc" ] && echo " (set by --cc for this run; the machine's is $cc_before)"), qdisc $(sysctl -n net.core.default_qdisc)."
    echo "Proxy pinned to CPU 0, bulk (source + sink threads) to CPU 1. One connection; $bytes per measured transfer"
    echo "after a $warmup transfer whose every byte was checked$([ "$steady" != 0 ] && echo " and a $steady transfer to reach steady state (JIT)"). CPU = proxy process utime+stime (+ reaped children), per GiB;"
    echo "core 0 = CPU 0's busy time from /proc/stat (user+nice+system+irq+softirq+steal), per GiB: the proxy core's whole time, receive softirq that ran while the proxy slept included."
    echo "k packets/GiB = packets CPU 0's receive softirq processed (/proc/net/softnet_stat; data and ACKs), in thousands per GiB moved."
    echo "Load average before the run: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine shows here)."
    echo "Transfers during which other processes used more than $max_other% of a core are marked disturbed, left out of the table, and retried (up to $retries times)."
    echo
    python3 - "$raw" <<'EOF'
import statistics, sys
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.strip()]
order, by = [], {}
disturbed = 0
for row in rows:
    r, name, gbps, secs, cpu, per, user, sys_, other, state, core, core_per, core_soft = row[:13]
    kpkt = float(row[13]) if len(row) > 13 else float("nan")
    if name not in by:
        order.append(name)
        by[name] = []
    if state != "ok":
        disturbed += 1
        continue
    by[name].append((float(gbps), float(per), float(core_per), kpkt))
print("| proxy | Gbit/s median | min | max | proxy CPU s/GiB median | min | max | core 0 CPU s/GiB median | min | max | core 0 k packets/GiB median | rounds |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
med = {}
for name in order:
    if not by[name]:
        print(f"| {name} | - | - | - | - | - | - | - | - | - | - | 0 (all disturbed) |")
        continue
    g = [x[0] for x in by[name]]
    c = [x[1] for x in by[name]]
    k = [x[2] for x in by[name]]
    med[name] = (statistics.median(g), statistics.median(c), statistics.median(k))
    print(f"| {name} | {med[name][0]:.2f} | {min(g):.2f} | {max(g):.2f} | {med[name][1]:.3f} | {min(c):.3f} | {max(c):.3f} "
          f"| {med[name][2]:.3f} | {min(k):.3f} | {max(k):.3f} | {statistics.median(x[3] for x in by[name]):.1f} | {len(g)} |")
print()
print(f"{disturbed} of {len(rows)} transfers were disturbed and left out.")
print()
print("Raw rounds (round, proxy, Gbit/s, seconds, proxy CPU s, proxy CPU s/GiB, user s, system s, other processes % of a core, state,")
print("core 0 busy s, core 0 s/GiB, core 0 softirq s, core 0 k packets/GiB):")
print()
print("```")
for row in rows:
    print("\t".join(row))
print("```")
yard = [n for n in ("haproxy", "socat") if n in med]
if yard:
    print()
    best = max(med[n][0] for n in yard)
    for name in order:
        if not (name.startswith("sluice") or name.startswith("base")):
            continue
        if name not in med:
            continue
        g, c, k = med[name]
        parts = [f"throughput {g / best:.2f}x the best of {'/'.join(yard)} (target >= 1.0)"]
        if "haproxy" in med:
            parts.append(f"CPU/GiB {c / med['haproxy'][1]:.2f}x (core 0: {k / med['haproxy'][2]:.2f}x) HAProxy splice (target <= 1.0)")
        if "nio" in med:
            parts.append(f"{c / med['nio'][1]:.2f}x (core 0: {k / med['nio'][2]:.2f}x) the NIO proxy (target <= 0.7)")
        print(f"- {name}: " + "; ".join(parts))
EOF
} > "$out"
cat "$out"
echo "proxy-bench: report written to $out" >&2
