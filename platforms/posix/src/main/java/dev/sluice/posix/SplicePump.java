package dev.sluice.posix;

import dev.sluice.Errno;
import dev.sluice.spi.Operation;
import java.util.function.IntFunction;

/**
 * {@link Operation#SPLICE_PUMP} on the loop thread, shared by the io_uring and readiness backends:
 * splice socket → pipe, then pipe → other socket, repeated while both sides move, so that one
 * completion (one loop turn of the caller) covers many chunks instead of two per chunk.
 *
 * <p>Both sockets must be O_NONBLOCK and every splice uses SPLICE_F_NONBLOCK, so nothing here
 * sleeps. An error from either socket after bytes were already delivered in the same pump is
 * not lost: the operation succeeds with the bytes and carries the error in
 * {@link Operation#spliceSourceError()} or {@link Operation#spliceDestinationError()} (a socket
 * error is reported once by the kernel: read again, a reset socket looks like end of stream, and
 * written to again, it says EPIPE). Keeps no state between operations, so nothing is lost when
 * the caller stops pumping.
 *
 * <p>Parking (opt-in, see {@link #REPORT_BYTES_PROPERTY}): a burst that delivered everything and found the source dry does not complete the
 * operation; the backend waits for the source as after EAGAIN and runs the pump again, the
 * operation counting what it moved ({@link Operation#spliceMoved()}), until something needs the
 * caller: bytes held (the destination is full), end of stream, an error, {@link #reportBytes()}
 * bytes moved, or the backend stopping it ({@link #stopped}). Not thread-safe: the loop thread only.
 */
public final class SplicePump {
    /** splice(2) with SPLICE_F_NONBLOCK: bytes moved, or -errno (EINTR already retried). */
    @FunctionalInterface
    public interface Splicer {
        long splice(int fdIn, int fdOut, long length);
    }

    /**
     * At most this many socket → pipe rounds per operation, so one busy join cannot hold the loop
     * for long (with 256 KiB pipes: up to 4 MiB per turn).
     */
    public static final int ROUNDS_MAX = 16;

    /**
     * System property: bytes a pump delivers while parked between bursts before it completes
     * anyway; 0 (the default) turns parking off: every burst completes. 1048576 (1 MiB) is the
     * value measured. Off by default because it did not pay measurably: it made 40% fewer splice
     * and 57% fewer io_uring_enter calls, but over two quiet netns runs the parked io_uring proxy
     * cost 0.593 CPU s/GiB (median of 7 rounds) against 0.560 without parking, the two runs
     * disagreeing on which is cheaper (docs/bench/proxy.md, session 3).
     */
    public static final String REPORT_BYTES_PROPERTY = "sluice.splice.pumpReportBytes";
    /** Parking off. */
    public static final int REPORT_BYTES_DEFAULT = 0;

    private final Splicer io;
    private final int eagain;
    private final IntFunction<Errno> portable;
    private final int reportBytes;
    /** The last burst stopped because the source said EAGAIN (it has nothing more now). */
    private boolean drained;

    /**
     * @param io       splice(2), non-blocking
     * @param eagain   the platform's EAGAIN
     * @param portable the platform's errno numbers to {@link Errno}
     */
    public SplicePump(Splicer io, int eagain, IntFunction<Errno> portable) {
        this(io, eagain, portable, Integer.getInteger(REPORT_BYTES_PROPERTY, REPORT_BYTES_DEFAULT));
    }

    /** @param reportBytes see {@link #REPORT_BYTES_PROPERTY} */
    public SplicePump(Splicer io, int eagain, IntFunction<Errno> portable, int reportBytes) {
        if (reportBytes < 0) throw new IllegalArgumentException("-D" + REPORT_BYTES_PROPERTY + " must be >= 0, got " + reportBytes);
        this.io = io;
        this.eagain = eagain;
        this.portable = portable;
        this.reportBytes = reportBytes;
    }

    /**
     * Runs one burst of a pump. Returns -EAGAIN when the operation should wait until the source
     * socket is readable and then run again: nothing moved because the source had nothing, or a
     * burst delivered everything, drained the source and the pump keeps going (parked, counting
     * in {@link Operation#spliceMoved()}) because fewer than {@link #reportBytes()} bytes moved
     * since it started. Otherwise the operation's result: all bytes delivered since it started (0
     * with nothing held: the source gave 0) or -errno, with {@link Operation#spliceHeld(int)} set
     * either way.
     */
    public int run(Operation op) {
        int before = op.spliceMoved();
        int r = burst(op);
        if (r == -eagain) return r;
        if (r > 0 && drained && op.spliceHeld() == 0 && op.spliceSourceError() == null && (long) before + r < reportBytes) {
            // Nothing for the caller to act on: wait for the next burst here instead of a completion,
            // a loop turn, a handler and a resubmission (small bursts, as veth delivers, made those
            // most of the proxy's user time).
            op.spliceMoved(before + r);
            return -eagain;
        }
        if (before == 0) return r;
        if (r >= 0) {
            op.spliceMoved(before + r);
            return before + r;
        }
        // An error after earlier bursts delivered bytes: the bytes are the result and the error
        // travels with them; it is the destination's when bytes are held (the write failed).
        if (op.spliceHeld() == 0) op.spliceSourceError(portable.apply(-r), -r);
        else op.spliceDestinationError(portable.apply(-r), -r);
        return before;
    }

    /**
     * The result of a pump the backend ends without running it (cancelled, its socket closed, the
     * backend closing, a deadline): the bytes it delivered in earlier bursts, with nothing held,
     * if any; else {@code res} (-errno).
     */
    public static int stopped(Operation op, int res) {
        int moved = op.spliceMoved();
        if (moved == 0) return res;
        op.spliceHeld(0);
        return moved;
    }

    /** Bytes a parked pump delivers before it completes anyway, to report progress; 0: never parks. */
    public int reportBytes() {
        return reportBytes;
    }

    /**
     * One burst: socket → pipe → socket rounds while both move. Sets {@link #drained} when it
     * stopped because the source said EAGAIN.
     */
    private int burst(Operation op) {
        int from = (int) op.handle();
        int pipeWrite = (int) op.spliceHandle();
        int pipeRead = (int) op.spliceReadHandle();
        int to = (int) op.spliceTo().handle();
        long length = op.spliceLength();
        long delivered = 0;
        long held = 0;
        drained = false;
        for (int round = 0; round < ROUNDS_MAX && held == 0; round++) {
            long n = io.splice(from, pipeWrite, length);
            if (n <= 0) {
                drained = n == -eagain;
                if (delivered > 0) {
                    // 0 (end of stream, urgent mark) and EAGAIN come back on the next try; an error does not.
                    if (n < 0 && n != -eagain) op.spliceSourceError(portable.apply((int) -n), (int) -n);
                    break;
                }
                op.spliceHeld(0);
                return (int) n;
            }
            held = n;
            while (held > 0) {
                long m = io.splice(pipeRead, to, held);
                if (m > 0) {
                    held -= m;
                    delivered += m;
                    continue;
                }
                if (m < 0 && m != -eagain && delivered == 0) {
                    // Nothing delivered: report the error now; the pipe still holds what came in.
                    op.spliceHeld((int) held);
                    return (int) m;
                }
                // EAGAIN: the other side is full. An error after progress was reported by the
                // kernel to this splice only (a reset: the next write says EPIPE): it goes with the bytes.
                if (m < 0 && m != -eagain) op.spliceDestinationError(portable.apply((int) -m), (int) -m);
                break;
            }
        }
        op.spliceHeld((int) held);
        return (int) Math.min(delivered, Integer.MAX_VALUE);
    }
}
