package dev.sluice.posix.readiness;

import dev.sluice.Capabilities;
import dev.sluice.Errno;
import dev.sluice.Family;
import dev.sluice.Feature;
import dev.sluice.Op;
import dev.sluice.Protocol;
import dev.sluice.RingConfig;
import dev.sluice.Shutdown;
import dev.sluice.Socket;
import dev.sluice.SluiceException;
import dev.sluice.SocketType;
import dev.sluice.Support;
import dev.sluice.posix.SplicePump;
import dev.sluice.spi.Backend;
import dev.sluice.spi.BufferGroup;
import dev.sluice.spi.Operation;
import dev.sluice.spi.SocketSystem;
import java.util.EnumMap;
import java.util.Set;

/**
 * Completion semantics over a readiness {@link Poller}, the way TigerBeetle's kqueue backend does
 * it: each operation first tries its non-blocking syscall; on EAGAIN it waits in its fd's read or
 * write queue until the poller reports the fd ready, then tries again. Poller-agnostic: epoll and
 * kqueue differ only in the {@link Poller} and {@link NonBlockingSockets} given.
 *
 * <p>Rules kept here:
 * <ul>
 *   <li>Nothing completes inside {@link #submit(Operation)}: submissions queue and are first tried
 *       at the next {@link #poll(long)}, so handlers never recurse into submit.</li>
 *   <li>Per-fd FIFO per direction: an operation submitted while others wait on the same direction
 *       queues behind them instead of trying, so two sends on a stream never reorder.</li>
 *   <li>Fairness: a ready fd resumes at most {@link #RESUME_BATCH_MAX} operations per direction per
 *       poll; the rest wait for the next poll (which does not block), so one busy socket cannot
 *       starve the others.</li>
 *   <li>Timers (TIMEOUT, deadlines) live in a {@link TimerHeap} that bounds the poller's wait.</li>
 *   <li>CANCEL ends a waiting operation at once with ECANCELED; it never waits for readiness
 *       (compio issue #345). closeSocket and close end their victims the same way.</li>
 *   <li>EAGAIN and EINTR never reach the user: EAGAIN waits, EINTR retries.</li>
 *   <li>The steady-state send/recv path allocates nothing: queues are intrusive, per-fd state is
 *       created once per fd number, timers are preallocated, events land in fixed arrays.</li>
 * </ul>
 * Owned by one thread; only {@link #wakeup()} may be called from others.
 */
public final class ReadinessBackend implements Backend {
    /** Operations resumed per fd and direction per poll. */
    public static final int RESUME_BATCH_MAX = 16;
    /**
     * How often a connect that got EAGAIN is retried. Non-blocking AF_UNIX connect answers EAGAIN
     * when the listener's backlog is full, and no poller event announces room (the kernel waits on
     * the listener's peer_wait queue, see unix_wait_for_peer in net/unix/af_unix.c), so it polls.
     */
    public static final long CONNECT_RETRY_NANOS = 1_000_000;
    /**
     * Polls in a row that may leave the poller's ready list for a later poll (see skipHarvest):
     * a waiting fd's readiness is harvested at most this many turns late. Default 0: every poll
     * waits. Exact syscall counts of the echo server (docs/bench/echo.md, 2026-11-22 05:45) show
     * that skipping does not lower the waits per message: the harvest moves to the next turn,
     * which has nothing that completed at once and so takes the blocking (libc) wait instead,
     * 0.0098 waits per message at depth 16 with {@code =1} against 0.0073 without.
     */
    public static final int HARVEST_SKIPS_MAX = nonNegative("sluice.readiness.harvestSkipsMax", 0);
    /**
     * Operations that may complete between two harvests when one is skipped (see skipHarvest):
     * a skip delays a ready fd by at most this much work too. Default {@link #RESUME_BATCH_MAX}.
     */
    public static final int HARVEST_SKIP_OPS_MAX = nonNegative("sluice.readiness.harvestSkipOpsMax", RESUME_BATCH_MAX);
    private static final Shutdown[] SHUTDOWNS = Shutdown.values();

    /** Where a pending operation is, in {@link Operation#backendState()}. */
    private enum Where {
        /** Queued by submit, not yet tried. */
        SUBMITTED,
        /** Waiting in its fd's read queue. */
        READING,
        /** Waiting in its fd's write queue. */
        WRITING,
        /** A CONNECT whose connect(2) is under way; in the write queue. */
        CONNECTING,
        /** A TIMEOUT; only in the timer heap. */
        TIMER,
        /** Ended by closeSocket; completes with ECANCELED at the next poll. */
        CANCELLED
    }

    private final Poller poller;
    private final NonBlockingSockets io;
    private final SocketSystem sockets;
    private final Capabilities capabilities;
    private final PollEvents events;
    private final FdTable fds;
    private final TimerHeap timers;
    private final OpQueue submitted = new OpQueue();
    private final OpQueue cancelled = new OpQueue();
    private final long clockBase = System.nanoTime();
    private FdState runnableHead;
    private FdState runnableTail;
    private FdState retryHead;
    private int completions;
    private boolean closed;
    private final int harvestSkipsMax;
    private final int harvestSkipOpsMax;
    /** Polls in a row that left the poller's events for a later one (see {@link #skipHarvest()}). */
    private int harvestsSkipped;
    /** Operations completed since the last harvest (the wait of the last poll that did wait). */
    private int completedSinceHarvest;
    /** Polls that waited in the poller, and polls that skipped it; for tests and diagnostics. */
    private long harvests;
    private long harvestSkips;
    /** The last harvest filled the event array: more events are probably waiting. */
    private boolean harvestFull;
    /** A multishot attempt stopped at its batch limit with the fd still ready. */
    private boolean yielded;
    private final java.util.ArrayList<FreeListGroup> groups = new java.util.ArrayList<>();

    // Platform errno numbers, looked up once.
    private final int eagain;
    private final int eintr;
    private final int einprogress;
    private final int ecanceled;
    private final int etimedout;
    private final int eopnotsupp;
    private final int enoent;
    /** SPLICE_PUMP: socket → pipe → socket rounds on this thread, one completion per burst. */
    private final SplicePump pump;

    /**
     * @param poller       the readiness queue; closed with this backend
     * @param io           the non-blocking socket calls; released with this backend
     * @param sockets      the synchronous calls, for opening sockets
     * @param capabilities what to report, see {@link #capabilities(Set)}
     * @param config       the ring's limits: {@code inflightMax} sizes the timer heap
     */
    public ReadinessBackend(Poller poller, NonBlockingSockets io, SocketSystem sockets, Capabilities capabilities, RingConfig config) {
        this(poller, io, sockets, capabilities, config, HARVEST_SKIPS_MAX, HARVEST_SKIP_OPS_MAX);
    }

    /**
     * With an explicit harvest policy (see {@link #skipHarvest()}); 0 skips never. For tests, which
     * also prove that an unbounded policy would starve a socket.
     */
    ReadinessBackend(Poller poller, NonBlockingSockets io, SocketSystem sockets, Capabilities capabilities, RingConfig config,
                     int harvestSkipsMax, int harvestSkipOpsMax) {
        if (harvestSkipsMax < 0 || harvestSkipOpsMax < 0) {
            throw new IllegalArgumentException("harvestSkipsMax and harvestSkipOpsMax must be >= 0, got " + harvestSkipsMax + " and " + harvestSkipOpsMax);
        }
        this.harvestSkipsMax = harvestSkipsMax;
        this.harvestSkipOpsMax = harvestSkipOpsMax;
        this.poller = poller;
        this.io = io;
        this.sockets = sockets;
        this.capabilities = capabilities;
        this.events = new PollEvents(poller.eventsMax());
        this.fds = new FdTable(256);
        this.timers = new TimerHeap(config.inflightMax());
        eagain = io.number(Errno.EAGAIN);
        eintr = io.number(Errno.EINTR);
        einprogress = io.number(Errno.EINPROGRESS);
        ecanceled = io.number(Errno.ECANCELED);
        etimedout = io.number(Errno.ETIMEDOUT);
        eopnotsupp = io.number(Errno.EOPNOTSUPP);
        enoent = io.number(Errno.ENOENT);
        pump = new SplicePump(this::spliceRetrying, eagain, io::portable);
    }

    private static int nonNegative(String property, int defaultValue) {
        int value = Integer.getInteger(property, defaultValue);
        if (value < 0) throw new IllegalArgumentException("-D" + property + " must be >= 0, got " + value);
        return value;
    }

    private long spliceRetrying(int in, int out, long length) {
        long r;
        do r = io.splice(in, out, length); while (r == -eintr);
        return r;
    }

    @Override
    public boolean splicePump() {
        return capabilities.support(Op.SPLICE) != Support.UNSUPPORTED;
    }

    /**
     * Every operation emulated (readiness plus a syscall), plus {@code features}. SPLICE only when
     * {@code features} has {@link Feature#SPLICE}: the platform's {@link NonBlockingSockets#splice}
     * and {@link SocketSystem#pipe} work.
     */
    public static Capabilities capabilities(Set<Feature> features) {
        EnumMap<Op, Support> ops = new EnumMap<>(Op.class);
        for (Op op : Op.values()) ops.put(op, Support.EMULATED);
        if (!features.contains(Feature.SPLICE)) ops.put(Op.SPLICE, Support.UNSUPPORTED);
        return new Capabilities(ops, features);
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public SocketSystem sockets() {
        return sockets;
    }

    @Override
    public long openSocket(Family family, SocketType type, Protocol protocol) throws SluiceException {
        return sockets.open(family, type, protocol, true);
    }

    @Override
    public long[] openSocketPair(Family family, SocketType type) throws SluiceException {
        return sockets.pair(family, type, true);
    }

    /** A non-blocking pipe: splice(2) with SPLICE_F_NONBLOCK never waits on it, the socket side does. */
    @Override
    public long[] openPipe(int capacityBytes) throws SluiceException {
        if (capabilities.support(Op.SPLICE) == Support.UNSUPPORTED) return Backend.super.openPipe(capacityBytes);
        return sockets.pipe(capacityBytes);
    }

    /** Multishot receives take their buffers from a free list; see {@link FreeListGroup}. */
    @Override
    public BufferGroup openBufferGroup(int count, int size) {
        if (closed) throw new IllegalStateException("backend is closed");
        FreeListGroup g = new FreeListGroup(this, count, size);
        groups.add(g);
        return g;
    }

    void groupClosed(FreeListGroup g) {
        groups.remove(g);
    }

    /** A buffer came back: the fd's parked multishot receive tries again at the next poll. */
    void pokeReader(int fd) {
        FdState s = fds.get(fd);
        if (s == null || !s.registered || s.isEmpty(FdState.READ)) return;
        s.readReady = true;
        s.readDrained = false;
        markRunnable(s);
    }

    // Submission.

    @Override
    public void submit(Operation op) {
        if (closed) throw new IllegalStateException("backend is closed; " + op.op() + " not submitted");
        if (op.state() != Operation.State.PENDING) throw new AssertionError(op.op() + " submitted while " + op.state());
        if (op.backendState() != null || op.backendSlot() >= 0) throw new AssertionError(op.op() + " submitted twice");
        Op kind = op.op();
        if (kind == Op.CLOSE) throw new AssertionError("CLOSE never reaches the backend: the ring calls closeSocket");
        // The clock is read only for operations that have a timer: a send or recv without a
        // deadline should not pay for System.nanoTime (two per echoed message).
        if (kind == Op.TIMEOUT) {
            long deadline = op.deadlineNanos() > 0 ? op.deadlineNanos() : Long.MAX_VALUE;
            op.backendState(Where.TIMER);
            timers.add(op, expiry(now(), Math.min(op.timeoutNanos(), deadline)));
            return;
        }
        if (op.deadlineNanos() > 0) timers.add(op, expiry(now(), op.deadlineNanos()));
        if (waitsToRead(op) && waitNow(op)) return;
        op.backendState(Where.SUBMITTED);
        submitted.add(op);
    }

    /** Whether {@link #start} would hand {@code op} to {@link #tryOrWait} as a read. */
    private boolean waitsToRead(Operation op) {
        return switch (op.op()) {
            case ACCEPT, RECV, RECVMSG, RECVFROM, RECV_FDS, ACCEPT_MULTISHOT, RECV_MULTISHOT -> true;
            case SPLICE -> capabilities.support(Op.SPLICE) != Support.UNSUPPORTED && op.flags() != Operation.SPLICE_PIPE_TO_SOCKET;
            default -> false;
        };
    }

    /**
     * A read on a registered fd whose receive queue the last read proved empty ({@code readDrained})
     * would not be tried at the next poll either: {@link #tryOrWait} would put it in the fd's read
     * queue to wait for the next event. Queue it there now, while the handler that submitted it
     * has the operation in cache (in a server the next poll comes after other sockets' syscalls,
     * whose kernel work evicts it): the echo server's receive then costs one cache miss (the fd's
     * state) instead of two in a chain at the next poll. Nothing is tried or completed here, and
     * the per-fd order holds: a read of this fd waiting in {@link #submitted} was put there when
     * the fd was unregistered or not drained, and only a poll registers an fd or sets readDrained,
     * after it has started everything in {@link #submitted}.
     */
    private boolean waitNow(Operation op) {
        long handle = op.handle();
        FdState s = handle >= 0 && handle <= FdTable.FD_MAX ? fds.get((int) handle) : null;
        if (s == null || !s.registered || !s.readDrained) return false;
        op.backendState(Where.READING);
        s.add(FdState.READ, op);
        return true;
    }

    // The loop.

    @Override
    public int poll(long timeoutNanos) throws SluiceException {
        if (closed) throw new IllegalStateException("backend is closed");
        completions = 0;
        for (Operation op; (op = cancelled.poll()) != null; ) failWith(op, Errno.ECANCELED, ecanceled);
        for (Operation op; (op = submitted.poll()) != null; ) start(op);
        if (skipHarvest()) {
            harvestsSkipped++;
            harvestSkips++;
        } else {
            harvestsSkipped = 0;
            harvests++;
            // What completed before this wait belongs to the window of the previous one.
            completedSinceHarvest = -completions;
            int n = poller.wait(waitNanos(timeoutNanos), events);
            harvestFull = n == events.capacity();
            for (int i = 0; i < n; i++) ready(events.token(i), events.flags(i));
        }
        if (retryHead != null) retryConnects();
        runReadyFds();
        expireTimers();
        completedSinceHarvest += completions;
        return completions;
    }

    /**
     * Whether this poll may leave the poller's ready list for the next one, saving a
     * non-blocking epoll_wait. All of these must hold:
     * <ul>
     *   <li>the submissions of this poll already completed something, so the ring runs their
     *       handlers and comes straight back: a skip never turns into a blocking wait, and the
     *       wait it saves would not have blocked either;</li>
     *   <li>fewer than {@link #harvestSkipsMax} polls in a row skipped: an fd whose readiness
     *       sits in the kernel's ready list is harvested at most that many turns late, however
     *       busy other sockets keep the loop (edge-triggered events stay queued until harvested,
     *       so none is lost);</li>
     *   <li>at most {@link #harvestSkipOpsMax} operations completed since the last harvest,
     *       counting this poll's: the delay a skip adds is bounded by that much work too, so
     *       turns that ran many syscalls (each one µs or more of kernel time) harvest as before;</li>
     *   <li>the last harvest did not fill the event array (more events are probably waiting).</li>
     * </ul>
     * A request/response loop alternates between turns where receives complete and turns where
     * the sends they submitted complete at once; with {@code harvestSkipsMax=1} a light turn pair
     * harvests once, like a Selector loop serving all its ready keys per select. It is off by
     * default because the saved wait comes back one turn later (see {@link #HARVEST_SKIPS_MAX}).
     */
    private boolean skipHarvest() {
        return completions > 0 && harvestsSkipped < harvestSkipsMax && !harvestFull
                && completedSinceHarvest + completions <= harvestSkipOpsMax;
    }

    /** Polls that waited in the poller since open (non-blocking or not). */
    long harvests() {
        return harvests;
    }

    /** Polls that left the poller's ready list for a later poll since open. */
    long harvestSkips() {
        return harvestSkips;
    }

    private long waitNanos(long timeoutNanos) {
        if (completions > 0 || runnableHead != null) return 0;
        long wait = timeoutNanos;
        long next = timers.nextExpiry();
        if (next != Long.MAX_VALUE) {
            long until = Math.max(0, next - now());
            if (wait < 0 || until < wait) wait = until;
        }
        if (retryHead != null && (wait < 0 || wait > CONNECT_RETRY_NANOS)) wait = CONNECT_RETRY_NANOS;
        return wait;
    }

    @Override
    public void wakeup() {
        poller.wakeup();
    }

    private void start(Operation op) {
        switch (op.op()) {
            case NOP -> succeed(op, 0);
            case ACCEPT, RECV, RECVMSG, RECVFROM, RECV_FDS, ACCEPT_MULTISHOT, RECV_MULTISHOT -> tryOrWait(op, true);
            case CONNECT, SEND, SENDMSG, SENDTO, SEND_FDS -> tryOrWait(op, false);
            case SHUTDOWN -> shutdown(op);
            case CANCEL -> cancel(op);
            case SPLICE -> {
                if (capabilities.support(Op.SPLICE) == Support.UNSUPPORTED) failWith(op, Errno.EOPNOTSUPP, eopnotsupp);
                else tryOrWait(op, op.flags() != Operation.SPLICE_PIPE_TO_SOCKET);
            }
            case CLOSE, TIMEOUT -> throw new AssertionError(op.op() + " in the submission queue");
        }
    }

    /** Tries {@code op} now unless others wait ahead of it on the same fd and direction. */
    private void tryOrWait(Operation op, boolean read) {
        FdState s = prepareFd(op);
        if (s == null) return;
        yielded = false;
        if (s.isEmpty(read) && !(read && s.readDrained) && attempt(op, s)) return;
        if (op.backendState() != Where.CONNECTING) op.backendState(read ? Where.READING : Where.WRITING);
        s.add(read, op);
        if (yielded) {
            // A multishot operation stopped at its batch limit: go on at the next poll.
            s.readReady = true;
            markRunnable(s);
        }
    }

    /** The fd's state, registered with the poller and non-blocking; null after failing {@code op}. */
    private FdState prepareFd(Operation op) {
        long handle = op.handle();
        if (handle < 0 || handle > FdTable.FD_MAX) throw new AssertionError(op.op() + " without a valid socket handle: " + handle);
        FdState s = fds.getOrCreate((int) handle);
        if (s.registered) return s;
        if (!s.nonBlocking) {
            // Sockets we opened or accepted are non-blocking already; adopted ones (SCM_RIGHTS) may not be.
            int r = io.setNonBlocking(s.fd);
            if (r < 0) {
                failNative(op, -r);
                return null;
            }
            s.nonBlocking = true;
        }
        int r = poller.register(s.fd, s.token());
        if (r < 0) {
            failNative(op, -r);
            return null;
        }
        s.registered = true;
        Family family = op.socket().family();
        s.tcp = op.socket().type().isStream() && (family.equals(Family.INET) || family.equals(Family.INET6));
        return s;
    }

    /**
     * Runs the operation's syscall once (retrying EINTR) and completes it, unless the fd is not
     * ready. Returns true when completed. Never called while {@code op} is linked in a queue, since
     * completing clears its link.
     */
    private boolean attempt(Operation op, FdState s) {
        int fd = s.fd;
        long r;
        switch (op.op()) {
            case ACCEPT -> {
                do r = io.accept(fd); while (r == -eintr);
                if (r >= 0) {
                    // accept4 set O_NONBLOCK, and the number was free, so any old state of it was reset.
                    fds.getOrCreate((int) r).nonBlocking = true;
                    detach(op);
                    op.completeAccept(r);
                    completions++;
                    return true;
                }
            }
            case RECV -> {
                do r = io.recv(fd, op.bufferAddress(), op.bufferLength()); while (r == -eintr);
                // A short read on TCP emptied the receive queue, and later data raises an edge.
                // Not after EOF (0) or once a FIN, urgent data or an error was reported: recv stops
                // short before a pending FIN or urgent mark, whose edge was already consumed. Not
                // on AF_UNIX: a stream read also stops at a message that carries fds.
                if (r > 0 && s.tcp && !s.shortReadsUnreliable && r < op.bufferLength()) s.readDrained = true;
            }
            case SEND -> {
                do r = io.send(fd, op.bufferAddress(), op.bufferLength()); while (r == -eintr);
            }
            case SPLICE -> {
                // Waits in the socket's read queue (socket to pipe) or write queue (pipe to socket).
                // The pipe is private to the caller (Join fills an empty pipe and drains what it
                // holds), so EAGAIN means the socket side is not ready. A pipe that is full (or
                // empty) anyway also answers EAGAIN and then waits for the socket's next edge:
                // slow, never a busy loop. No readDrained shortcut: a short splice may have
                // stopped at the pipe's capacity, not at the end of the socket's queue.
                if (op.flags() == Operation.SPLICE_PUMP) return attemptPump(op);
                int len = (int) Math.min(op.spliceLength(), Integer.MAX_VALUE);
                int pipe = (int) op.spliceHandle();
                do {
                    r = op.flags() == Operation.SPLICE_SOCKET_TO_PIPE ? io.splice(fd, pipe, len) : io.splice(pipe, fd, len);
                } while (r == -eintr);
                if (r == -eagain) return false;
            }
            case CONNECT -> {
                return attemptConnect(op, s);
            }
            case ACCEPT_MULTISHOT -> {
                return attemptAcceptMultishot(op, s);
            }
            case RECV_MULTISHOT -> {
                return attemptRecvMultishot(op, s);
            }
            case SENDMSG, RECVMSG, SENDTO, RECVFROM, SEND_FDS, RECV_FDS -> {
                do r = io.transferMessage(op); while (r == -eintr);
                if (r >= 0) {
                    detach(op);
                    io.completeMessage(op, (int) r);
                    completions++;
                    return true;
                }
            }
            default -> throw new AssertionError(op.op() + " has no readiness syscall");
        }
        if (r == -eagain) {
            if (isRead(op.op())) s.readDrained = true;
            return false;
        }
        if (r >= 0) succeed(op, (int) r);
        else failNative(op, (int) -r);
        return true;
    }

    /**
     * connect(2) first; EINPROGRESS (and EINTR, after which the connect goes on in the background,
     * see connect(2)) waits for writability; then SO_ERROR says how it ended.
     */
    private boolean attemptConnect(Operation op, FdState s) {
        int r;
        if (op.backendState() != Where.CONNECTING) {
            r = io.connect(s.fd, op.address());
            if (r == -einprogress || r == -eintr) {
                op.backendState(Where.CONNECTING);
                return false;
            }
            if (r == -eagain) {
                retryLater(s);
                return false;
            }
        } else {
            r = io.connectResult(s.fd);
            if (r == -einprogress) return false;
        }
        if (r >= 0) succeed(op, 0);
        else failNative(op, -r);
        return true;
    }

    /**
     * Accepts what the backlog holds, reporting each connection and staying queued; at most
     * {@link #RESUME_BATCH_MAX} per turn, so a flood of connections cannot starve other fds.
     * Returns true only when the operation ended (an error such as EMFILE).
     */
    private boolean attemptAcceptMultishot(Operation op, FdState s) {
        for (int i = 0; i < RESUME_BATCH_MAX; i++) {
            long r;
            do r = io.accept(s.fd); while (r == -eintr);
            if (r == -eagain) {
                s.readDrained = true;
                return false;
            }
            if (r < 0) {
                failNative(op, (int) -r);
                return true;
            }
            fds.getOrCreate((int) r).nonBlocking = true;
            op.more(0, r);
            // A result to deliver: poll() must not block after it (see waitNanos).
            completions++;
        }
        yielded = true;
        return false;
    }

    /**
     * Receives into pool buffers while data is there, reporting each; at most
     * {@link #RESUME_BATCH_MAX} receives per turn. With no free buffer the operation stays parked
     * (never ENOBUFS to the user) until {@link FreeListGroup#recycle} pokes it. Returns true only
     * when the operation ended: end of stream or an error.
     */
    private boolean attemptRecvMultishot(Operation op, FdState s) {
        FreeListGroup g = (FreeListGroup) op.bufferGroup();
        for (int i = 0; i < RESUME_BATCH_MAX; i++) {
            int id = g.take();
            if (id < 0) {
                g.starved(s.fd);
                return false;
            }
            long r;
            do r = io.recv(s.fd, g.buffer(id).address(), g.size()); while (r == -eintr);
            if (r <= 0) {
                g.recycle(id);
                if (r == -eagain) {
                    s.readDrained = true;
                    return false;
                }
                if (r == 0) succeed(op, 0);
                else failNative(op, (int) -r);
                return true;
            }
            op.more((int) r, id);
            completions++;
            // The same short-read rule as RECV: the queue is empty now, the next data raises an edge.
            if (s.tcp && !s.shortReadsUnreliable && r < g.size()) {
                s.readDrained = true;
                return false;
            }
        }
        yielded = true;
        return false;
    }

    /** SPLICE_PUMP, waiting in the source socket's read queue; the other socket is made non-blocking here. */
    private boolean attemptPump(Operation op) {
        Socket to = op.spliceTo();
        if (!to.isOpen()) {
            failNative(op, ecanceled);
            return true;
        }
        int toFd = (int) to.handle();
        FdState t = fds.getOrCreate(toFd);
        if (!t.nonBlocking) {
            int r = io.setNonBlocking(toFd);
            if (r < 0) {
                failNative(op, -r);
                return true;
            }
            t.nonBlocking = true;
        }
        int r = pump.run(op);
        if (r == -eagain) return false;
        if (r >= 0) succeed(op, r);
        else failNative(op, -r);
        return true;
    }

    private static boolean isRead(Op op) {
        return switch (op) {
            case ACCEPT, RECV, RECVMSG, RECVFROM, RECV_FDS, ACCEPT_MULTISHOT, RECV_MULTISHOT -> true;
            default -> false;
        };
    }

    private void shutdown(Operation op) {
        int flags = op.flags();
        if (flags < 0 || flags >= SHUTDOWNS.length) throw new AssertionError("SHUTDOWN with how=" + flags);
        int r;
        do r = io.shutdown((int) op.handle(), SHUTDOWNS[flags]); while (r == -eintr);
        if (r < 0) {
            failNative(op, -r);
            return;
        }
        // Ops parked on this fd now see EOF or EPIPE from their own syscall; retry them rather
        // than rely on the kernel raising an edge for a local shutdown.
        FdState s = fds.get((int) op.handle());
        if (s != null && s.registered) {
            s.readDrained = false;
            s.readReady = true;
            s.writeReady = true;
            markRunnable(s);
        }
        succeed(op, 0);
    }

    // Readiness.

    private void ready(long token, int flags) {
        FdState s = fds.get(FdState.fdOf(token));
        // An event for an earlier life of this fd number, delivered before we unregistered it.
        if (s == null || !s.registered || s.generation != FdState.generationOf(token)) return;
        // Errors and hang-ups wake both directions: the syscall reports what happened.
        if ((flags & (PollEvents.READABLE | PollEvents.ERROR | PollEvents.HANGUP)) != 0) {
            s.readReady = true;
            s.readDrained = false;
        }
        if ((flags & (PollEvents.PEER_CLOSED | PollEvents.URGENT | PollEvents.ERROR | PollEvents.HANGUP)) != 0) {
            s.shortReadsUnreliable = true;
        }
        if ((flags & (PollEvents.WRITABLE | PollEvents.ERROR | PollEvents.HANGUP)) != 0) s.writeReady = true;
        markRunnable(s);
    }

    private void markRunnable(FdState s) {
        if (s.runnable) return;
        s.runnable = true;
        if (runnableTail == null) runnableHead = s;
        else runnableTail.nextRunnable = s;
        runnableTail = s;
    }

    /** Runs each ready fd once; fds that still have ready work go to the next poll. */
    private void runReadyFds() {
        FdState s = runnableHead;
        runnableHead = runnableTail = null;
        while (s != null) {
            FdState next = s.nextRunnable;
            s.nextRunnable = null;
            s.runnable = false;
            if (s.readReady) s.readReady = resume(s, FdState.READ);
            if (s.writeReady) s.writeReady = resume(s, FdState.WRITE);
            if (s.readReady || s.writeReady) markRunnable(s);
            s = next;
        }
    }

    /**
     * Resumes up to {@link #RESUME_BATCH_MAX} operations from the head of the fd's queue for the direction.
     *
     * @return true when the batch ran out with work left, so the fd is probably still ready
     */
    private boolean resume(FdState s, boolean read) {
        for (int i = 0; i < RESUME_BATCH_MAX; i++) {
            Operation op = s.poll(read);
            if (op == null) return false;
            yielded = false;
            if (!attempt(op, s)) {
                s.addFirst(read, op);
                // A multishot operation that stopped at its batch limit: the fd is still ready.
                return yielded;
            }
        }
        return !s.isEmpty(read);
    }

    private void retryLater(FdState s) {
        if (s.retrying) return;
        s.retrying = true;
        s.nextRetry = retryHead;
        retryHead = s;
    }

    private void retryConnects() {
        FdState s = retryHead;
        retryHead = null;
        while (s != null) {
            FdState next = s.nextRetry;
            s.nextRetry = null;
            s.retrying = false;
            if (s.registered) {
                s.writeReady = true;
                markRunnable(s);
            }
            s = next;
        }
    }

    // Timers.

    private long now() {
        return System.nanoTime() - clockBase;
    }

    private static long expiry(long now, long nanos) {
        return now + Math.min(nanos, Long.MAX_VALUE / 2);
    }

    private void expireTimers() {
        if (timers.size() == 0) return;
        long now = now();
        for (Operation op; (op = timers.pollExpired(now)) != null; ) {
            if (op.op() == Op.TIMEOUT) {
                boolean deadlineFirst = op.deadlineNanos() > 0 && op.deadlineNanos() < op.timeoutNanos();
                if (deadlineFirst) failWith(op, Errno.ETIMEDOUT, etimedout);
                else succeed(op, 0);
            } else {
                unlink(op);
                failWith(op, Errno.ETIMEDOUT, etimedout);
            }
        }
    }

    // Cancellation.

    private void cancel(Operation cancel) {
        Operation target = cancel.target();
        boolean ours = target != null && target.state() == Operation.State.PENDING && target.backendState() instanceof Where;
        if (!ours) {
            failWith(cancel, Errno.ENOENT, enoent);
            return;
        }
        if (target.backendState() != Where.CANCELLED) {
            unlink(target);
            failWith(target, Errno.ECANCELED, ecanceled);
        }
        succeed(cancel, 0);
    }

    /** Takes a pending operation out of whichever queue holds it (not out of the timer heap). */
    private void unlink(Operation op) {
        Where where = (Where) op.backendState();
        boolean found = switch (where) {
            case SUBMITTED -> submitted.remove(op);
            case READING -> fds.get((int) op.handle()).remove(FdState.READ, op);
            case WRITING, CONNECTING -> fds.get((int) op.handle()).remove(FdState.WRITE, op);
            case CANCELLED -> cancelled.remove(op);
            case TIMER -> true;
        };
        if (!found) throw new AssertionError(op.op() + " marked " + where + " but not queued there");
    }

    @Override
    public void closeSocket(long handle) throws SluiceException {
        if (closed) throw new IllegalStateException("backend is closed");
        if (handle < 0 || handle > FdTable.FD_MAX) throw new IllegalArgumentException("not a socket handle: " + handle);
        int fd = (int) handle;
        // Submitted but not yet tried: after close(2) the number may name another file.
        for (int i = submitted.size(); i > 0; i--) {
            Operation op = submitted.poll();
            if (op.handle() == handle) toCancelled(op);
            else submitted.add(op);
        }
        FdState s = fds.get(fd);
        if (s != null) {
            for (Operation op; (op = s.poll(FdState.READ)) != null; ) toCancelled(op);
            for (Operation op; (op = s.poll(FdState.WRITE)) != null; ) toCancelled(op);
            if (s.registered) poller.unregister(fd);
            s.reset();
        }
        int r = io.close(fd);
        if (r < 0) throw new SluiceException("close fd " + fd, io.portable(-r), -r);
    }

    private void toCancelled(Operation op) {
        timers.remove(op);
        op.backendState(Where.CANCELLED);
        cancelled.add(op);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            for (Operation op; (op = cancelled.poll()) != null; ) failWith(op, Errno.ECANCELED, ecanceled);
            for (Operation op; (op = submitted.poll()) != null; ) failWith(op, Errno.ECANCELED, ecanceled);
            for (int i = 0; i < fds.capacity(); i++) {
                FdState s = fds.at(i);
                if (s == null) continue;
                for (Operation op; (op = s.poll(FdState.READ)) != null; ) failWith(op, Errno.ECANCELED, ecanceled);
                for (Operation op; (op = s.poll(FdState.WRITE)) != null; ) failWith(op, Errno.ECANCELED, ecanceled);
            }
            // What is left holds only a timer: TIMEOUT operations.
            for (Operation op; (op = timers.pollAny()) != null; ) failWith(op, Errno.ECANCELED, ecanceled);
        } finally {
            poller.close();
            io.release();
        }
    }

    // Completing. Every completion goes through here: the timer goes first, since completing clears the slot.

    private void detach(Operation op) {
        timers.remove(op);
    }

    private void succeed(Operation op, int value) {
        detach(op);
        op.complete(value);
        completions++;
    }

    private void failNative(Operation op, int errno) {
        if (errno == eagain || errno == eintr) throw new AssertionError(op.op() + " would report errno " + errno + " to the user");
        failWith(op, io.portable(errno), errno);
    }

    private void failWith(Operation op, Errno errno, int platformErrno) {
        if (op.op() == Op.SPLICE && op.flags() == Operation.SPLICE_PUMP && op.spliceMoved() > 0) {
            // A pump parked between bursts has delivered bytes: cancelled or closed, it reports them.
            succeed(op, SplicePump.stopped(op, -platformErrno));
            return;
        }
        detach(op);
        op.fail(errno, platformErrno);
        completions++;
    }
}
