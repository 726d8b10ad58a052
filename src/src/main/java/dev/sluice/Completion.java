package dev.sluice;

import dev.sluice.spi.Operation;
import java.lang.foreign.MemorySegment;

/**
 * A caller-owned record of one operation: the ring never allocates one. Reuse it for the next
 * operation once its handler has been called, as TigerBeetle's IO does. A completion carries one
 * operation at a time; submitting it again while it is in flight is an error.
 *
 * <p>Read the result in the handler: {@link #ok()}, then {@link #result()} (bytes moved, or 0),
 * or {@link #error()}. {@link #attach(Object)} carries the caller's context without a lambda.
 */
public class Completion extends Operation {
    Handler handler;
    Completion next;
    boolean inBackend;
    Socket accepted;
    /** On the ring's completed list (a multishot completion is put there once per batch of results). */
    boolean queued;
    /** The ring that refused it once with ECANCELED because it was submitted while that ring was closing. */
    Ring refusedByClose;
    /** This result is one of a multishot operation's, and the operation goes on. */
    boolean moreFollows;
    /** RECV_MULTISHOT: the pool, and whether the handler kept the current buffer. */
    BufferPool pool;
    boolean bufferKept;
    private Object attachment;
    private long timeoutSetting;

    public Completion() {
    }

    /** A completion carrying {@code attachment}. */
    public Completion(Object attachment) {
        this.attachment = attachment;
    }

    /** The caller's context object. */
    public Object attachment() {
        return attachment;
    }

    /** Sets the caller's context object and returns this completion. */
    public Completion attach(Object value) {
        attachment = value;
        return this;
    }

    /**
     * Limits every later operation submitted with this completion to {@code nanos}; one not done
     * by then completes with {@link Errno#ETIMEDOUT}. 0 removes the limit. (io_uring links a
     * LINK_TIMEOUT; readiness backends use the ring's timer.)
     */
    public Completion timeoutNanos(long nanos) {
        if (nanos < 0) throw new IllegalArgumentException("timeout must be >= 0 ns, got " + nanos);
        timeoutSetting = nanos;
        return this;
    }

    /** True when the operation succeeded. */
    public boolean ok() {
        return error == null;
    }

    /** Bytes sent or received, or 0 for operations that move no bytes; -1 after a failure. */
    public int result() {
        return result;
    }

    /** The error, or null after success. */
    public Errno error() {
        return error;
    }

    /** The platform's number for {@link #error()}, or 0. */
    public int nativeErrno() {
        return nativeErrno;
    }

    /** The error as an exception naming the operation; null after success. Allocates. */
    public SluiceException exception() {
        if (error == null) return null;
        return new SluiceException(describe(), error, nativeErrno);
    }

    /** ACCEPT: the new connection. Like every result, valid until this completion is reused: keep it first. */
    public Socket accepted() {
        return accepted;
    }

    /**
     * RECVFROM and RECVMSG: where the datagram came from; null for stream sockets and for a Unix
     * peer whose name has no {@link UnixAddress} form (not UTF-8, or 108 bytes with no NUL).
     */
    public Address peer() {
        return peer;
    }

    /** RECV_FDS: how many fds were written to the array given. */
    public int fdCount() {
        return fdCount;
    }

    /** RECVFROM, RECVMSG, RECV_FDS: the datagram did not fit the buffer and was cut. */
    public boolean truncated() {
        return (resultFlags & FLAG_TRUNCATED) != 0;
    }

    /** RECV_FDS: more fds arrived than the array held; the extra ones were closed. */
    public boolean controlTruncated() {
        return (resultFlags & FLAG_CONTROL_TRUNCATED) != 0;
    }

    /**
     * Multishot operations ({@link Ring#acceptMultishot}, {@link Ring#recvMultishot}): true when
     * this result is one of several and the operation goes on; false for its final result, after
     * which the completion is idle again. Always false for other operations.
     */
    public boolean more() {
        return moreFollows;
    }

    /**
     * RECV_MULTISHOT: the id of the pool buffer that holds this result's {@link #result()} bytes
     * (they start at offset 0 of {@link #buffer()}); -1 when no buffer came with this result.
     */
    public int bufferId() {
        return op == Op.RECV_MULTISHOT && moreFollows ? (int) currentAux : -1;
    }

    /**
     * RECV_MULTISHOT: keeps this result's buffer after the handler returns (by default it goes back
     * to the pool then) and returns its id; hand it back with {@link BufferPool#release(int)}. A pool
     * whose buffers are all kept pauses the receive until one is released; no data is lost.
     */
    public int keepBuffer() {
        int id = bufferId();
        if (id < 0) throw new IllegalStateException("no pool buffer comes with this result (" + describe() + ")");
        bufferKept = true;
        return id;
    }

    /** True while the operation is queued in the ring or owned by the kernel. */
    public boolean isPending() {
        return state == State.WAITING || state == State.PENDING;
    }

    /** A short description of the operation for messages, e.g. {@code "connect fd 7 to 127.0.0.1:80"}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(op == null ? "idle" : op.name().toLowerCase(java.util.Locale.ROOT));
        if (socket != null) sb.append(" fd ").append(socket.handle());
        if (address != null) sb.append(op == Op.CONNECT ? " to " : " ").append(address);
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Completion[" + describe() + ", " + state + (state == State.IDLE && op != null ? (ok() ? ", result " + result : ", " + error) : "") + "]";
    }

    // Ring plumbing. Fields of Operation are protected; only the ring (same package) calls these.

    void prepare(Operation.Sink ringSink, Op kind, Socket s, Handler h) {
        if (state != State.IDLE) {
            throw new IllegalStateException("completion is still in flight (" + describe() + ", " + state + "); wait for its handler before reusing it");
        }
        // A SEND or RECV leaves every parameter and result below as its own prepare set it: its
        // life changes only the result, error, the backend's bookkeeping and the ring's links. So
        // a completion reused for those (an echo, a proxy) skips the resets: two dozen stores per
        // operation, in cache lines that the kernel's work between messages has evicted.
        if (op != Op.SEND && op != Op.RECV) resetParameters();
        op = kind;
        handler = h;
        sink = ringSink;
        socketAndBuffer(s, null);
        bufferOffset = 0;
        bufferLength = 0;
        deadlineNanos = timeoutSetting;
        result = 0;
        error = null;
        nativeErrno = 0;
    }

    /** What operations other than SEND and RECV set or leave behind, back to "none". */
    private void resetParameters() {
        buffers = null;
        address = null;
        fds = null;
        flags = 0;
        timeoutNanos = 0;
        target = null;
        spliceHandle = -1;
        spliceLength = 0;
        spliceTo = null;
        spliceReadHandle = -1;
        spliceHeld = 0;
        spliceSourceError = null;
        spliceSourceNativeErrno = 0;
        spliceDestinationError = null;
        spliceDestinationNativeErrno = 0;
        spliceMoved = 0;
        acceptedHandle = -1;
        peer = null;
        fdCount = 0;
        resultFlags = 0;
        accepted = null;
        moreFollows = false;
        currentAux = -1;
        pool = null;
        bufferKept = false;
        bufferGroup = null;
    }

    long timeoutSetting() {
        return timeoutSetting;
    }

    void pool(BufferPool p) {
        pool = p;
        bufferGroup = p.group;
    }

    /** Hands out the oldest intermediate result of a multishot operation. */
    void nextResult() {
        takeMore();
        error = null;
        nativeErrno = 0;
        moreFollows = true;
        bufferKept = false;
        if (op == Op.RECV_MULTISHOT) window(pool.group.buffer((int) currentAux), 0, result);
    }

    /** After the intermediate results: the final one. */
    void finalResult() {
        result = finalResult;
        error = finalError;
        nativeErrno = finalNativeErrno;
        moreFollows = false;
        currentAux = -1;
        accepted = null;
        window(null, bufferOffset, 0);
    }

    long currentAux() {
        return currentAux;
    }

    void buffer(MemorySegment b) {
        window(b, 0, (int) b.byteSize());
    }

    void buffer(MemorySegment b, long offset, int length) {
        window(b, offset, length);
    }

    void buffers(MemorySegment[] b) {
        buffers = b;
    }

    void address(Address a) {
        address = a;
    }

    void fds(int[] f) {
        fds = f;
    }

    void flags(int f) {
        flags = f;
    }

    void timeout(long nanos) {
        timeoutNanos = nanos;
    }

    void target(Operation t) {
        target = t;
    }

    void splice(long otherHandle, long length) {
        spliceHandle = otherHandle;
        spliceLength = length;
    }

    void pump(Socket to, long pipeReadHandle) {
        spliceTo = to;
        spliceReadHandle = pipeReadHandle;
    }

    void state(State s) {
        state = s;
    }

    long acceptedHandle() {
        return acceptedHandle;
    }

    /** Completes without a backend: for operations the ring ends itself (closing, cancelled while waiting). */
    void failLocally(Errno errno) {
        failLocally(errno, 0);
    }

    void failLocally(Errno errno, int platformErrno) {
        state = State.PENDING;
        fail(errno, platformErrno);
    }

    /** A receive's end of stream becomes the socket's kept error (Socket.pendingError), on the ring thread before the handler. */
    void failInsteadOfEnd(Errno errno, int platformErrno) {
        result = -1;
        error = errno;
        nativeErrno = platformErrno;
    }

    void completeLocally(int value) {
        state = State.PENDING;
        complete(value);
    }
}
