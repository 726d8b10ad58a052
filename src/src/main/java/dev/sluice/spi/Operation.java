package dev.sluice.spi;

import dev.sluice.Address;
import dev.sluice.Errno;
import dev.sluice.Op;
import dev.sluice.Socket;
import java.lang.foreign.MemorySegment;

/**
 * The backend's view of one operation: its parameters, set by the ring before submission, and
 * the calls that report its result. {@link dev.sluice.Completion} is the user's view of the same
 * object, so the hot path never copies or allocates.
 *
 * <p>Life cycle: IDLE, then PENDING while a backend owns it, then COMPLETED until the ring runs
 * its handler, then IDLE again. Reporting a result twice, or for an operation that is not
 * pending, is a bug and fails loudly.
 */
public abstract class Operation {
    /** Where an operation is in its life cycle. */
    public enum State { IDLE, WAITING, PENDING, COMPLETED }

    /** Receives operations a backend finished; the ring runs their handlers later. */
    public interface Sink {
        void completed(Operation op);
    }

    // Parameters, written by the ring before submission.
    protected Op op;
    protected Socket socket;
    protected MemorySegment buffer;
    protected long bufferOffset;
    protected int bufferLength;
    protected MemorySegment[] buffers;
    protected Address address;
    protected int[] fds;
    protected int flags;
    protected long timeoutNanos;
    protected long deadlineNanos;
    protected Operation target;
    protected long spliceHandle;
    protected long spliceLength;

    // Results, written by the backend.
    protected int result;
    protected Errno error;
    protected int nativeErrno;
    protected long acceptedHandle = -1;
    protected Address peer;
    protected int fdCount;
    protected int resultFlags;

    protected State state = State.IDLE;
    protected Sink sink;

    // Private to the backend that owns the operation while it is pending.
    private int backendSlot = -1;
    private Object backendState;
    private Operation backendNext;

    /** Result flag: the datagram or message did not fit and was cut (MSG_TRUNC). */
    public static final int FLAG_TRUNCATED = 1;
    /** Result flag: control data (passed fds) did not fit and some were dropped (MSG_CTRUNC). */
    public static final int FLAG_CONTROL_TRUNCATED = 2;

    protected Operation() {
    }

    public final Op op() {
        return op;
    }

    public final Socket socket() {
        return socket;
    }

    /** The socket's native handle (fd), or -1 for operations without a socket. */
    public final long handle() {
        return socket == null ? -1 : socket.handle();
    }

    /**
     * The segment holding the buffer of send/recv/sendto/recvfrom/sendFds/recvFds. The operation
     * uses only {@link #bufferLength()} bytes of it from {@link #bufferOffset()}: the ring passes
     * windows this way so that sending part of a buffer allocates no slice.
     */
    public final MemorySegment buffer() {
        return buffer;
    }

    /** Where in {@link #buffer()} the bytes start. */
    public final long bufferOffset() {
        return bufferOffset;
    }

    /** How many bytes of {@link #buffer()} the operation uses. */
    public final int bufferLength() {
        return bufferLength;
    }

    /** The native address of the first byte the operation uses. */
    public final long bufferAddress() {
        return buffer.address() + bufferOffset;
    }

    /** The scatter/gather buffers of sendmsg/recvmsg. */
    public final MemorySegment[] buffers() {
        return buffers;
    }

    /** The peer of connect, sendto and sendmsg (null for a connected sendmsg). */
    public final Address address() {
        return address;
    }

    /** Fds to send (SEND_FDS), or the array that receives fds (RECV_FDS). */
    public final int[] fds() {
        return fds;
    }

    /** Op-specific: the {@link dev.sluice.Shutdown} ordinal for SHUTDOWN. */
    public final int flags() {
        return flags;
    }

    /** TIMEOUT: how long to wait. */
    public final long timeoutNanos() {
        return timeoutNanos;
    }

    /** A limit on the operation, relative to submission; 0 for none. On expiry: ETIMEDOUT. */
    public final long deadlineNanos() {
        return deadlineNanos;
    }

    /** CANCEL: the operation to cancel. */
    public final Operation target() {
        return target;
    }

    /** SPLICE {@link #flags()}: move from the socket into the pipe's write end. */
    public static final int SPLICE_SOCKET_TO_PIPE = 0;
    /** SPLICE {@link #flags()}: move from the pipe's read end into the socket. */
    public static final int SPLICE_PIPE_TO_SOCKET = 1;

    /** SPLICE: the pipe end; the socket is the other side; {@link #flags()} gives the direction. */
    public final long spliceHandle() {
        return spliceHandle;
    }

    /** SPLICE: most bytes to move. */
    public final long spliceLength() {
        return spliceLength;
    }

    public final State state() {
        return state;
    }

    // Backend bookkeeping.

    public final int backendSlot() {
        return backendSlot;
    }

    public final void backendSlot(int slot) {
        backendSlot = slot;
    }

    public final Object backendState() {
        return backendState;
    }

    public final void backendState(Object value) {
        backendState = value;
    }

    /** An intrusive link a backend may use for its own queues while the operation is pending. */
    public final Operation backendNext() {
        return backendNext;
    }

    public final void backendNext(Operation next) {
        backendNext = next;
    }

    // Reporting results; each ends the operation.

    /** Success with a byte count, or 0 for operations without one. */
    public final void complete(int value) {
        finish(value, null, 0);
    }

    /** Success of an accept with the new connection's handle. */
    public final void completeAccept(long handle) {
        if (handle < 0) throw new AssertionError("accepted handle must be non-negative: " + handle);
        acceptedHandle = handle;
        finish(0, null, 0);
    }

    /** Success of a receive that reports a source address, received fds and flags. */
    public final void completeReceive(int bytes, Address from, int receivedFds, int flagsOut) {
        peer = from;
        fdCount = receivedFds;
        resultFlags = flagsOut;
        finish(bytes, null, 0);
    }

    /** Failure with a portable errno and the platform's number for it. */
    public final void fail(Errno errno, int platformErrno) {
        if (errno == null) throw new AssertionError("errno is null");
        finish(-1, errno, platformErrno);
    }

    private void finish(int value, Errno errno, int platformErrno) {
        if (state != State.PENDING) {
            throw new AssertionError(op + " completed while " + state + ": every operation completes exactly once");
        }
        result = value;
        error = errno;
        nativeErrno = platformErrno;
        state = State.COMPLETED;
        backendSlot = -1;
        backendState = null;
        backendNext = null;
        sink.completed(this);
    }
}
