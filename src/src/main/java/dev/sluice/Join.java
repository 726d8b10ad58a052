package dev.sluice;

import dev.sluice.spi.Operation;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Two stream sockets joined: bytes from each are moved to the other by the ring, until both
 * directions end, one side resets, or the caller takes the sockets back with {@link #unjoin()}.
 * Set each socket up however you like first (handshakes, authentication, routing), then join.
 *
 * <p>Zero-copy where the backend splices ({@link Capabilities#support(Op)} of {@link Op#SPLICE}):
 * each direction moves bytes socket → pipe → socket with splice(2) and never through user memory.
 * Where the backend can ({@code Backend.splicePump()}), one operation splices in and out again
 * and again on the loop thread while both sockets move, so a direction costs one completion per
 * burst rather than two per chunk.
 * Otherwise each direction copies through one buffer. Either way each direction has at most one
 * read and one write in flight and holds at most one pipe or buffer of bytes, so a slow reader
 * slows the writer and memory stays bounded.
 *
 * <p>A FIN from one side is passed on as shutdown(WRITE) to the other after every byte before it
 * was written. A reset on either side resets the other (SO_LINGER 0, close). When both directions
 * have ended the sockets are closed and {@link #ended()} completes with the reason.
 *
 * <p>TCP urgent ("out-of-band") data is passed on in-band: the join turns SO_OOBINLINE on for
 * both sockets (and {@link #unjoin()} puts it back as it was), so the urgent byte travels as an
 * ordinary byte at its place in the stream. No byte is lost and the stream goes on; the receiver
 * does not see the byte as urgent (no SIGURG, nothing for MSG_OOB). Without this, a copying
 * receive would skip the byte, and splice(2), which stops at the urgent mark and returns 0 there,
 * would look like end of stream. A splice that returns 0 is therefore confirmed with a receive
 * into a small buffer: 0 again is the real end of stream; bytes (the urgent byte and what follows
 * it) are sent on from that buffer, and splicing resumes.
 */
public final class Join {
    /** Why a join ended. */
    public enum Reason {
        /** Both sides sent FIN and every byte was delivered. */
        FINISHED,
        /** A side reset the connection (or vanished while we wrote to it); the other side was reset too. */
        RESET,
        /** {@link #unjoin()} took the sockets back. */
        UNJOINED,
        /** No byte moved for the idle timeout. */
        IDLE_TIMEOUT,
        /** An operation failed otherwise, or was cancelled from outside (the ring closing, a socket closed). */
        FAILED
    }

    /**
     * How a join ended.
     *
     * @param reason    why
     * @param bytesAtoB bytes delivered from a to b
     * @param bytesBtoA bytes delivered from b to a
     * @param cause     the failure, for RESET and FAILED; else null
     */
    public record Ended(Reason reason, long bytesAtoB, long bytesBtoA, SluiceException cause) {
    }

    /**
     * The sockets given back by {@link #unjoin()}, open and usable, with the bytes that had been
     * read from one side but not yet written to the other: deliver them yourself (or not) — none
     * were lost and none will be sent twice.
     *
     * <p>If a socket reported an error to the join while it was stopping (a reset that arrived
     * right behind the last bytes read), that error is not lost either: the kernel reports a
     * socket error only once, so the socket keeps it and its next send or receive on the ring
     * fails with it (for example ECONNRESET), after the bytes in {@code pendingAtoB/BtoA} and any
     * still queued in the socket. Then the socket behaves as the kernel leaves it (a reset
     * socket reads end of stream).
     */
    public record Unjoined(Socket a, Socket b, byte[] pendingAtoB, byte[] pendingBtoA) {
    }

    /**
     * Join settings.
     *
     * @param zeroCopy         splice when the backend can; false forces the copying path
     * @param pipeBytes        pipe size per direction when splicing (F_SETPIPE_SZ; the kernel may round it)
     * @param bufferBytes      buffer per direction when copying
     * @param idleTimeoutNanos end the join after this long without a byte moving; 0 for never
     */
    public record Options(boolean zeroCopy, int pipeBytes, int bufferBytes, long idleTimeoutNanos) {
        /** Splice with 256 KiB pipes, copy with 64 KiB buffers, no idle timeout. */
        public static final Options DEFAULT = new Options(true, 256 * 1024, 64 * 1024, 0);

        public Options {
            if (pipeBytes < 4096 || pipeBytes > 64 * 1024 * 1024) throw new IllegalArgumentException("pipeBytes must be 4 KiB to 64 MiB, got " + pipeBytes);
            if (bufferBytes < 1 || bufferBytes > 64 * 1024 * 1024) throw new IllegalArgumentException("bufferBytes must be 1 to 64 MiB, got " + bufferBytes);
            if (idleTimeoutNanos < 0) throw new IllegalArgumentException("idleTimeoutNanos must be >= 0, got " + idleTimeoutNanos);
        }

        public Options withZeroCopy(boolean value) {
            return new Options(value, pipeBytes, bufferBytes, idleTimeoutNanos);
        }

        public Options withIdleTimeoutNanos(long value) {
            return new Options(zeroCopy, pipeBytes, bufferBytes, value);
        }

        public Options withPipeBytes(int value) {
            return new Options(zeroCopy, value, bufferBytes, idleTimeoutNanos);
        }

        public Options withBufferBytes(int value) {
            return new Options(zeroCopy, pipeBytes, value, idleTimeoutNanos);
        }
    }

    private final Ring ring;
    private final Socket a;
    private final Socket b;
    private final Options options;
    private final Direction aToB;
    private final Direction bToA;
    private final CompletableFuture<Ended> ended = new CompletableFuture<>();
    private final Completion timer = new Completion();
    private boolean timerPending;
    private boolean splicing;
    /** Splicing by SPLICE_PUMP: one operation moves socket → pipe → socket, many chunks per completion. */
    private boolean pumping;
    private Reason ending;
    private SluiceException cause;
    private CompletableFuture<Unjoined> unjoining;
    private long lastActivityNanos;
    /** SO_OOBINLINE of a and b before the join, to restore at unjoin; null where it could not be read or set. */
    private Boolean oobInlineA;
    private Boolean oobInlineB;
    /**
     * Socket errors (a reset) the kernel reported to the join on a or b while it was stopping for
     * {@link #unjoin()}: the kernel reports a socket error once, so the socket must carry it on.
     */
    private Errno takenErrorA;
    private int takenNativeA;
    private Errno takenErrorB;
    private int takenNativeB;
    /** Receive buffer for confirming a splice's 0 (end of stream, or the urgent mark). */
    private static final int PROBE_BYTES = 4096;

    private Join(Socket a, Socket b, Options options) {
        this.ring = a.ring();
        this.a = a;
        this.b = b;
        this.options = options;
        this.aToB = new Direction(a, b);
        this.bToA = new Direction(b, a);
    }

    /** Joins two stream sockets of one ring with {@link Options#DEFAULT}. Any thread. */
    public static Join start(Socket a, Socket b) {
        return start(a, b, Options.DEFAULT);
    }

    /** Joins two stream sockets of one ring. Any thread; the join starts on the ring's thread. */
    public static Join start(Socket a, Socket b, Options options) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(options, "options");
        if (a == b) throw new IllegalArgumentException("cannot join a socket to itself");
        for (Socket s : new Socket[] {a, b}) {
            if (!s.type().isStream()) {
                throw new IllegalArgumentException("join needs stream sockets; " + s + " is " + s.type() + " (datagrams have no byte stream to splice)");
            }
            s.checkOpen();
        }
        if (a.ring() != b.ring()) throw new IllegalArgumentException("joined sockets must belong to one ring");
        Join join = new Join(a, b, options);
        if (a.ring().inRingThread()) join.begin();
        else a.ring().execute(join::begin);
        return join;
    }

    private void begin() {
        lastActivityNanos = System.nanoTime();
        oobInlineA = inlineUrgentData(a);
        oobInlineB = inlineUrgentData(b);
        splicing = options.zeroCopy() && ring.capabilities().support(Op.SPLICE) != Support.UNSUPPORTED;
        pumping = splicing && ring.canPump();
        try {
            aToB.open();
            bToA.open();
        } catch (SluiceException e) {
            // Pipes refused (EMFILE): copy instead, and say nothing is lost by it.
            aToB.release();
            bToA.release();
            splicing = false;
            pumping = false;
            try {
                aToB.open();
                bToA.open();
            } catch (SluiceException impossible) {
                throw new AssertionError("copying needs no pipes", impossible);
            }
        }
        aToB.fill();
        bToA.fill();
        armTimer();
    }

    /** Turns SO_OOBINLINE on; returns the value before, or null if the socket has no such option. */
    private static Boolean inlineUrgentData(Socket s) {
        try {
            Boolean before = s.option(SocketOption.OOB_INLINE);
            if (!before) s.setOption(SocketOption.OOB_INLINE, true);
            return before;
        } catch (SluiceException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Gives back what the join changed on a socket it hands back. */
    private void restore(Socket s, Boolean oobInline) {
        try {
            if (oobInline != null && !oobInline && s.isOpen()) s.setOption(SocketOption.OOB_INLINE, false);
            if (splicing) ring.spliceDone(s);
        } catch (SluiceException ignored) {
            // The socket died meanwhile; the caller will find out on its first operation.
        }
    }

    /** True when bytes move by splice(2), false when copied through a buffer. */
    public boolean zeroCopy() {
        return splicing;
    }

    /**
     * Bytes delivered from a to b so far. Exact on the ring's thread; from other threads it may
     * lag by what a splice pump waiting for its next burst has not reported yet (only where the
     * backend parks pumps: {@code -Dsluice.splice.pumpReportBytes}, off by default).
     */
    public long bytesAtoB() {
        return aToB.deliveredSoFar();
    }

    /** Bytes delivered from b to a so far; see {@link #bytesAtoB()}. */
    public long bytesBtoA() {
        return bToA.deliveredSoFar();
    }

    /** Completes when both directions have ended, with the reason. */
    public CompletableFuture<Ended> ended() {
        return ended;
    }

    /**
     * Stops moving bytes and gives both sockets back, open, with the bytes in transit, and with
     * any socket error taken meanwhile kept for the socket's next send or receive (see
     * {@link Unjoined}). Any thread. If the join has already ended (or is ending for another
     * reason), the future fails with IllegalStateException.
     */
    public CompletableFuture<Unjoined> unjoin() {
        CompletableFuture<Unjoined> f = new CompletableFuture<>();
        Runnable task = () -> {
            if (ending != null) {
                f.completeExceptionally(new IllegalStateException("join already ended: " + ending));
                return;
            }
            unjoining = f;
            end(Reason.UNJOINED, null);
        };
        if (ring.inRingThread()) task.run();
        else ring.execute(task);
        return f;
    }

    private void armTimer() {
        if (options.idleTimeoutNanos() == 0 || ending != null) return;
        timerPending = true;
        ring.timeout(Math.max(1, options.idleTimeoutNanos() / 4), timer, t -> {
            timerPending = false;
            if (ending != null) {
                maybeFinish();
                return;
            }
            // A pump that waits between bursts reports bytes rarely; what it moved meanwhile is activity.
            if (aToB.pumpedSinceLastLook() | bToA.pumpedSinceLastLook()) lastActivityNanos = System.nanoTime();
            if (System.nanoTime() - lastActivityNanos >= options.idleTimeoutNanos()) end(Reason.IDLE_TIMEOUT, null);
            else armTimer();
        });
    }

    /** Starts ending: cancel what is in flight; finish once nothing is. */
    private void end(Reason reason, SluiceException failure) {
        if (ending != null) return;
        ending = reason;
        cause = failure;
        if (reason == Reason.RESET) {
            // Pass the reset on: SO_LINGER 0 makes close() send RST instead of FIN.
            for (Socket s : new Socket[] {a, b}) {
                try {
                    if (s.isOpen()) s.setOption(SocketOption.LINGER_SECONDS, 0);
                } catch (SluiceException ignored) {
                    // The socket is already dead; closing it is all that is left.
                }
            }
        }
        if (reason == Reason.UNJOINED) {
            aToB.cancelAll();
            bToA.cancelAll();
        } else {
            // Closing cancels every operation still pending on the sockets.
            a.close();
            b.close();
        }
        if (timerPending && !ring.isClosed()) ring.cancel(timer, new Completion(), c -> { });
        maybeFinish();
    }

    private void maybeFinish() {
        if (ending == null || aToB.busy() || bToA.busy() || timerPending || ended.isDone()) return;
        byte[] pendingAtoB = aToB.takePending();
        byte[] pendingBtoA = bToA.takePending();
        aToB.release();
        bToA.release();
        if (ending == Reason.UNJOINED) {
            restore(a, oobInlineA);
            restore(b, oobInlineB);
            if (takenErrorA != null && a.isOpen()) {
                a.pendingError = takenErrorA;
                a.pendingNativeErrno = takenNativeA;
            }
            if (takenErrorB != null && b.isOpen()) {
                b.pendingError = takenErrorB;
                b.pendingNativeErrno = takenNativeB;
            }
            unjoining.complete(new Unjoined(a, b, pendingAtoB, pendingBtoA));
        } else {
            a.close();
            b.close();
        }
        ended.complete(new Ended(ending, aToB.delivered, bToA.delivered, cause));
    }

    /**
     * An operation on {@code s} failed while the join was stopping. A socket error (a reset, a
     * timeout) has been consumed in the kernel and is kept for the caller; ECANCELED is our own
     * cancel, and EPIPE is a state the socket reports again by itself.
     */
    private void keepError(Socket s, Errno e, int nativeErrno) {
        if (ending != Reason.UNJOINED || e == null || e == Errno.ECANCELED || e == Errno.EPIPE) return;
        if (s == a && takenErrorA == null) {
            takenErrorA = e;
            takenNativeA = nativeErrno;
        } else if (s == b && takenErrorB == null) {
            takenErrorB = e;
            takenNativeB = nativeErrno;
        }
    }

    private void directionDone() {
        if (aToB.finished && bToA.finished) end(Reason.FINISHED, null);
    }

    /** One direction: fill (socket → pipe or buffer), then drain (pipe or buffer → socket), repeat. */
    private final class Direction implements Handler {
        final Socket from;
        final Socket to;
        final Completion in = new Completion();
        final Completion out = new Completion();
        final Completion cancel = new Completion();
        long pipeRead = -1;
        long pipeWrite = -1;
        int capacity;
        Arena arena;
        MemorySegment buffer;
        int held;
        /** The held bytes are in {@link #buffer} (copying, or a splice's 0 confirmed by a receive), not in the pipe. */
        boolean heldInBuffer;
        int drainedFromBuffer;
        volatile long delivered;
        boolean inPending;
        boolean outPending;
        boolean finished;
        /** What the pending pump had moved when the idle timer last looked. */
        int pumpMovedSeen;

        Direction(Socket from, Socket to) {
            this.from = from;
            this.to = to;
        }

        void open() throws SluiceException {
            if (splicing) {
                long[] p = ring.openPipe(options.pipeBytes());
                pipeRead = p[0];
                pipeWrite = p[1];
                capacity = (int) p[2];
            } else {
                arena = Arena.ofShared();
                buffer = arena.allocate(options.bufferBytes(), 64);
                capacity = options.bufferBytes();
            }
        }

        boolean busy() {
            return inPending || outPending;
        }

        /** Delivered bytes, with what a pending pump has moved but not reported yet when on the ring thread. */
        long deliveredSoFar() {
            long d = delivered;
            if (pumping && ring.inRingThread() && inPending) d += in.spliceMoved();
            return d;
        }

        /** Whether the pending pump moved bytes since the last call (ring thread). */
        boolean pumpedSinceLastLook() {
            if (!pumping || !inPending) return false;
            int moved = in.spliceMoved();
            boolean more = moved != pumpMovedSeen;
            pumpMovedSeen = moved;
            return more;
        }

        void fill() {
            inPending = true;
            pumpMovedSeen = 0;
            // A pump writes into `to` inside the backend, past the ring's check for an error `to`
            // keeps from an earlier join (Socket.pendingError); a plain splice's drain goes through it.
            if (pumping && to.pendingError == null) ring.pump(from, pipeWrite, pipeRead, to, capacity, in, this);
            else if (splicing) ring.splice(from, pipeWrite, Operation.SPLICE_SOCKET_TO_PIPE, capacity, in, this);
            else ring.recv(from, buffer, in, this);
        }

        void drain() {
            outPending = true;
            if (splicing && !heldInBuffer) ring.splice(to, pipeRead, Operation.SPLICE_PIPE_TO_SOCKET, held, out, this);
            else ring.send(to, buffer, drainedFromBuffer, held, out, this);
        }

        /** A splice from {@code from} returned 0: end of stream, or the urgent mark. A receive tells them apart. */
        void confirmEndOfStream() {
            if (buffer == null) {
                arena = Arena.ofShared();
                buffer = arena.allocate(PROBE_BYTES, 64);
            }
            inPending = true;
            ring.recv(from, buffer, in, this);
        }

        void cancelAll() {
            if (inPending) ring.cancel(in, new Completion(), c -> { });
            if (outPending) ring.cancel(out, new Completion(), c -> { });
        }

        @Override
        public void completed(Completion c) {
            if (c == in) inPending = false;
            else outPending = false;
            if (c.ok() && c.result() > 0) lastActivityNanos = System.nanoTime();
            if (c == in) filled(c);
            else if (c.op() == Op.SHUTDOWN) shutDown(c);
            else drained(c);
            if (ending != null) maybeFinish();
        }

        private void filled(Completion c) {
            if (c.op() == Op.SPLICE && c.flags() == Operation.SPLICE_PUMP) {
                pumped(c);
                return;
            }
            if (c.ok() && c.result() > 0) {
                held = c.result();
                heldInBuffer = c.op() != Op.SPLICE;
                drainedFromBuffer = 0;
                if (ending == null) drain();
                return;
            }
            if (ending != null) {
                if (!c.ok()) keepError(from, c.error(), c.nativeErrno());
                return;
            }
            if (c.ok() && c.op() == Op.SPLICE) {
                // tcp_read_sock stops at the urgent mark, so splice(2) returns 0 there as at EOF.
                confirmEndOfStream();
                return;
            }
            if (c.ok()) {
                // End of stream: everything before it has been written (we drain before filling again).
                outPending = true;
                ring.shutdown(to, Shutdown.WRITE, out, this);
            } else {
                failed(c);
            }
        }

        /**
         * A pump moved {@code result()} bytes all the way and left {@code spliceHeld()} in the pipe
         * (the other side would block): write those with plain splices, then pump again. Nothing
         * moved and nothing held: the source gave 0, so confirm as after a splice's 0. The source
         * or the destination failed after bytes moved: those count, then the error ends the join
         * like any other (the kernel reported it once, to this pump: written to again the socket
         * says EPIPE, and read, end of stream, which must not pass for a FIN). A failed pump's
         * error is the destination's when bytes are held (the write failed), else the source's.
         */
        private void pumped(Completion c) {
            held = c.spliceHeld();
            heldInBuffer = false;
            drainedFromBuffer = 0;
            if (c.ok()) delivered += c.result();
            Errno sourceError = c.ok() ? c.spliceSourceError() : null;
            Errno destinationError = c.ok() ? c.spliceDestinationError() : null;
            if (ending != null) {
                if (sourceError != null) keepError(from, sourceError, c.spliceSourceNativeErrno());
                if (destinationError != null) keepError(to, destinationError, c.spliceDestinationNativeErrno());
                if (!c.ok()) keepError(held > 0 ? to : from, c.error(), c.nativeErrno());
                return;
            }
            if (sourceError != null) {
                failed(sourceError, new SluiceException("splice", sourceError, c.spliceSourceNativeErrno()));
            } else if (destinationError != null) {
                failed(destinationError, new SluiceException("splice", destinationError, c.spliceDestinationNativeErrno()));
            } else if (!c.ok()) {
                failed(c);
            } else if (held > 0) {
                drain();
            } else if (c.result() > 0) {
                fill();
            } else {
                // tcp_read_sock stops at the urgent mark, so splice(2) returns 0 there as at EOF.
                confirmEndOfStream();
            }
        }

        private void drained(Completion c) {
            if (c.ok()) {
                held -= c.result();
                drainedFromBuffer += c.result();
                delivered += c.result();
                if (ending != null) return;
                if (held > 0) drain();
                else fill();
                return;
            }
            if (ending == null) failed(c);
            else keepError(to, c.error(), c.nativeErrno());
        }

        private void shutDown(Completion c) {
            if (!c.ok() && ending == null && c.error() != Errno.ENOTCONN) {
                failed(c);
                return;
            }
            finished = true;
            if (ending == null) directionDone();
        }

        private void failed(Completion c) {
            failed(c.error(), c.exception());
        }

        private void failed(Errno e, SluiceException exception) {
            boolean reset = e == Errno.ECONNRESET || e == Errno.EPIPE || e == Errno.ECONNABORTED;
            end(reset ? Reason.RESET : Reason.FAILED, exception);
        }

        /** What was read from {@code from} but never written to {@code to}. */
        byte[] takePending() {
            if (held <= 0) return new byte[0];
            byte[] out = new byte[held];
            if (heldInBuffer) {
                MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, drainedFromBuffer, out, 0, held);
                return out;
            }
            try (Arena scratch = Arena.ofConfined()) {
                MemorySegment tmp = scratch.allocate(held);
                int got = 0;
                while (got < held) {
                    int n = ring.sockets().readNow(pipeRead, tmp.asSlice(got));
                    if (n <= 0) throw new AssertionError("pipe held " + held + " bytes but gave " + got);
                    got += n;
                }
                MemorySegment.copy(tmp, ValueLayout.JAVA_BYTE, 0, out, 0, held);
                return out;
            } catch (SluiceException e) {
                throw new AssertionError("reading back a pipe we own failed", e);
            }
        }

        void release() {
            for (long h : new long[] {pipeRead, pipeWrite}) {
                if (h < 0) continue;
                try {
                    ring.closeHandle(h);
                } catch (SluiceException e) {
                    throw new AssertionError("closing a pipe we own failed", e);
                }
            }
            pipeRead = pipeWrite = -1;
            if (arena != null) arena.close();
            arena = null;
            buffer = null;
        }
    }
}
