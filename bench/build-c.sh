#!/usr/bin/env bash
# Builds the C yardsticks (echo_uring, echo_epoll), the load generator and the proxy bench's
# source/sink (bulk) into bench/build/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/build"
fix="apt-get install -y gcc liburing-dev"

if ! command -v gcc >/dev/null 2>&1; then
    echo "build-c.sh: gcc not found; install it with: $fix" >&2
    exit 1
fi
if ! printf '#include <liburing.h>\nint main(void){return 0;}\n' | gcc -x c - -o /dev/null -luring 2>/dev/null; then
    echo "build-c.sh: liburing headers or library not found; install them with: $fix" >&2
    exit 1
fi

mkdir -p "$out"
CFLAGS=(-O2 -g -Wall -Wextra -std=gnu11)
gcc "${CFLAGS[@]}" -o "$out/echo_uring" "$here/c/echo_uring.c" -luring
gcc "${CFLAGS[@]}" -o "$out/echo_epoll" "$here/c/echo_epoll.c"
gcc "${CFLAGS[@]}" -o "$out/loadgen" "$here/c/loadgen.c"
gcc "${CFLAGS[@]}" -o "$out/bulk" "$here/c/bulk.c" -lpthread
echo "built: $out/echo_uring $out/echo_epoll $out/loadgen $out/bulk"
