#!/usr/bin/env bash
# bench/proxy-bench.sh [--bytes 4g] [--warmup 512m] [--rounds 3] [--proxies "LIST"] [--out FILE]
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
# included, and socat's forked child once reaped) per GiB moved.
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
while [ $# -gt 0 ]; do
    case "$1" in
        --bytes) bytes=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --proxies) proxies=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        *) echo "usage: bench/proxy-bench.sh [--bytes 4g] [--warmup 512m] [--rounds 3] [--proxies LIST] [--out FILE]" >&2; exit 2 ;;
    esac
done

bulk="$here/build/bulk"
cli_jar="$root/cli/target/sluice-cli.jar"
bench_jar="$here/target/sluice-bench.jar"
[ -x "$bulk" ] || { echo "proxy-bench: $bulk is missing; run bench/build-c.sh" >&2; exit 1; }
for p in $proxies; do
    case "$p" in
        sluice-*) [ -f "$cli_jar" ] || { echo "proxy-bench: $cli_jar is missing; run mvn -B -q package -DskipTests" >&2; exit 1; } ;;
        nio) [ -f "$bench_jar" ] || { echo "proxy-bench: $bench_jar is missing; run mvn -B -q package -DskipTests" >&2; exit 1; } ;;
        haproxy|socat) command -v "$p" >/dev/null || { echo "proxy-bench: $p is not installed; apt-get install $p" >&2; exit 1; } ;;
        *) echo "proxy-bench: unknown proxy $p" >&2; exit 2 ;;
    esac
done
[ "$(nproc)" -ge 2 ] || { echo "proxy-bench: needs 2 CPUs (proxy on 0, client and sink on 1)" >&2; exit 1; }
java=$("$root/bin/find-java")
clk=$(getconf CLK_TCK)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$root/bench/results"
[ -n "$out" ] || out="$root/bench/results/proxy-$(date +%Y%m%d-%H%M%S).md"
raw="$work/raw.tsv"
: > "$raw"

# CPU ticks of a process: utime+stime+cutime+cstime (fields 14-17; the command name in field 2
# may hold spaces, so count from the closing parenthesis).
# Prints "user system" ticks.
ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $14, $13 + $15}'; }

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
        sluice-io_uring) taskset -c 0 "$root/bench/proxy" "$port" "127.0.0.1:$sink" io_uring > "$log" 2>&1 & ;;
        sluice-epoll) taskset -c 0 "$root/bench/proxy" "$port" "127.0.0.1:$sink" epoll > "$log" 2>&1 & ;;
        haproxy)
            sed -e "s/@PORT@/$port/" -e "s/@TARGET@/$sink/" "$here/haproxy/proxy.cfg.in" > "$work/haproxy.cfg"
            taskset -c 0 haproxy -db -f "$work/haproxy.cfg" > "$log" 2>&1 & ;;
        socat) taskset -c 0 socat -b 262144 "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" "TCP:127.0.0.1:$sink" > "$log" 2>&1 & ;;
        nio) taskset -c 0 "$java" --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xms256m -cp "$bench_jar" \
                 dev.sluice.bench.peers.NioProxy "$port" "127.0.0.1:$sink" 262144 > "$log" 2>&1 & ;;
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
    if ! taskset -c 1 "$bulk" --sink-port "$sink" --connect "127.0.0.1:$port" --bytes "$warmup" --check > "$work/check.out" 2>&1; then
        echo "proxy-bench: $name failed the checked transfer:" >&2
        cat "$work/check.out" >&2
        kill "$pid" 2>/dev/null || true
        return 1
    fi
    wait_children "$pid"
    local before after line
    before=$(ticks "$pid")
    line=$(taskset -c 1 "$bulk" --sink-port "$sink" --connect "127.0.0.1:$port" --bytes "$bytes")
    wait_children "$pid"
    after=$(ticks "$pid")
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
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$gbps" "$secs" "$cpu" "$per_gib" "$user" "$sys" >> "$raw"
    printf 'round %s %-16s %8s Gbit/s %7s s  proxy CPU %6s s (user %s, sys %s) = %s s/GiB\n' "$round" "$name" "$gbps" "$secs" "$cpu" "$user" "$sys" "$per_gib" >&2
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
read -r -a list <<< "$proxies"
n=${#list[@]}
port=21000
for r in $(seq 1 "$rounds"); do
    for i in $(seq 0 $((n - 1))); do
        name=${list[$(((i + r - 1) % n))]}
        port=$((port + 2))
        run_one "$r" "$name" "$port" "$((port + 1))"
    done
done

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
{
    echo "# Proxy bench: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Command: \`bench/proxy-bench.sh --bytes $bytes --warmup $warmup --rounds $rounds --proxies \"$proxies\"\`"
    echo
    echo "Machine: $(nproc) CPUs, $cpu_model, Linux $(uname -r); $("$java" -version 2>&1 | head -n1);"
    echo "$(haproxy -v 2>/dev/null | head -n1 || true); $(socat -V 2>/dev/null | sed -n 's/^socat version \([^ ]*\).*/socat \1/p' || true)."
    echo "Proxy pinned to CPU 0, bulk (source + sink threads) to CPU 1. One connection; $bytes per measured transfer"
    echo "after a $warmup transfer whose every byte was checked. CPU = proxy process utime+stime (+ reaped children), per GiB."
    echo "Load average before the run: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine shows here)."
    echo
    python3 - "$raw" <<'EOF'
import statistics, sys
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.strip()]
order, by = [], {}
for r, name, gbps, secs, cpu, per, user, sys_ in rows:
    if name not in by:
        order.append(name)
        by[name] = []
    by[name].append((float(gbps), float(per)))
print("| proxy | Gbit/s median | min | max | CPU s/GiB median | min | max | rounds |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
med = {}
for name in order:
    g = [x[0] for x in by[name]]
    c = [x[1] for x in by[name]]
    med[name] = (statistics.median(g), statistics.median(c))
    print(f"| {name} | {med[name][0]:.2f} | {min(g):.2f} | {max(g):.2f} | {med[name][1]:.3f} | {min(c):.3f} | {max(c):.3f} | {len(g)} |")
print()
print("Raw rounds (round, proxy, Gbit/s, seconds, proxy CPU s, CPU s/GiB, user s, system s):")
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
        if not name.startswith("sluice"):
            continue
        g, c = med[name]
        parts = [f"throughput {g / best:.2f}x the best of {'/'.join(yard)} (target >= 1.0)"]
        if "haproxy" in med:
            parts.append(f"CPU/GiB {c / med['haproxy'][1]:.2f}x HAProxy splice (target <= 1.0)")
        if "nio" in med:
            parts.append(f"{c / med['nio'][1]:.2f}x the NIO proxy (target <= 0.7)")
        print(f"- {name}: " + "; ".join(parts))
EOF
} > "$out"
cat "$out"
echo "proxy-bench: report written to $out" >&2
