package dev.sluice;

import dev.sluice.spi.Backend;
import dev.sluice.spi.BackendProvider;
import dev.sluice.spi.Operation;
import dev.sluice.spi.Probe;
import dev.sluice.spi.SocketSystem;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A deterministic simulated backend for fuzzing the layers above IO (TigerBeetle's seeded mock
 * IO is the model). No kernel: stream socket pairs and pipes are bounded byte queues in memory,
 * time is a virtual clock that jumps to the next timer when nothing else can move, and every
 * decision that a kernel makes (how many bytes a recv or send moves, which socket's completion
 * comes first, how long an op stays pending, when a connection resets) is drawn from one seeded
 * {@link Random}. Driven from one thread with {@link Ring#tick()}, a seed replays exactly.
 *
 * <p>Ops: NOP, TIMEOUT, RECV, SEND, SHUTDOWN, CANCEL, SPLICE (switchable), each completing
 * exactly once, only inside {@link #poll(long)} or {@link #close()}. Per socket, reads complete in
 * submission order and so do writes (as a kernel socket queue does); across sockets the order is
 * shuffled.
 *
 * <p>Resets are one-shot, as in Linux TCP (checked against kernel 6.18 on loopback with a C probe:
 * SO_LINGER 0 close, then recv/send/splice/SO_ERROR in every order). On an RST,
 * {@code tcp_reset()} (net/ipv4/tcp_input.c) sets {@code sk_err}: ECONNRESET, or EPIPE in
 * CLOSE_WAIT (the peer's FIN came first); a socket that has already sent and received a FIN has
 * left for TIME_WAIT and sees nothing. It purges the write queue and calls {@code tcp_done()}
 * (net/ipv4/tcp.c): state CLOSE, {@code sk_shutdown = SHUTDOWN_MASK}. The receive queue is kept:
 * <ul>
 * <li>{@code tcp_recvmsg_locked()} and {@code tcp_splice_read()} take queued bytes first; only with
 *     none left do they look at, in this order, SOCK_DONE (a FIN was received: 0), {@code sk_err}
 *     ({@code sock_error()} returns it and clears it: reported once), RCV_SHUTDOWN (0 from then on);
 * <li>{@code tcp_sendmsg_locked()} (also splice pipe → socket) looks at {@code sk_err} before
 *     anything: {@code sk_stream_wait_connect()} / {@code sk_stream_error()} (net/core/stream.c)
 *     return {@code sock_error()} if set, else EPIPE; so the first send after the RST may take the
 *     ECONNRESET, and a recv after it reads the queued bytes, then 0;
 * <li>shutdown(2) on the closed socket answers ENOTCONN and leaves {@code sk_err} alone.
 * </ul>
 * So a reset socket shows its queued bytes, the error exactly once (to whichever call looks first),
 * then end of stream to receives and EPIPE to sends. The sim has one byte queue per direction,
 * standing for the sender's write queue and the receiver's receive queue at once; at a reset it
 * keeps a random prefix (what had crossed) and drops the rest (what {@code tcp_write_queue_purge()}
 * or the closing peer's {@code tcp_disconnect()} threw away), unless a FIN had already arrived
 * behind those bytes. A close with SO_LINGER 0 resets the peer ({@code tcp_disconnect()} sends RST).
 */
final class SimBackend implements Backend {
    /**
     * The seed and fault probabilities of one run.
     *
     * @param seed           drives every decision
     * @param shortProb      chance that a recv, send or splice moves a random 1..n bytes instead of all n it could
     * @param delayProb      chance that an op stays pending for 1..{@code delayPollsMax} extra polls
     * @param delayPollsMax  longest extra delay, in polls
     * @param resetProb      chance per poll that a random open connection resets (both ends see it)
     * @param splice         whether SPLICE is offered; false makes {@link Join} copy
     * @param bufferBytesMin smallest receive buffer per socket
     * @param bufferBytesMax largest receive buffer per socket
     */
    record Faults(long seed, double shortProb, double delayProb, int delayPollsMax, double resetProb, boolean splice,
                  int bufferBytesMin, int bufferBytesMax) {
        Faults {
            if (bufferBytesMin < 1 || bufferBytesMax < bufferBytesMin) throw new IllegalArgumentException("buffer bytes " + bufferBytesMin + ".." + bufferBytesMax);
            if (delayPollsMax < 0) throw new IllegalArgumentException("delayPollsMax " + delayPollsMax);
        }

        /** No faults: everything moves as much as it can at the next poll. */
        static Faults none(long seed) {
            return new Faults(seed, 0, 0, 0, 0, true, 65536, 65536);
        }

        /** Fault rates and buffer sizes drawn from the seed (4 to 64 KiB receive buffers). */
        static Faults random(long seed) {
            Random r = new Random(seed * 0x9E3779B97F4A7C15L + 1);
            int min = 4096 << r.nextInt(4);
            return new Faults(seed, r.nextDouble() * 0.8, r.nextDouble() * 0.5, 1 + r.nextInt(4), 0, true, min, Math.min(65536, min << r.nextInt(3)));
        }

        Faults withSplice(boolean value) {
            return new Faults(seed, shortProb, delayProb, delayPollsMax, resetProb, value, bufferBytesMin, bufferBytesMax);
        }

        Faults withResetProb(double value) {
            return new Faults(seed, shortProb, delayProb, delayPollsMax, value, splice, bufferBytesMin, bufferBytesMax);
        }
    }

    private static final ThreadLocal<Faults> NEXT = new ThreadLocal<>();
    private static final ThreadLocal<SimBackend> OPENED = new ThreadLocal<>();

    /** Opens a ring on a new sim with these faults; the sim is {@link #lastOpened()} afterwards. */
    static Ring open(Faults faults, int inflightMax) throws SluiceException {
        NEXT.set(faults);
        try {
            int entries = Integer.highestOneBit(inflightMax);
            return Ring.open(new RingConfig(entries, inflightMax, "sim"));
        } finally {
            NEXT.remove();
        }
    }

    /** The sim the calling thread opened last. */
    static SimBackend lastOpened() {
        return OPENED.get();
    }

    private final Faults faults;
    private final Random rnd;
    private final Semaphore wakeups = new Semaphore(0);
    private final SimSockets sockets = new SimSockets();
    private final Map<Long, Object> handles = new LinkedHashMap<>();
    /** Every socket ever opened, closed ones too, for inspection after the fact. */
    private final Map<Long, Endpoint> endpoints = new LinkedHashMap<>();
    private final List<Operation> inflight = new ArrayList<>();
    private final ArrayDeque<Operation> misc = new ArrayDeque<>();
    private final ArrayDeque<Operation> doomed = new ArrayDeque<>();
    private final List<Runnable> units = new ArrayList<>();
    private long nextHandle = 1000;
    private long polls;
    private long nowNanos;
    private boolean closed;
    int maxHeld;
    int submits;
    int completions;
    int resets;
    boolean inSubmit;

    SimBackend(Faults faults) {
        this.faults = faults;
        this.rnd = new Random(faults.seed());
        OPENED.set(this);
    }

    /** What the sim does with one op while it is pending. */
    private static final class Meta {
        long readyPoll;
        long timeoutAt;
        long deadlineAt;
        Endpoint endpoint;
        ArrayDeque<Operation> queue;
    }

    /** A bounded FIFO of bytes. */
    static final class Bytes {
        final byte[] data;
        int head;
        int size;

        Bytes(int capacity) {
            data = new byte[capacity];
        }

        int free() {
            return data.length - size;
        }

        void put(MemorySegment src, long offset, int n) {
            if (n > free()) throw new AssertionError("put " + n + " bytes into " + free() + " free");
            for (int done = 0; done < n; ) {
                int tail = (head + size) % data.length;
                int run = Math.min(n - done, data.length - tail);
                MemorySegment.copy(src, ValueLayout.JAVA_BYTE, offset + done, data, tail, run);
                size += run;
                done += run;
            }
        }

        void take(MemorySegment dst, long offset, int n) {
            if (n > size) throw new AssertionError("take " + n + " bytes of " + size);
            for (int done = 0; done < n; ) {
                int run = Math.min(n - done, data.length - head);
                MemorySegment.copy(data, head, dst, ValueLayout.JAVA_BYTE, offset + done, run);
                head = (head + run) % data.length;
                size -= run;
                done += run;
            }
        }

        void moveTo(Bytes to, int n) {
            if (n > size || n > to.free()) throw new AssertionError("move " + n + " bytes: " + size + " held, " + to.free() + " free");
            for (int i = 0; i < n; i++) {
                to.data[(to.head + to.size) % to.data.length] = data[head];
                to.size++;
                head = (head + 1) % data.length;
                size--;
            }
        }

        byte[] takeAll() {
            byte[] out = new byte[size];
            take(MemorySegment.ofArray(out), 0, size);
            return out;
        }

        void clear() {
            head = size = 0;
        }

        /** Keeps the first {@code n} bytes. */
        void truncate(int n) {
            if (n > size) throw new AssertionError("truncate to " + n + " of " + size);
            size = n;
        }
    }

    /** One end of a stream socket pair. */
    final class Endpoint {
        final long handle;
        final Bytes rx;
        final ArrayDeque<Operation> reads = new ArrayDeque<>();
        final ArrayDeque<Operation> writes = new ArrayDeque<>();
        Endpoint peer;
        /** The peer sent FIN or closed (SOCK_DONE): recv returns 0 once rx is empty. */
        boolean eof;
        boolean readShut;
        boolean writeShut;
        /** An RST arrived (tcp_done: state CLOSE, both directions shut): recv gives rx, then 0; send EPIPE. */
        boolean reset;
        /** sk_err: set by the RST, reported once (then null) by the first call that looks at it. */
        Errno error;
        /** What the RST set sk_err to (null: no RST, or it found the socket gone), for tests. */
        Errno resetError;
        /** How often the sim reported {@link #error} (0 or 1), for tests. */
        int errorsReported;
        boolean closed;
        int lingerSeconds = -1;

        Endpoint(long handle, int capacity) {
            this.handle = handle;
            this.rx = new Bytes(capacity);
        }

        @Override
        public String toString() {
            return "socket " + handle + (closed ? " closed" : "") + (reset ? " reset" : "") + (error != null ? " sk_err " + error : "") + (eof ? " eof" : "") + " rx " + rx.size + "/" + rx.data.length
                    + " reads " + reads.size() + " writes " + writes.size();
        }
    }

    /** A pipe: {@link #readHandle} and {@link #writeHandle} around one bounded byte queue. */
    static final class Pipe {
        final long readHandle;
        final long writeHandle;
        final Bytes bytes;
        boolean readClosed;
        boolean writeClosed;

        Pipe(long readHandle, long writeHandle, int capacity) {
            this.readHandle = readHandle;
            this.writeHandle = writeHandle;
            this.bytes = new Bytes(capacity);
        }
    }

    // Backend.

    @Override
    public Capabilities capabilities() {
        EnumMap<Op, Support> ops = new EnumMap<>(Op.class);
        for (Op op : new Op[] {Op.NOP, Op.TIMEOUT, Op.RECV, Op.SEND, Op.SHUTDOWN, Op.CANCEL, Op.CLOSE}) ops.put(op, Support.NATIVE);
        if (faults.splice()) ops.put(Op.SPLICE, Support.NATIVE);
        return new Capabilities(ops, faults.splice() ? EnumSet.of(Feature.SPLICE) : EnumSet.noneOf(Feature.class));
    }

    @Override
    public SocketSystem sockets() {
        return sockets;
    }

    @Override
    public long openSocket(Family family, SocketType type, Protocol protocol) throws SluiceException {
        throw new SluiceException("sim socket " + family + "/" + type + " (only socket pairs)", Errno.EOPNOTSUPP, 95);
    }

    @Override
    public synchronized long[] openSocketPair(Family family, SocketType type) throws SluiceException {
        if (!family.equals(Family.UNIX) || !type.isStream()) {
            throw new SluiceException("sim socketpair " + family + "/" + type + " (only UNIX/STREAM)", Errno.EOPNOTSUPP, 95);
        }
        Endpoint a = new Endpoint(nextHandle++, bufferBytes());
        Endpoint b = new Endpoint(nextHandle++, bufferBytes());
        a.peer = b;
        b.peer = a;
        handles.put(a.handle, a);
        handles.put(b.handle, b);
        endpoints.put(a.handle, a);
        endpoints.put(b.handle, b);
        return new long[] {a.handle, b.handle};
    }

    private int bufferBytes() {
        return faults.bufferBytesMin() + rnd.nextInt(faults.bufferBytesMax() - faults.bufferBytesMin() + 1);
    }

    @Override
    public synchronized long[] openPipe(int capacityBytes) throws SluiceException {
        if (!faults.splice()) throw new UnsupportedOperationException("sim was opened without splice");
        // Like F_SETPIPE_SZ, the sim may grant less than asked (a pipe-user-pages-soft limit).
        int granted = rnd.nextInt(4) == 0 ? Math.min(capacityBytes, 4096 << rnd.nextInt(5)) : capacityBytes;
        Pipe p = new Pipe(nextHandle++, nextHandle++, granted);
        handles.put(p.readHandle, p);
        handles.put(p.writeHandle, p);
        return new long[] {p.readHandle, p.writeHandle, granted};
    }

    @Override
    public synchronized void submit(Operation op) {
        if (closed) throw new AssertionError("submit after close: " + op.op());
        if (op.state() != Operation.State.PENDING) throw new AssertionError("submitted while " + op.state());
        inSubmit = true;
        submits++;
        Meta m = new Meta();
        m.readyPoll = polls + 1 + (rnd.nextDouble() < faults.delayProb() ? 1 + rnd.nextInt(Math.max(1, faults.delayPollsMax())) : 0);
        if (op.op() == Op.TIMEOUT) m.timeoutAt = nowNanos + op.timeoutNanos();
        if (op.deadlineNanos() > 0) m.deadlineAt = nowNanos + op.deadlineNanos();
        if (op.socket() != null && handles.get(op.handle()) instanceof Endpoint e) {
            m.endpoint = e;
            boolean write = op.op() == Op.SEND || op.op() == Op.SHUTDOWN
                    || (op.op() == Op.SPLICE && op.flags() == Operation.SPLICE_PIPE_TO_SOCKET);
            m.queue = write ? e.writes : e.reads;
        } else {
            m.queue = misc;
        }
        m.queue.add(op);
        op.backendState(m);
        inflight.add(op);
        maxHeld = Math.max(maxHeld, inflight.size());
        inSubmit = false;
    }

    @Override
    public int poll(long timeoutNanos) {
        int n;
        synchronized (this) {
            if (closed) return 0;
            polls++;
            n = progress();
            if (n == 0 && timeoutNanos != 0) {
                long next = nextTimerNanos();
                if (next != Long.MAX_VALUE && (timeoutNanos < 0 || next - nowNanos <= timeoutNanos)) {
                    nowNanos = Math.max(nowNanos, next);
                    n = progress();
                } else if (timeoutNanos > 0) {
                    nowNanos += timeoutNanos;
                }
            }
            if (n > 0 || timeoutNanos == 0 || anyDelayed()) return n;
        }
        // Nothing can move without outside help (a hand-over from another thread): wait a little.
        try {
            wakeups.tryAcquire(timeoutNanos < 0 ? 1_000_000 : Math.min(timeoutNanos, 1_000_000), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** One pass over everything pending in random order, repeated while something moved. */
    private int progress() {
        int before = completions;
        while (!doomed.isEmpty()) fail(doomed.peek(), Errno.ECANCELED);
        maybeReset();
        for (Operation op : new ArrayList<>(inflight)) {
            Meta m = (Meta) op.backendState();
            if (m != null && m.deadlineAt > 0 && nowNanos >= m.deadlineAt) fail(op, Errno.ETIMEDOUT);
        }
        for (int pass = 0; pass < 8; pass++) {
            int start = completions;
            units.clear();
            for (Object h : handles.values()) {
                if (!(h instanceof Endpoint e)) continue;
                if (!e.reads.isEmpty()) units.add(() -> stepHead(e.reads));
                if (!e.writes.isEmpty()) units.add(() -> stepHead(e.writes));
            }
            for (Operation op : misc) units.add(() -> step(op));
            Collections.shuffle(units, rnd);
            for (Runnable u : units) u.run();
            if (completions == start) break;
        }
        return completions - before;
    }

    private void stepHead(ArrayDeque<Operation> queue) {
        Operation head = queue.peek();
        if (head != null) step(head);
    }

    private boolean anyDelayed() {
        for (Operation op : inflight) {
            Meta m = (Meta) op.backendState();
            if (m.readyPoll > polls) return true;
        }
        return false;
    }

    private long nextTimerNanos() {
        long next = Long.MAX_VALUE;
        for (Operation op : inflight) {
            Meta m = (Meta) op.backendState();
            if (op.op() == Op.TIMEOUT) next = Math.min(next, m.timeoutAt);
            if (m.deadlineAt > 0) next = Math.min(next, m.deadlineAt);
        }
        return next;
    }

    private void maybeReset() {
        if (faults.resetProb() <= 0 || rnd.nextDouble() >= faults.resetProb()) return;
        List<Endpoint> open = new ArrayList<>();
        for (Object h : handles.values()) {
            if (h instanceof Endpoint e && !e.closed && !e.reset && e.peer != null && !e.peer.closed && !e.peer.reset && e.handle < e.peer.handle) open.add(e);
        }
        if (open.isEmpty()) return;
        Endpoint e = open.get(rnd.nextInt(open.size()));
        // An RST to both ends (a middlebox, a dead path): each end takes it by its own state.
        Endpoint peer = e.peer;
        resetArrives(e);
        resetArrives(peer);
        resets++;
    }

    /**
     * An RST reaches {@code e}: tcp_reset() by the socket's state (see the class comment). Bytes
     * in rx that had not crossed yet are lost, unless a FIN had arrived behind them.
     */
    private void resetArrives(Endpoint e) {
        resetArrives(e, true);
    }

    private void resetArrives(Endpoint e, boolean cut) {
        if (e.closed || e.reset) return;
        if (e.eof && e.writeShut) return;
        e.error = e.eof ? Errno.EPIPE : Errno.ECONNRESET;
        e.resetError = e.error;
        e.reset = true;
        if (cut && !e.eof && e.rx.size > 0 && rnd.nextBoolean()) e.rx.truncate(rnd.nextInt(e.rx.size + 1));
    }

    /** sock_error(): the pending socket error, cleared — the kernel reports it once. */
    private Errno takeError(Endpoint e) {
        Errno error = e.error;
        e.error = null;
        e.errorsReported++;
        return error;
    }

    /**
     * What a receive finds on {@code e} with rx empty, in tcp_recvmsg_locked()'s order: end of
     * stream (null) after a FIN; the socket error, once; end of stream (null) once shut or reset;
     * else {@link Errno#EAGAIN} (nothing yet: stay pending).
     */
    private Errno readEmpty(Endpoint e) {
        if (e.eof) return null;
        if (e.error != null) return takeError(e);
        if (e.readShut || e.reset) return null;
        return Errno.EAGAIN;
    }

    /** Completes {@code op} if it can move now. */
    private void step(Operation op) {
        if (op.state() != Operation.State.PENDING || op.backendState() == null) return;
        Meta m = (Meta) op.backendState();
        if (m.readyPoll > polls) return;
        switch (op.op()) {
            case NOP -> complete(op, 0);
            case TIMEOUT -> {
                if (nowNanos >= m.timeoutAt) complete(op, 0);
            }
            case CANCEL -> {
                Operation target = op.target();
                if (inflight.contains(target) && !doomed.contains(target)) {
                    fail(target, Errno.ECANCELED);
                    complete(op, 0);
                } else {
                    fail(op, Errno.ENOENT);
                }
            }
            case RECV, SEND, SHUTDOWN, SPLICE -> {
                if (m.endpoint == null) fail(op, Errno.EBADF);
                else if (op.op() == Op.RECV) recv(op, m.endpoint);
                else if (op.op() == Op.SEND) send(op, m.endpoint);
                else if (op.op() == Op.SHUTDOWN) shutdown(op, m.endpoint);
                else if (faults.splice()) splice(op, m.endpoint);
                else fail(op, Errno.EOPNOTSUPP);
            }
            default -> fail(op, Errno.EOPNOTSUPP);
        }
    }

    /** Most bytes a call may move: all {@code max}, or with a short-transfer fault 1..max. */
    private int amount(int max) {
        return max > 1 && rnd.nextDouble() < faults.shortProb() ? 1 + rnd.nextInt(max) : max;
    }

    private void recv(Operation op, Endpoint e) {
        if (e.rx.size > 0 && op.bufferLength() > 0) {
            int n = amount(Math.min(e.rx.size, op.bufferLength()));
            e.rx.take(op.buffer(), op.bufferOffset(), n);
            complete(op, n);
            return;
        }
        Errno empty = readEmpty(e);
        if (empty == null || (empty == Errno.EAGAIN && op.bufferLength() == 0)) complete(op, 0);
        else if (empty != Errno.EAGAIN) fail(op, empty);
    }

    /**
     * Why a write on {@code e} fails now, or null when it may go on. A pending socket error comes
     * first and is consumed (sk_stream_wait_connect / sk_stream_error); then EPIPE.
     */
    private Errno writeError(Endpoint e) {
        if (e.error != null) return takeError(e);
        if (e.reset || e.writeShut || e.peer == null || e.peer.closed || e.peer.readShut) return Errno.EPIPE;
        return null;
    }

    private void send(Operation op, Endpoint e) {
        Errno error = writeError(e);
        if (error != null) {
            fail(op, error);
            return;
        }
        int space = e.peer.rx.free();
        if (op.bufferLength() == 0) {
            complete(op, 0);
        } else if (space > 0) {
            int n = amount(Math.min(space, op.bufferLength()));
            e.peer.rx.put(op.buffer(), op.bufferOffset(), n);
            complete(op, n);
        }
    }

    private void shutdown(Operation op, Endpoint e) {
        if (e.reset) {
            // A reset connection is closed already: shutdown(2) answers ENOTCONN, as TCP does.
            fail(op, Errno.ENOTCONN);
            return;
        }
        shutdownNow(e, Shutdown.values()[op.flags()]);
        complete(op, 0);
    }

    private static void shutdownNow(Endpoint e, Shutdown how) {
        if (how != Shutdown.READ) {
            e.writeShut = true;
            if (e.peer != null) e.peer.eof = true;
        }
        if (how != Shutdown.WRITE) e.readShut = true;
    }

    /**
     * SPLICE_PUMP is offered on odd seeds only, so the fuzz covers Join both pumping and splicing
     * chunk by chunk.
     */
    /** Bursts after which a sim pump stayed pending (parked), across all sims: tests check the fuzz met them. */
    static final java.util.concurrent.atomic.AtomicLong PUMP_PARKS = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public boolean splicePump() {
        return faults.splice() && (faults.seed() & 1) == 1;
    }

    /**
     * SPLICE_PUMP: socket → pipe → other socket, a random number of rounds (each possibly short),
     * stopping when the other side is full (bytes held) or fails after progress; an error or 0
     * with nothing moved is the result, as the real backends do. A burst that emptied the source
     * with everything delivered parks half the time (the op stays pending, counting in
     * spliceMoved, as SplicePump does), so Join meets pumps that report many bursts at once.
     */
    private void pump(Operation op, Endpoint e, Pipe p, int length) {
        Endpoint to = op.spliceTo() != null && handles.get(op.spliceTo().handle()) instanceof Endpoint t ? t : null;
        if (!splicePump()) throw new AssertionError("SPLICE_PUMP on a sim that does not offer it");
        if (p == null || p.writeHandle != op.spliceHandle() || p.readHandle != op.spliceReadHandle() || p.writeClosed || p.readClosed || to == null) {
            fail(op, Errno.EBADF);
            return;
        }
        if (p.bytes.size != 0) throw new AssertionError("SPLICE_PUMP with " + p.bytes.size + " bytes already in the pipe");
        int prior = op.spliceMoved();
        if (e.rx.size == 0) {
            Errno empty = readEmpty(e);
            if (empty == null) {
                op.spliceHeld(0);
                complete(op, prior);
            } else if (empty != Errno.EAGAIN) {
                // A parked pump that delivered bytes completes with them and carries the error, as SplicePump.
                if (prior > 0) op.spliceSourceError(empty, linuxNumber(empty));
                op.spliceHeld(0);
                fail(op, empty);
            }
            return;
        }
        int rounds = 1 + rnd.nextInt(4);
        int delivered = 0;
        int held = 0;
        for (int i = 0; i < rounds && held == 0 && e.rx.size > 0; i++) {
            int n = amount(Math.min(length, Math.min(e.rx.size, p.bytes.free())));
            e.rx.moveTo(p.bytes, n);
            held = n;
            while (held > 0) {
                Errno error = writeError(to);
                if (error != null) {
                    if (delivered == 0 && prior == 0) {
                        op.spliceHeld(held);
                        fail(op, error);
                        return;
                    }
                    // Taken from the kernel after progress: it travels with the bytes, as SplicePump does.
                    op.spliceDestinationError(error, linuxNumber(error));
                    break;
                }
                int space = to.peer.rx.free();
                if (space == 0) break;
                int m = amount(Math.min(held, space));
                p.bytes.moveTo(to.peer.rx, m);
                held -= m;
                delivered += m;
            }
        }
        op.spliceHeld(held);
        if (held == 0 && delivered > 0 && e.rx.size == 0 && !e.eof && e.error != null && rnd.nextBoolean()) {
            // SplicePump reads the source again after it ran dry and meets the error after progress.
            Errno error = takeError(e);
            op.spliceSourceError(error, linuxNumber(error));
            complete(op, prior + delivered);
            return;
        }
        if (held == 0 && delivered > 0 && e.rx.size == 0 && !e.eof && !e.readShut && !e.reset && rnd.nextBoolean()) {
            PUMP_PARKS.incrementAndGet();
            op.spliceMoved(prior + delivered);
            return;
        }
        complete(op, prior + delivered);
    }

    private void splice(Operation op, Endpoint e) {
        Pipe p = handles.get(op.spliceHandle()) instanceof Pipe pipe ? pipe : null;
        int length = (int) Math.min(Integer.MAX_VALUE, op.spliceLength());
        if (op.flags() == Operation.SPLICE_PUMP) {
            pump(op, e, p, length);
        } else if (op.flags() == Operation.SPLICE_SOCKET_TO_PIPE) {
            if (p == null || p.writeHandle != op.spliceHandle() || p.writeClosed) {
                fail(op, Errno.EBADF);
            } else if (e.rx.size > 0) {
                if (p.readClosed) {
                    fail(op, Errno.EPIPE);
                } else if (p.bytes.free() > 0) {
                    int n = amount(Math.min(length, Math.min(e.rx.size, p.bytes.free())));
                    e.rx.moveTo(p.bytes, n);
                    complete(op, n);
                }
            } else {
                Errno empty = readEmpty(e);
                if (empty == null) complete(op, 0);
                else if (empty != Errno.EAGAIN) fail(op, empty);
            }
        } else {
            Errno error;
            if (p == null || p.readHandle != op.spliceHandle() || p.readClosed) {
                fail(op, Errno.EBADF);
            } else if ((error = writeError(e)) != null) {
                fail(op, error);
            } else if (p.bytes.size == 0) {
                if (p.writeClosed) complete(op, 0);
            } else if (e.peer.rx.free() > 0) {
                int n = amount(Math.min(length, Math.min(p.bytes.size, e.peer.rx.free())));
                p.bytes.moveTo(e.peer.rx, n);
                complete(op, n);
            }
        }
    }

    private void release(Operation op) {
        if (!inflight.remove(op)) throw new AssertionError(op.op() + " completed by the sim but not in flight");
        Meta m = (Meta) op.backendState();
        if (m != null && m.queue != null) m.queue.remove(op);
        doomed.remove(op);
        completions++;
    }

    private void complete(Operation op, int result) {
        release(op);
        op.complete(result);
    }

    private void fail(Operation op, Errno errno) {
        if (op.op() == Op.SPLICE && op.flags() == Operation.SPLICE_PUMP && op.spliceMoved() > 0) {
            // A pump parked between bursts has delivered bytes: stopped (cancel, close), it reports them.
            op.spliceHeld(0);
            complete(op, op.spliceMoved());
            return;
        }
        release(op);
        op.fail(errno, linuxNumber(errno));
    }

    private static int linuxNumber(Errno e) {
        return switch (e) {
            case ENOENT -> 2;
            case EBADF -> 9;
            case EPIPE -> 32;
            case EOPNOTSUPP -> 95;
            case ECONNRESET -> 104;
            case ENOTCONN -> 107;
            case ETIMEDOUT -> 110;
            case ECANCELED -> 125;
            default -> 0;
        };
    }

    @Override
    public void wakeup() {
        wakeups.release();
    }

    @Override
    public synchronized void closeSocket(long handle) throws SluiceException {
        if (!(handles.get(handle) instanceof Endpoint e)) throw new SluiceException("sim close " + handle, Errno.EBADF, 9);
        // Pending ops end with ECANCELED at the next poll, never inside this call.
        doomed.addAll(e.reads);
        doomed.addAll(e.writes);
        closeEndpoint(e);
    }

    private void closeEndpoint(Endpoint e) {
        handles.remove(e.handle);
        e.closed = true;
        e.rx.clear();
        Endpoint p = e.peer;
        if (p == null || p.closed) return;
        // A reset socket is gone already (state CLOSE): closing it sends nothing. Else tcp_close()
        // with SO_LINGER 0 calls tcp_disconnect(), which sends RST; otherwise a FIN.
        if (e.reset) return;
        if (e.lingerSeconds == 0) resetArrives(p);
        else p.eof = true;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        for (Operation op : new ArrayList<>(inflight)) fail(op, Errno.ECANCELED);
        closed = true;
    }

    // Inspection for tests.

    /** Operations the sim holds now. */
    synchronized int inflight() {
        return inflight.size();
    }

    /** Removes and returns every byte waiting in a socket's receive buffer. */
    synchronized byte[] takeReadable(long handle) {
        if (!(handles.get(handle) instanceof Endpoint e)) throw new IllegalArgumentException("no open sim socket " + handle);
        return e.rx.takeAll();
    }

    /**
     * What an RST set a socket's sk_err to (ECONNRESET, or EPIPE in CLOSE_WAIT), or null if none
     * reached it; valid after the socket closed too.
     */
    synchronized Errno resetError(long handle) {
        Endpoint e = endpoints.get(handle);
        if (e == null) throw new IllegalArgumentException("no sim socket " + handle);
        return e.resetError;
    }

    /** How often the sim reported a socket's sk_err to a call (0 or 1: the kernel reports it once). */
    synchronized int errorsReported(long handle) {
        Endpoint e = endpoints.get(handle);
        if (e == null) throw new IllegalArgumentException("no sim socket " + handle);
        return e.errorsReported;
    }

    /** An RST reaches both ends of {@code handle}'s connection now (as a middlebox would send), if it is open. */
    synchronized void resetConnection(long handle) {
        resetConnection(handle, true);
    }

    /** As {@link #resetConnection(long)}; {@code cut} false keeps every byte queued (all had crossed). */
    synchronized void resetConnection(long handle, boolean cut) {
        if (!(handles.get(handle) instanceof Endpoint e) || e.peer == null || e.peer.closed || e.reset) return;
        Endpoint peer = e.peer;
        resetArrives(e, cut);
        resetArrives(peer, cut);
        resets++;
    }

    /** Takes a socket's pending error now, as a call by someone else (a join's send) would; null if none. */
    synchronized Errno takeError(long handle) {
        Endpoint e = endpoints.get(handle);
        if (e == null) throw new IllegalArgumentException("no sim socket " + handle);
        return e.error == null ? null : takeError(e);
    }

    /** Whether a socket has seen the peer's FIN or close. */
    synchronized boolean eof(long handle) {
        return handles.get(handle) instanceof Endpoint e && e.eof;
    }

    /** Open handles (sockets and pipe ends); 0 when everything was closed. */
    synchronized int openHandles() {
        int n = 0;
        for (Map.Entry<Long, Object> h : handles.entrySet()) {
            if (h.getValue() instanceof Endpoint) n++;
            else if (h.getValue() instanceof Pipe p) n += h.getKey() == p.readHandle ? (p.readClosed ? 0 : 1) : (p.writeClosed ? 0 : 1);
        }
        return n;
    }

    synchronized String describe() {
        StringBuilder sb = new StringBuilder("sim poll " + polls + " now " + nowNanos + "ns inflight " + inflight.size() + ":");
        for (Object h : new java.util.LinkedHashSet<>(handles.values())) sb.append("\n  ").append(h instanceof Pipe p ? "pipe " + p.readHandle + "/" + p.writeHandle + " " + p.bytes.size + "/" + p.bytes.data.length : h);
        for (Operation op : inflight) sb.append("\n  pending ").append(op);
        return sb.toString();
    }

    /** The synchronous calls: options (SO_LINGER is kept), shutdown, close, readNow on pipes and sockets. */
    final class SimSockets implements SocketSystem {
        private final Map<String, Object> options = new LinkedHashMap<>();

        @Override
        public long open(Family family, SocketType type, Protocol protocol, boolean nonBlocking) throws SluiceException {
            return openSocket(family, type, protocol);
        }

        @Override
        public long[] pair(Family family, SocketType type, boolean nonBlocking) throws SluiceException {
            return openSocketPair(family, type);
        }

        @Override
        public void bind(long handle, Address address) throws SluiceException {
            throw unsupported("bind");
        }

        @Override
        public void listen(long handle, int backlog) throws SluiceException {
            throw unsupported("listen");
        }

        @Override
        public <T> void setOption(long handle, SocketOption<T> option, T value) throws SluiceException {
            synchronized (SimBackend.this) {
                Endpoint e = endpoint(handle, "setsockopt");
                if (option.equals(SocketOption.LINGER_SECONDS)) e.lingerSeconds = (Integer) value;
                else options.put(handle + "/" + option.name(), value);
            }
        }

        @Override
        public <T> T option(long handle, SocketOption<T> option) throws SluiceException {
            synchronized (SimBackend.this) {
                Endpoint e = endpoint(handle, "getsockopt");
                if (option.equals(SocketOption.LINGER_SECONDS)) return option.type().cast(e.lingerSeconds);
                Object v = options.get(handle + "/" + option.name());
                if (v == null) throw new SluiceException("sim getsockopt " + option.name() + " never set on " + handle, Errno.ENOPROTOOPT, 92);
                return option.type().cast(v);
            }
        }

        @Override
        public Address localAddress(long handle, Family family) {
            return UnixAddress.unnamed();
        }

        @Override
        public Address peerAddress(long handle, Family family) {
            return UnixAddress.unnamed();
        }

        @Override
        public void shutdown(long handle, Shutdown how) throws SluiceException {
            synchronized (SimBackend.this) {
                shutdownNow(endpoint(handle, "shutdown"), how);
            }
        }

        @Override
        public void close(long handle) throws SluiceException {
            synchronized (SimBackend.this) {
                Object h = handles.get(handle);
                if (h instanceof Endpoint e) {
                    doomed.addAll(e.reads);
                    doomed.addAll(e.writes);
                    closeEndpoint(e);
                } else if (h instanceof Pipe p) {
                    if (handle == p.readHandle) p.readClosed = true;
                    else p.writeClosed = true;
                    if (p.readClosed && p.writeClosed) {
                        handles.remove(p.readHandle);
                        handles.remove(p.writeHandle);
                    }
                } else {
                    throw new SluiceException("sim close " + handle, Errno.EBADF, 9);
                }
            }
        }

        @Override
        public int readNow(long handle, MemorySegment dst) throws SluiceException {
            synchronized (SimBackend.this) {
                Object h = handles.get(handle);
                if (h instanceof Pipe p && handle == p.readHandle && !p.readClosed) {
                    if (p.bytes.size == 0) return p.writeClosed ? 0 : -1;
                    int n = (int) Math.min(p.bytes.size, dst.byteSize());
                    p.bytes.take(dst, 0, n);
                    return n;
                }
                Endpoint e = endpoint(handle, "read");
                if (e.rx.size == 0) {
                    Errno empty = readEmpty(e);
                    if (empty == null) return 0;
                    if (empty == Errno.EAGAIN) return -1;
                    throw new SluiceException("sim read " + handle, empty, linuxNumber(empty));
                }
                int n = (int) Math.min(e.rx.size, dst.byteSize());
                e.rx.take(dst, 0, n);
                return n;
            }
        }

        @Override
        public long[] pipe(int capacityBytes) throws SluiceException {
            return openPipe(capacityBytes);
        }

        @Override
        public List<Address> resolve(String host, String service, Family familyOrNull, SocketType typeOrNull) throws SluiceException {
            throw unsupported("resolve");
        }

        @Override
        public String hostname() {
            return "sim";
        }

        @Override
        public String reverse(Address address) throws SluiceException {
            throw unsupported("reverse");
        }

        private Endpoint endpoint(long handle, String what) throws SluiceException {
            if (handles.get(handle) instanceof Endpoint e) return e;
            throw new SluiceException("sim " + what + " " + handle, Errno.EBADF, 9);
        }

        private static SluiceException unsupported(String what) {
            return new SluiceException("sim " + what, Errno.EOPNOTSUPP, 95);
        }
    }

    /** Registered as "sim" beside "fake"; selected by name only (priority 0). */
    public static final class Provider implements BackendProvider {
        @Override
        public String name() {
            return "sim";
        }

        @Override
        public int priority() {
            return 0;
        }

        @Override
        public Probe probe() {
            return Probe.available("simulated in memory, seeded");
        }

        @Override
        public SocketSystem sockets() {
            throw new UnsupportedOperationException("the sim's sockets live in one ring's backend");
        }

        @Override
        public Backend open(RingConfig config) {
            Faults f = NEXT.get();
            return new SimBackend(f != null ? f : Faults.none(0));
        }
    }
}
