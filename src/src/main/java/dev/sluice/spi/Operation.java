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
    protected Socket spliceTo;
    protected long spliceReadHandle = -1;
    protected BufferGroup bufferGroup;

    // Results, written by the backend.
    protected int result;
    protected Errno error;
    protected int nativeErrno;
    protected long acceptedHandle = -1;
    protected Address peer;
    protected int fdCount;
    protected int resultFlags;
    protected int spliceHeld;
    protected Errno spliceSourceError;
    protected int spliceMoved;
    protected int spliceSourceNativeErrno;
    protected Errno spliceDestinationError;
    protected int spliceDestinationNativeErrno;

    /**
     * Results of a multishot operation that the ring has not handed to the handler yet, oldest
     * first: a ring buffer of (value, aux) that grows only when a burst outruns the handler.
     */
    private int[] moreValues;
    private long[] moreAux;
    private int moreHead;
    private int moreCount;
    /** The aux of the result being handed out: the accepted handle or the buffer id. */
    protected long currentAux = -1;
    /** The final result of a multishot operation, kept while its earlier results are handed out. */
    protected int finalResult;
    protected Errno finalError;
    protected int finalNativeErrno;

    protected State state = State.IDLE;
    protected Sink sink;

    /**
     * {@link #handle()} and the base address of {@link #buffer()}, read once when the ring sets the
     * socket and the buffer (see {@link #socketAndBuffer}), valid while {@link #socket} and
     * {@link #buffer} are the objects they were read from. A backend then starts the operation
     * without dereferencing the Socket and the MemorySegment: in a server, each message's kernel
     * work evicts the loop's data between the handler that submits an operation and the backend
     * that starts it, and each dereference would be a cache miss on the way to the syscall.
     */
    private Socket handleOf;
    private long handleValue = -1;
    private MemorySegment baseOf;
    private long baseAddress;

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
        Socket s = socket;
        if (s == handleOf) return handleValue;
        return s == null ? -1 : s.handle();
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
        MemorySegment b = buffer;
        return (b == baseOf && b != null ? baseAddress : b.address()) + bufferOffset;
    }

    /**
     * Sets the socket and the buffer, and keeps what {@link #handle()} and {@link #bufferAddress()}
     * will read of them (a segment's address and a socket's handle never change).
     */
    protected final void socketAndBuffer(Socket s, MemorySegment b) {
        socket = s;
        buffer = b;
        handleOf = s;
        handleValue = s == null ? -1 : s.handle();
        baseOf = b;
        baseAddress = b == null ? 0 : b.address();
    }

    /** Sets the buffer window, keeping its address as {@link #socketAndBuffer} does. */
    protected final void window(MemorySegment b, long offset, int length) {
        buffer = b;
        baseOf = b;
        baseAddress = b == null ? 0 : b.address();
        bufferOffset = offset;
        bufferLength = length;
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

    /**
     * SPLICE {@link #flags()}: pump from the socket through the pipe into {@link #spliceTo()}: splice
     * socket → pipe ({@link #spliceHandle()} is the write end), then pipe → other socket
     * ({@link #spliceReadHandle()} is the read end), repeated on the backend's thread while both
     * sides move, so one completion covers many chunks. Called only with an empty pipe. Completes
     * with the bytes delivered to the other socket, and {@link #spliceHeld()} bytes left in the
     * pipe (the other socket would block); 0 with none held means the socket gave 0 (end of stream
     * or urgent mark); an error with {@link #spliceHeld()} still accurate. A source error met after
     * bytes moved in the same pump completes it successfully with those bytes and the error in
     * {@link #spliceSourceError()}: the kernel reports a socket error once (read again, a reset
     * socket gives end of stream), so it travels with the operation that took it. A destination
     * error met after bytes moved likewise, in {@link #spliceDestinationError()} (written to again,
     * a reset socket gives EPIPE, and read, end of stream).
     *
     * <p>A pump need not complete after every burst: when the source runs dry with everything
     * delivered and the pipe empty, the backend may keep it pending and resume it when the source
     * is readable again, counting in {@link #spliceMoved()}, and complete it only when there is
     * something for the caller to do (bytes held, end of stream, an error) or enough bytes moved
     * to be worth reporting. A pump that has delivered bytes never fails for reasons of its own
     * (cancel, closeSocket, close, deadline): it completes with those bytes and nothing held, so
     * a caller that cancels it to take the sockets back loses nothing. A backend offers it only
     * when {@link Backend#splicePump()} says so.
     */
    public static final int SPLICE_PUMP = 2;

    /** SPLICE_PUMP: the socket the bytes go to. */
    public final Socket spliceTo() {
        return spliceTo;
    }

    /** SPLICE_PUMP: the pipe's read end. */
    public final long spliceReadHandle() {
        return spliceReadHandle;
    }

    /** SPLICE_PUMP result: bytes left in the pipe, not yet written to {@link #spliceTo()}. */
    public final int spliceHeld() {
        return spliceHeld;
    }

    /** SPLICE_PUMP: the backend records the bytes left in the pipe before completing or failing. */
    public final void spliceHeld(int bytes) {
        if (bytes < 0) throw new AssertionError("negative bytes held in a pipe: " + bytes);
        spliceHeld = bytes;
    }

    /**
     * SPLICE_PUMP result: an error the source socket reported after the pump had delivered bytes
     * (the operation itself succeeded with those bytes), or null. The kernel has consumed it.
     */
    public final Errno spliceSourceError() {
        return spliceSourceError;
    }

    /**
     * SPLICE_PUMP result: an error the destination ({@link #spliceTo()}) reported after the pump
     * had delivered bytes (the operation itself succeeded with those bytes, and
     * {@link #spliceHeld()} bytes are still in the pipe), or null. The kernel has consumed it: a
     * socket error is reported once (tcp_sendmsg_locked takes sk_err; the next write gets EPIPE,
     * and a read of that socket, with its queue empty, gets end of stream), so it travels with the
     * operation that took it, like {@link #spliceSourceError()}.
     */
    public final Errno spliceDestinationError() {
        return spliceDestinationError;
    }

    /** The platform's number for {@link #spliceDestinationError()}, or 0. */
    public final int spliceDestinationNativeErrno() {
        return spliceDestinationNativeErrno;
    }

    /** SPLICE_PUMP: the backend records a destination error it met after delivering bytes, before completing. */
    public final void spliceDestinationError(Errno errno, int platformErrno) {
        if (errno == null) throw new AssertionError("errno is null");
        spliceDestinationError = errno;
        spliceDestinationNativeErrno = platformErrno;
    }

    /** The platform's number for {@link #spliceSourceError()}, or 0. */
    public final int spliceSourceNativeErrno() {
        return spliceSourceNativeErrno;
    }

    /** SPLICE_PUMP: the backend records a source error it met after delivering bytes, before completing. */
    public final void spliceSourceError(Errno errno, int platformErrno) {
        if (errno == null) throw new AssertionError("errno is null");
        spliceSourceError = errno;
        spliceSourceNativeErrno = platformErrno;
    }

    /**
     * SPLICE_PUMP: bytes delivered so far by a pump that is still pending (it waits for the source
     * between bursts); 0 before its first burst. Loop thread only.
     */
    public final int spliceMoved() {
        return spliceMoved;
    }

    /** SPLICE_PUMP: the backend counts what a pending pump has delivered. */
    public final void spliceMoved(int bytes) {
        if (bytes < 0) throw new AssertionError("negative bytes moved by a pump: " + bytes);
        spliceMoved = bytes;
    }

    /** SPLICE: the pipe end; the socket is the other side; {@link #flags()} gives the direction. */
    public final long spliceHandle() {
        return spliceHandle;
    }

    /** SPLICE: most bytes to move. */
    public final long spliceLength() {
        return spliceLength;
    }

    /** RECV_MULTISHOT: the buffers the kernel picks from. */
    public final BufferGroup bufferGroup() {
        return bufferGroup;
    }

    /** ACCEPT_MULTISHOT and RECV_MULTISHOT report several results before their final one. */
    public final boolean isMultishot() {
        return op == Op.ACCEPT_MULTISHOT || op == Op.RECV_MULTISHOT;
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

    /**
     * One result of a multishot operation that goes on: ACCEPT_MULTISHOT passes the new handle as
     * {@code aux} (value 0), RECV_MULTISHOT the byte count as {@code value} and the buffer id as
     * {@code aux}. The operation stays pending; it still ends exactly once, through one of the
     * calls below, after all of its results. The ring hands results to the handler in order and
     * only from its loop, so a backend may report them while it reaps.
     */
    public final void more(int value, long aux) {
        if (state != State.PENDING || !isMultishot()) {
            throw new AssertionError("more() on " + op + " while " + state + ": only a pending multishot operation has intermediate results");
        }
        if (moreValues == null) {
            moreValues = new int[8];
            moreAux = new long[8];
        } else if (moreCount == moreValues.length) {
            int n = moreValues.length;
            int[] v = new int[2 * n];
            long[] a = new long[2 * n];
            for (int i = 0; i < n; i++) {
                v[i] = moreValues[(moreHead + i) & (n - 1)];
                a[i] = moreAux[(moreHead + i) & (n - 1)];
            }
            moreValues = v;
            moreAux = a;
            moreHead = 0;
        }
        int at = (moreHead + moreCount) & (moreValues.length - 1);
        moreValues[at] = value;
        moreAux[at] = aux;
        moreCount++;
        sink.completed(this);
    }

    /** Intermediate results not yet handed out. */
    public final int moreWaiting() {
        return moreCount;
    }

    /** Takes the oldest intermediate result into {@link #result} and {@link #currentAux}; the ring's job. */
    protected final void takeMore() {
        if (moreCount == 0) throw new AssertionError("no intermediate result waiting");
        result = moreValues[moreHead];
        currentAux = moreAux[moreHead];
        moreHead = (moreHead + 1) & (moreValues.length - 1);
        moreCount--;
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
        if (isMultishot()) {
            // Kept while the earlier results are handed out (result and error hold each of them).
            finalResult = value;
            finalError = errno;
            finalNativeErrno = platformErrno;
        }
        state = State.COMPLETED;
        backendSlot = -1;
        backendState = null;
        backendNext = null;
        sink.completed(this);
    }
}
