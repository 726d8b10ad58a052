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
 * sleeps. An error from the source socket after bytes were already delivered in the same pump is
 * not lost: the operation succeeds with the bytes and carries the error in
 * {@link Operation#spliceSourceError()} (a socket error is reported once by the kernel; read
 * again, a reset socket looks like end of stream). Keeps no state between operations, so
 * nothing is lost when the caller stops pumping. Not thread-safe: the loop thread only.
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

    private final Splicer io;
    private final int eagain;
    private final IntFunction<Errno> portable;

    /**
     * @param io       splice(2), non-blocking
     * @param eagain   the platform's EAGAIN
     * @param portable the platform's errno numbers to {@link Errno}
     */
    public SplicePump(Splicer io, int eagain, IntFunction<Errno> portable) {
        this.io = io;
        this.eagain = eagain;
        this.portable = portable;
    }

    /**
     * Runs one pump. Returns -EAGAIN when nothing moved because the source socket had nothing
     * (wait for it to be readable, then call again); otherwise the operation's result: bytes
     * delivered (0 with nothing held: the source gave 0) or -errno, with
     * {@link Operation#spliceHeld(int)} set either way.
     */
    public int run(Operation op) {
        int from = (int) op.handle();
        int pipeWrite = (int) op.spliceHandle();
        int pipeRead = (int) op.spliceReadHandle();
        int to = (int) op.spliceTo().handle();
        long length = op.spliceLength();
        long delivered = 0;
        long held = 0;
        for (int round = 0; round < ROUNDS_MAX && held == 0; round++) {
            long n = io.splice(from, pipeWrite, length);
            if (n <= 0) {
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
                // EAGAIN: the other side is full; an error after progress recurs on the next write.
                break;
            }
        }
        op.spliceHeld((int) held);
        return (int) Math.min(delivered, Integer.MAX_VALUE);
    }
}
