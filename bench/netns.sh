#!/usr/bin/env bash
# bench/netns.sh up|down [LOAD_CPU_MASK] [PROXY_CPU_MASK]
#
# The fairer topology of bench/proxy-bench.sh --netns: the client and the sink (bench/build/bulk)
# live in their own network namespace, pb-peer, and reach the proxy, which stays in the root
# namespace, through two veth pairs:
#
#   pb-peer: pbc1 10.201.1.2/24  <-veth->  pbc0 10.201.1.1/24 (root; the proxy listens here)
#   pb-peer: pbs1 10.201.2.2/24  <-veth->  pbs0 10.201.2.1/24 (root; the proxy connects to the sink here)
#
# On loopback, a send runs the receiver's TCP processing inside the sender's system call, so the
# proxy is charged for the sink's receive work. A veth transmit instead queues the packet to a
# receive backlog (netif_rx), and RPS (/sys/class/net/DEV/queues/rx-0/rps_cpus) decides which CPU
# processes it: receive processing for the peer's interfaces (pbc1, pbs1) is steered to the load
# CPU (mask LOAD_CPU_MASK, default 2 = CPU 1), and for the proxy's interfaces (pbc0, pbs0) to the
# proxy's CPU (mask PROXY_CPU_MASK, default 1 = CPU 0): the proxy pays for its own receives, the
# peer for its own. Needs root. Offloads (TSO/GSO/GRO) are left at the veth defaults.
set -euo pipefail
load=${2:-2}
proxy=${3:-1}
case "${1:-}" in
    up)
        ip netns add pb-peer
        ip link add pbc0 type veth peer name pbc1 netns pb-peer
        ip link add pbs0 type veth peer name pbs1 netns pb-peer
        ip addr add 10.201.1.1/24 dev pbc0
        ip addr add 10.201.2.1/24 dev pbs0
        ip link set pbc0 up
        ip link set pbs0 up
        ip -n pb-peer addr add 10.201.1.2/24 dev pbc1
        ip -n pb-peer addr add 10.201.2.2/24 dev pbs1
        ip -n pb-peer link set lo up
        ip -n pb-peer link set pbc1 up
        ip -n pb-peer link set pbs1 up
        echo "$proxy" > /sys/class/net/pbc0/queues/rx-0/rps_cpus
        echo "$proxy" > /sys/class/net/pbs0/queues/rx-0/rps_cpus
        ip netns exec pb-peer sh -c "echo $load > /sys/class/net/pbc1/queues/rx-0/rps_cpus; echo $load > /sys/class/net/pbs1/queues/rx-0/rps_cpus"
        ;;
    down)
        ip link del pbc0 2>/dev/null || true
        ip link del pbs0 2>/dev/null || true
        ip netns del pb-peer 2>/dev/null || true
        ;;
    *) echo "usage: bench/netns.sh up|down [LOAD_CPU_MASK] [PROXY_CPU_MASK]" >&2; exit 2 ;;
esac
