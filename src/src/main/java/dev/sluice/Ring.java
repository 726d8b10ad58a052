package dev.sluice;

import dev.sluice.spi.Backend;
import dev.sluice.spi.Operation;
import dev.sluice.spi.SocketSystem;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The completion loop. A ring is owned by one thread; every operation takes a caller-owned
 * {@link Completion} and a {@link Handler}, and reports exactly one result when the kernel has
 * finished it. Handlers run on the owner thread from {@link #tick()} or {@link #run(long)}, never
 * from inside the call that submitted the operation.
 *
 * <p>Three ways to wait, on the same loop:
 * <ul>
 *   <li>callbacks: {@code ring.recv(socket, buffer, completion, handler)}, allocation-free;</li>
 *   <li>futures: {@code ring.recv(socket, buffer)} returns a {@link CompletableFuture};</li>
 *   <li>blocking: {@code socket.recv(buffer)} parks a virtual thread while a ring started with
 *       {@link #start(RingConfig)} does the I/O.</li>
 * </ul>
 * Operations may be submitted from any thread: off the owner thread they are handed over through
 * a queue and the ring is woken. Buffers belong to the kernel until the operation's handler runs.
 */
public final class Ring implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.sluice");
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final Backend backend;
    private final BackendInfo info;
    private final RingConfig config;
    private final Thread owner;
    private final Operation.Sink sink = this::onCompleted;
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupSignalled = new AtomicBoolean();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** How often a thread waiting in close() checks whether the owner thread has ended. */
    private static final long ORPHAN_CHECK_MILLIS = 50;
    /** Set by the one caller that closes the ring after its owner thread ended. */
    private final AtomicBoolean orphanCloser = new AtomicBoolean();

    private Completion completedHead;
    private Completion completedTail;
    private Completion waitingHead;
    private Completion waitingTail;
    private int inflight;
    /** Pools of this ring, closed with it; owner thread only. */
    private final java.util.ArrayList<BufferPool> pools = new java.util.ArrayList<>();
    private boolean background;
    private volatile boolean closeRequested;
    private volatile boolean closed;

    private Ring(Backend backend, BackendInfo info, RingConfig config) {
        this.backend = backend;
        this.info = info;
        this.config = config;
        this.owner = Thread.currentThread();
    }

    /** Opens a ring with default limits, owned by the calling thread. */
    public static Ring open() throws SluiceException {
        return open(RingConfig.DEFAULT);
    }

    /** Opens a ring owned by the calling thread, on the backend the config names or the best available. */
    public static Ring open(RingConfig config) throws SluiceException {
        Objects.requireNonNull(config, "config");
        Backends.Choice choice = Backends.choose(config.backend());
        Backend backend = choice.provider().open(config);
        return new Ring(backend, new BackendInfo(choice.provider().name(), choice.reason(), backend.capabilities()), config);
    }

    /**
     * Opens a ring on a new platform thread of its own that runs its loop until {@link #close()}.
     * This is the form for futures and blocking calls from other threads. Handler exceptions are
     * logged and the loop goes on.
     */
    public static Ring start(RingConfig config) throws SluiceException {
        CompletableFuture<Ring> ready = new CompletableFuture<>();
        Thread.ofPlatform().name("sluice-ring-" + THREAD_IDS.incrementAndGet()).daemon(true).start(() -> {
            Ring ring;
            try {
                ring = open(config);
            } catch (Throwable e) {
                ready.completeExceptionally(e);
                return;
            }
            ring.background = true;
            ready.complete(ring);
            ring.runUntilClosed();
        });
        try {
            return ready.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SluiceException se) throw se;
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException("ring thread failed to start", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting a ring thread", e);
        }
    }

    /** {@link #start(RingConfig)} with default limits. */
    public static Ring start() throws SluiceException {
        return start(RingConfig.DEFAULT);
    }

    /** Which backend runs this ring, why it was chosen, and what it can do. */
    public BackendInfo backend() {
        return info;
    }

    /** What this ring's backend does natively and what it emulates. */
    public Capabilities capabilities() {
        return info.capabilities();
    }

    /** The limits this ring was opened with. */
    public RingConfig config() {
        return config;
    }

    /** The thread that owns this ring and runs its handlers. */
    public Thread owner() {
        return owner;
    }

    /** True on the ring's own thread. */
    public boolean inRingThread() {
        return Thread.currentThread() == owner;
    }

    /** True once closed. */
    public boolean isClosed() {
        return closed;
    }

    // Sockets (synchronous; any thread).

    /** Opens a socket registered with this ring. */
    public Socket openSocket(Family family, SocketType type, Protocol protocol) throws SluiceException {
        checkOpen();
        return register(backend.openSocket(family, type, protocol), family, type, protocol);
    }

    /** Opens a TCP socket of the family (INET or INET6). */
    public Socket openTcp(Family family) throws SluiceException {
        return openSocket(family, SocketType.STREAM, Protocol.TCP);
    }

    /** Opens a UDP socket of the family (INET or INET6). */
    public Socket openUdp(Family family) throws SluiceException {
        return openSocket(family, SocketType.DGRAM, Protocol.UDP);
    }

    /** Opens a Unix socket of the type. */
    public UnixSocket openUnix(SocketType type) throws SluiceException {
        return (UnixSocket) openSocket(Family.UNIX, type, Protocol.DEFAULT);
    }

    /**
     * Opens a listening stream socket on an address: SO_REUSEADDR on IP families, bound, listening
     * with the backlog. Port 0 picks a free port; ask {@link Socket#localAddress()} which.
     */
    public Socket listen(Address address, int backlog) throws SluiceException {
        Protocol protocol = address.family().equals(Family.UNIX) ? Protocol.DEFAULT : Protocol.TCP;
        Socket s = openSocket(address.family(), SocketType.STREAM, protocol);
        try {
            if (!address.family().equals(Family.UNIX)) s.setOption(SocketOption.REUSE_ADDRESS, true);
            s.bind(address);
            s.listen(backlog);
            return s;
        } catch (SluiceException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** A connected pair of Unix sockets of the type (socketpair(2)). */
    public UnixSocket[] socketpair(SocketType type) throws SluiceException {
        checkOpen();
        long[] pair = backend.openSocketPair(Family.UNIX, type);
        return new UnixSocket[] {
            (UnixSocket) register(pair[0], Family.UNIX, type, Protocol.DEFAULT),
            (UnixSocket) register(pair[1], Family.UNIX, type, Protocol.DEFAULT)};
    }

    /**
     * Takes ownership of a handle received from elsewhere (e.g. an fd from {@link #recvFds}) as a
     * socket of this ring. Readiness backends need it non-blocking, so it is switched to that.
     */
    public Socket adopt(long handle, Family family, SocketType type, Protocol protocol) throws SluiceException {
        checkOpen();
        if (handle < 0) throw new IllegalArgumentException("handle must be >= 0, got " + handle);
        return register(handle, family, type, protocol);
    }

    /** Closes a handle that is not a socket of this ring, such as a received fd you will not use. */
    public void closeHandle(long handle) throws SluiceException {
        backend.sockets().close(handle);
    }

    SocketSystem sockets() {
        return backend.sockets();
    }

    private Socket register(long handle, Family family, SocketType type, Protocol protocol) {
        Socket s = family.equals(Family.UNIX) ? new UnixSocket(this, handle, type) : new Socket(this, handle, family, type, protocol);
        sockets.add(s);
        return s;
    }

    void closeSocket(Socket s) {
        if (s.closed) return;
        if (inRingThread() || closed) {
            closeSocketNow(s);
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            execute(() -> {
                closeSocketNow(s);
                done.complete(null);
            });
        } catch (IllegalStateException ringClosed) {
            // The ring closed meanwhile, and closing a ring closes every socket of it: wait for that.
            awaitTermination();
            return;
        }
        try {
            await(done);
        } catch (IOException e) {
            throw new IllegalStateException("closing " + s + " failed", e);
        }
    }

    private void closeSocketNow(Socket s) {
        if (s.closed) return;
        s.closed = true;
        sockets.remove(s);
        try {
            if (closed) backend.sockets().close(s.handle());
            else backend.closeSocket(s.handle());
        } catch (SluiceException e) {
            // close(2) failing leaves nothing to retry (the fd is gone either way on Linux); report it.
            LOG.log(System.Logger.Level.WARNING, "closing " + s + " failed: " + e.getMessage());
        }
    }

    // Operations: callback form.

    /** Accepts one connection; the handler finds it in {@link Completion#accepted()}. */
    public void accept(Socket listener, Completion c, Handler h) {
        checkSocket(listener, "accept");
        c.prepare(sink, Op.ACCEPT, listener, h);
        submit(c);
    }

    /**
     * Accepts connections until cancelled, closed or failed: the handler runs once per connection
     * with {@link Completion#more()} true and the socket in {@link Completion#accepted()}, and a
     * last time with {@code more()} false and the reason (ECANCELED after {@link #cancel}, or an
     * error such as EMFILE). One request serves every connection (io_uring
     * IORING_ACCEPT_MULTISHOT, 5.19+); readiness backends accept in a loop on each readiness.
     * The completion takes no deadline.
     */
    public void acceptMultishot(Socket listener, Completion c, Handler h) {
        checkSocket(listener, "acceptMultishot");
        checkMultishot(Op.ACCEPT_MULTISHOT, c);
        c.prepare(sink, Op.ACCEPT_MULTISHOT, listener, h);
        submit(c);
    }

    /**
     * Receives until end of stream, error or cancel, each time into a buffer the kernel picks from
     * {@code pool}: the handler runs once per arrival with {@link Completion#more()} true,
     * {@link Completion#result()} bytes at the start of {@link Completion#buffer()}; the buffer
     * goes back to the pool when the handler returns unless it {@linkplain Completion#keepBuffer()
     * keeps} it. The last call has {@code more()} false: result 0 at end of stream, or the error
     * (ECANCELED after {@link #cancel}). Stream sockets only. When the pool runs dry the receive
     * waits for a buffer to come back (io_uring's ENOBUFS is handled inside); no byte is lost.
     * io_uring: IORING_RECV_MULTISHOT over a provided-buffer ring (6.0+). No deadline. Owner thread
     * only, like the pool.
     */
    public void recvMultishot(Socket s, BufferPool pool, Completion c, Handler h) {
        checkSocket(s, "recvMultishot");
        Objects.requireNonNull(pool, "pool");
        if (!s.type().isStream()) throw new IllegalArgumentException("recvMultishot needs a stream socket, got " + s.type());
        if (pool.ring() != this) throw new IllegalArgumentException("recvMultishot: the pool belongs to another ring");
        if (pool.isClosed()) throw new IllegalStateException("recvMultishot: the buffer pool is closed");
        checkMultishot(Op.RECV_MULTISHOT, c);
        checkOwner("recvMultishot");
        c.prepare(sink, Op.RECV_MULTISHOT, s, h);
        c.pool(pool);
        pool.users++;
        try {
            submit(c);
        } catch (RuntimeException e) {
            pool.users--;
            throw e;
        }
    }

    private void checkSupported(Op op) {
        if (capabilities().support(op) == Support.UNSUPPORTED) {
            throw new UnsupportedOperationException(info.name() + " does not support " + op);
        }
    }

    private void checkMultishot(Op op, Completion c) {
        checkSupported(op);
        if (c.timeoutSetting() != 0) {
            throw new IllegalArgumentException(op + " takes no deadline (the completion has timeoutNanos " + c.timeoutSetting() + "); cancel it instead");
        }
    }

    /**
     * Opens a pool of {@code count} receive buffers of {@code size} bytes for
     * {@link #recvMultishot}. {@code count} is a power of two up to 32768. Owner thread.
     */
    public BufferPool openBufferPool(int count, int size) throws SluiceException {
        checkOwner("openBufferPool");
        checkOpen();
        dev.sluice.spi.BufferGroup.checkShape(count, size);
        checkSupported(Op.RECV_MULTISHOT);
        BufferPool pool = new BufferPool(this, backend.openBufferGroup(count, size));
        pools.add(pool);
        return pool;
    }

    void closePool(BufferPool pool) {
        pools.remove(pool);
        pool.group.close();
    }

    /** Connects to an address of the socket's family. */
    public void connect(Socket s, Address address, Completion c, Handler h) {
        checkSocket(s, "connect");
        checkFamily(s, address, "connect");
        c.prepare(sink, Op.CONNECT, s, h);
        c.address(address);
        submit(c);
    }

    /** Sends what the kernel takes (at least one byte on a stream; short sends are the caller's to resume). */
    public void send(Socket s, MemorySegment buffer, Completion c, Handler h) {
        checkSocket(s, "send");
        checkBuffer(buffer, !s.type().isStream(), "send");
        c.prepare(sink, Op.SEND, s, h);
        c.buffer(buffer);
        submit(c);
    }

    /**
     * Sends {@code length} bytes of {@code buffer} from {@code offset}: the same as sending a
     * slice, without allocating one.
     */
    public void send(Socket s, MemorySegment buffer, long offset, int length, Completion c, Handler h) {
        checkSocket(s, "send");
        checkWindow(buffer, offset, length, !s.type().isStream(), "send");
        c.prepare(sink, Op.SEND, s, h);
        c.buffer(buffer, offset, length);
        submit(c);
    }

    /** Receives into {@code length} bytes of {@code buffer} from {@code offset}, without a slice. */
    public void recv(Socket s, MemorySegment buffer, long offset, int length, Completion c, Handler h) {
        checkSocket(s, "recv");
        checkWindow(buffer, offset, length, false, "recv");
        c.prepare(sink, Op.RECV, s, h);
        c.buffer(buffer, offset, length);
        submit(c);
    }

    /** Receives into the buffer; result 0 means end of stream. */
    public void recv(Socket s, MemorySegment buffer, Completion c, Handler h) {
        checkSocket(s, "recv");
        checkBuffer(buffer, false, "recv");
        c.prepare(sink, Op.RECV, s, h);
        c.buffer(buffer);
        submit(c);
    }

    /** Gathers the buffers into one send; {@code to} is null on a connected socket. */
    public void sendmsg(Socket s, MemorySegment[] buffers, Address to, Completion c, Handler h) {
        checkSocket(s, "sendmsg");
        checkBuffers(buffers, !s.type().isStream(), "sendmsg");
        if (to != null) checkFamily(s, to, "sendmsg");
        c.prepare(sink, Op.SENDMSG, s, h);
        c.buffers(buffers);
        c.address(to);
        submit(c);
    }

    /** Scatters one receive over the buffers; the sender is in {@link Completion#peer()}. */
    public void recvmsg(Socket s, MemorySegment[] buffers, Completion c, Handler h) {
        checkSocket(s, "recvmsg");
        checkBuffers(buffers, false, "recvmsg");
        c.prepare(sink, Op.RECVMSG, s, h);
        c.buffers(buffers);
        submit(c);
    }

    /** Sends one datagram to an address. */
    public void sendto(Socket s, MemorySegment buffer, Address to, Completion c, Handler h) {
        checkSocket(s, "sendto");
        checkBuffer(buffer, true, "sendto");
        checkFamily(s, Objects.requireNonNull(to, "to"), "sendto");
        c.prepare(sink, Op.SENDTO, s, h);
        c.buffer(buffer);
        c.address(to);
        submit(c);
    }

    /** Receives one datagram; the sender is in {@link Completion#peer()}. */
    public void recvfrom(Socket s, MemorySegment buffer, Completion c, Handler h) {
        checkSocket(s, "recvfrom");
        checkBuffer(buffer, false, "recvfrom");
        c.prepare(sink, Op.RECVFROM, s, h);
        c.buffer(buffer);
        submit(c);
    }

    /**
     * Sends bytes with fds attached (SCM_RIGHTS). At least one data byte is needed on a stream
     * socket for the fds to travel. The fds stay open here; the receiver gets duplicates.
     */
    public void sendFds(UnixSocket s, MemorySegment data, int[] fds, Completion c, Handler h) {
        checkSocket(s, "sendFds");
        checkBuffer(data, false, "sendFds");
        if (fds.length == 0 || fds.length > UnixSocket.FDS_MAX) {
            throw new IllegalArgumentException("sendFds takes 1 to " + UnixSocket.FDS_MAX + " fds, got " + fds.length);
        }
        for (int fd : fds) if (fd < 0) throw new IllegalArgumentException("negative fd in sendFds: " + fd);
        c.prepare(sink, Op.SEND_FDS, s, h);
        c.buffer(data);
        c.fds(fds);
        submit(c);
    }

    /**
     * Receives bytes and up to {@code fdsOut.length} fds, written to {@code fdsOut} with
     * close-on-exec set; their count is {@link Completion#fdCount()}. Fds that did not fit are
     * closed, never leaked, and {@link Completion#controlTruncated()} says so.
     */
    public void recvFds(UnixSocket s, MemorySegment data, int[] fdsOut, Completion c, Handler h) {
        checkSocket(s, "recvFds");
        checkBuffer(data, false, "recvFds");
        if (fdsOut.length == 0 || fdsOut.length > UnixSocket.FDS_MAX) {
            throw new IllegalArgumentException("recvFds takes an array of 1 to " + UnixSocket.FDS_MAX + " fds, got " + fdsOut.length);
        }
        c.prepare(sink, Op.RECV_FDS, s, h);
        c.buffer(data);
        c.fds(fdsOut);
        submit(c);
    }

    /**
     * Ends one or both directions of a connection. Not ordered after sends still in flight on the
     * socket (a send that has not finished may then fail with EPIPE): shut down from the last
     * send's handler.
     */
    public void shutdown(Socket s, Shutdown how, Completion c, Handler h) {
        checkSocket(s, "shutdown");
        c.prepare(sink, Op.SHUTDOWN, s, h);
        c.flags(how.ordinal());
        submit(c);
    }

    /**
     * Closes a socket asynchronously; operations pending on it complete with ECANCELED. The socket
     * counts as closed from this call on.
     */
    public void close(Socket s, Completion c, Handler h) {
        checkSocket(s, "close");
        c.prepare(sink, Op.CLOSE, s, h);
        if (!inRingThread()) {
            // Closing is ordered with the ring's other work; hand it over whole.
            c.state(Operation.State.WAITING);
            handOver(c);
            return;
        }
        closeSocketNow(s);
        c.completeLocally(0);
    }

    /** Completes with result 0 after {@code nanos}. */
    public void timeout(long nanos, Completion c, Handler h) {
        if (nanos < 0) throw new IllegalArgumentException("timeout must be >= 0 ns, got " + nanos);
        c.prepare(sink, Op.TIMEOUT, null, h);
        c.timeout(nanos);
        submit(c);
    }

    /**
     * Cancels {@code target}: it completes with {@link Errno#ECANCELED} unless it finished first.
     * {@code c} completes with 0 when the target was cancelled and {@link Errno#ENOENT} when it was
     * no longer pending. Both complete; a buffer of the target is free only after its own handler.
     */
    public void cancel(Completion target, Completion c, Handler h) {
        Objects.requireNonNull(target, "target");
        if (target == c) throw new IllegalArgumentException("a completion cannot cancel itself");
        c.prepare(sink, Op.CANCEL, null, h);
        c.target(target);
        submit(c);
    }

    /**
     * SPLICE for {@link Join}: moves up to {@code length} bytes between a socket and a pipe end
     * ({@code direction} is {@code Operation.SPLICE_SOCKET_TO_PIPE} or {@code SPLICE_PIPE_TO_SOCKET}).
     */
    void splice(Socket s, long pipeHandle, int direction, int length, Completion c, Handler h) {
        checkSocket(s, "splice");
        if (length <= 0) throw new IllegalArgumentException("splice length must be > 0, got " + length);
        c.prepare(sink, Op.SPLICE, s, h);
        c.flags(direction);
        c.splice(pipeHandle, length);
        submit(c);
    }

    /**
     * SPLICE_PUMP for {@link Join}: from {@code from} into the pipe, and on from the pipe into
     * {@code to}, repeated while both move; see {@code Operation.SPLICE_PUMP}. The pipe must be empty.
     */
    void pump(Socket from, long pipeWrite, long pipeRead, Socket to, int length, Completion c, Handler h) {
        checkSocket(from, "splice");
        checkSocket(to, "splice");
        if (length <= 0) throw new IllegalArgumentException("splice length must be > 0, got " + length);
        c.prepare(sink, Op.SPLICE, from, h);
        c.flags(Operation.SPLICE_PUMP);
        c.splice(pipeWrite, length);
        c.pump(to, pipeRead);
        submit(c);
    }

    /** Whether the backend takes {@link #pump}. */
    boolean canPump() {
        return backend.splicePump();
    }

    /** {@link Join} has stopped splicing on {@code s} (unjoin): the backend restores what it changed for splicing. */
    void spliceDone(Socket s) throws SluiceException {
        if (s.isOpen() && !isClosed()) backend.spliceDone(s.handle());
    }

    /** A pipe for splicing: {read end, write end, capacity granted}. */
    long[] openPipe(int capacityBytes) throws SluiceException {
        checkOpen();
        return backend.openPipe(capacityBytes);
    }

    /** Completes with 0 after one trip through the backend. */
    public void nop(Completion c, Handler h) {
        c.prepare(sink, Op.NOP, null, h);
        submit(c);
    }

    // Operations: future form. Each allocates one completion; callable from any thread.

    public CompletableFuture<Socket> accept(Socket listener) {
        Promise<Socket> p = new Promise<>(Completion::accepted);
        accept(listener, p, p);
        return p.future;
    }

    public CompletableFuture<Void> connect(Socket s, Address address) {
        Promise<Void> p = new Promise<>(c -> null);
        connect(s, address, p, p);
        return p.future;
    }

    public CompletableFuture<Integer> send(Socket s, MemorySegment buffer) {
        Promise<Integer> p = new Promise<>(Completion::result);
        send(s, buffer, p, p);
        return p.future;
    }

    public CompletableFuture<Integer> recv(Socket s, MemorySegment buffer) {
        Promise<Integer> p = new Promise<>(Completion::result);
        recv(s, buffer, p, p);
        return p.future;
    }

    public CompletableFuture<Integer> sendmsg(Socket s, MemorySegment[] buffers, Address to) {
        Promise<Integer> p = new Promise<>(Completion::result);
        sendmsg(s, buffers, to, p, p);
        return p.future;
    }

    public CompletableFuture<Received> recvmsg(Socket s, MemorySegment[] buffers) {
        Promise<Received> p = new Promise<>(Received::of);
        recvmsg(s, buffers, p, p);
        return p.future;
    }

    public CompletableFuture<Integer> sendto(Socket s, MemorySegment buffer, Address to) {
        Promise<Integer> p = new Promise<>(Completion::result);
        sendto(s, buffer, to, p, p);
        return p.future;
    }

    public CompletableFuture<Received> recvfrom(Socket s, MemorySegment buffer) {
        Promise<Received> p = new Promise<>(Received::of);
        recvfrom(s, buffer, p, p);
        return p.future;
    }

    public CompletableFuture<Integer> sendFds(UnixSocket s, MemorySegment data, int[] fds) {
        Promise<Integer> p = new Promise<>(Completion::result);
        sendFds(s, data, fds, p, p);
        return p.future;
    }

    public CompletableFuture<Received> recvFds(UnixSocket s, MemorySegment data, int[] fdsOut) {
        Promise<Received> p = new Promise<>(Received::of);
        recvFds(s, data, fdsOut, p, p);
        return p.future;
    }

    public CompletableFuture<Void> shutdown(Socket s, Shutdown how) {
        Promise<Void> p = new Promise<>(c -> null);
        shutdown(s, how, p, p);
        return p.future;
    }

    public CompletableFuture<Void> timeout(long nanos) {
        Promise<Void> p = new Promise<>(c -> null);
        timeout(nanos, p, p);
        return p.future;
    }

    /**
     * A future of this ring. Waiting for it on the ring's own thread could never end (the loop
     * that would complete it is the one waiting), so get() and join() there fail at once instead.
     */
    final class RingFuture<T> extends CompletableFuture<T> {
        @Override
        public T get() throws InterruptedException, ExecutionException {
            refuseOwnThread();
            return super.get();
        }

        @Override
        public T get(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
            refuseOwnThread();
            return super.get(timeout, unit);
        }

        @Override
        public T join() {
            refuseOwnThread();
            return super.join();
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new RingFuture<>();
        }

        private void refuseOwnThread() {
            if (!isDone() && inRingThread()) {
                throw new IllegalStateException("waiting for a future of this ring on the ring's own thread would never end; "
                        + "run the loop instead (ring.runUntil(future::isDone, timeout)) or use callbacks");
            }
        }
    }

    /** A future that completes on the ring thread. */
    final class Promise<T> extends Completion implements Handler {
        final CompletableFuture<T> future = new RingFuture<>();
        private final Function<Completion, T> value;

        Promise(Function<Completion, T> value) {
            this.value = value;
        }

        @Override
        public void completed(Completion c) {
            if (c.ok()) future.complete(value.apply(c));
            else future.completeExceptionally(c.exception());
        }
    }

    // The loop.

    /** Submits what is queued and runs the handlers of what has completed, without waiting. */
    public void tick() throws SluiceException {
        checkOwner("tick");
        loopOnce(0);
    }

    /** Runs the loop for {@code timeoutNanos}, or until {@link #close()}. */
    public void run(long timeoutNanos) throws SluiceException {
        runUntil(() -> false, timeoutNanos);
    }

    /**
     * Runs the loop until {@code done} is true, the timeout passes, or the ring is closed.
     * {@code done} is checked after each turn of the loop, and a turn ends when something
     * completes: a condition that another thread makes true does not end the wait by itself
     * (that thread can call {@link #wakeup()}).
     *
     * @return {@code done}'s final value
     */
    public boolean runUntil(BooleanSupplier done, long timeoutNanos) throws SluiceException {
        checkOwner("runUntil");
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        if (deadline < 0 && timeoutNanos > 0) deadline = Long.MAX_VALUE;
        while (!closed && !done.getAsBoolean()) {
            if (closeRequested) {
                close();
                break;
            }
            // Without a deadline (runUntilClosed) the clock is not read: one vDSO call per turn saved.
            long remaining = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (remaining <= 0) break;
            loopOnce(remaining);
        }
        return done.getAsBoolean();
    }

    /** Runs the loop until the ring is closed (from a handler or another thread). */
    public void runUntilClosed() {
        checkOwner("runUntilClosed");
        while (!closed) {
            try {
                runUntil(() -> false, Long.MAX_VALUE);
            } catch (Throwable e) {
                if (!background) throw sneaky(e);
                LOG.log(System.Logger.Level.WARNING, "handler failed on " + owner.getName() + "; the ring goes on", e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
        throw (E) e;
    }

    private void loopOnce(long waitNanos) throws SluiceException {
        // A task handed over by execute() may have made the caller's condition true: do not block then.
        boolean ranTask = drainInbox();
        promoteWaiting();
        // No deadline is "forever" to the backend (< 0), not a 292-year timeout it would arm a timer for.
        long wait = ranTask || completedHead != null || !inbox.isEmpty() ? 0 : waitNanos == Long.MAX_VALUE ? -1 : waitNanos;
        backend.poll(wait);
        dispatch();
    }

    /** Makes the loop turn soon, e.g. after another thread changed what a runUntil condition reads. Any thread. */
    public void wakeup() {
        if (!wakeupSignalled.getAndSet(true)) backend.wakeup();
    }

    /** Runs {@code task} on the ring's thread at its next turn. Any thread. */
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (closed) throw new IllegalStateException("ring is closed");
        handOver(task);
    }

    private void handOver(Object item) {
        inbox.offer(item);
        if (closed && inbox.remove(item)) throw new IllegalStateException("ring is closed");
        // One wakeup per batch of hand-overs: the loop clears the flag before it drains the inbox.
        if (!wakeupSignalled.getAndSet(true)) backend.wakeup();
    }

    /** Runs handed-over tasks and submits handed-over operations; true when a task ran. */
    private boolean drainInbox() {
        // Clear the flag before draining, so a hand-over after the drain signals again. Read it
        // first: it is usually clear already, and a volatile store costs a full fence per turn.
        if (wakeupSignalled.get()) wakeupSignalled.set(false);
        boolean ranTask = false;
        Object item;
        while ((item = inbox.poll()) != null) {
            if (item instanceof Runnable task) {
                ranTask = true;
                task.run();
                continue;
            }
            Completion c = (Completion) item;
            c.state(Operation.State.IDLE);
            if (closed || closeRequested) {
                c.failLocally(Errno.ECANCELED);
            } else if (c.op() == Op.CLOSE) {
                closeSocketNow(c.socket());
                c.completeLocally(0);
            } else if (c.socket() != null && c.socket().closed) {
                c.failLocally(Errno.EBADF);
            } else {
                submitNow(c);
            }
        }
        return ranTask;
    }

    private void submit(Completion c) {
        if (closed || closeRequested) {
            // A handler that runs while the ring closes (its operation was cancelled, or had completed
            // just before) cannot know that the ring is closing: its next operation ends with
            // ECANCELED like everything else. Once: a handler that resubmits again is a retry loop
            // that would never let close() finish.
            if (inRingThread() && terminated.getCount() != 0 && c.refusedByClose != this) {
                c.refusedByClose = this;
                c.failLocally(Errno.ECANCELED);
                return;
            }
            c.state(Operation.State.IDLE);
            throw new IllegalStateException("ring is closed");
        }
        if (inRingThread()) {
            submitNow(c);
        } else {
            c.state(Operation.State.WAITING);
            handOver(c);
        }
    }

    private void submitNow(Completion c) {
        if (c.op() == Op.CANCEL && cancelLocally(c)) return;
        Socket s = c.socket();
        if (s != null && s.pendingError != null && writesBytes(c)) {
            // The kernel reported this error once, to a join that was being unjoined; it belongs here.
            // A send looks at the socket's error before anything else (tcp_sendmsg_locked); a
            // receive reads the bytes still queued first, so it goes on and takes the error at
            // their end (see takePendingErrorAtEnd).
            Errno e = s.pendingError;
            s.pendingError = null;
            c.failLocally(e, s.pendingNativeErrno);
            return;
        }
        if (inflight >= config.inflightMax()) {
            c.state(Operation.State.WAITING);
            if (waitingTail == null) waitingHead = c;
            else waitingTail.next = c;
            waitingTail = c;
            return;
        }
        inflight++;
        c.inBackend = true;
        c.state(Operation.State.PENDING);
        backend.submit(c);
    }

    /**
     * Operations that report a socket's pending error (SO_ERROR) before anything else: sends
     * (tcp_sendmsg_locked, via sk_stream_wait_connect / sk_stream_error), splice into the socket too.
     */
    private static boolean writesBytes(Completion c) {
        return switch (c.op()) {
            case SEND, SENDMSG, SENDTO, SEND_FDS -> true;
            case SPLICE -> c.flags() == Operation.SPLICE_PIPE_TO_SOCKET;
            default -> false;
        };
    }

    /**
     * A receive (or splice, or pump, out of the socket) that found the end of the bytes on a
     * socket with a kept error fails with it instead: tcp_recvmsg_locked and tcp_splice_read
     * report sk_err only once the receive queue is empty, so the caller sees the queued bytes,
     * then the error once, then end of stream — as if the join had never taken it.
     */
    private static void takePendingErrorAtEnd(Completion c) {
        // Results first: only an end of stream can turn into the kept error, and the check runs per completion.
        if (!c.ok() || c.result() != 0) return;
        Socket s = c.socket();
        if (s == null || s.pendingError == null) return;
        boolean reads = switch (c.op()) {
            case RECV, RECVMSG, RECVFROM, RECV_FDS, RECV_MULTISHOT -> true;
            // A pump's 0 with nothing held is the source's end; a splice's 0 out of the socket too.
            case SPLICE -> c.flags() != Operation.SPLICE_PIPE_TO_SOCKET && c.spliceHeld() == 0;
            default -> false;
        };
        if (!reads) return;
        c.failInsteadOfEnd(s.pendingError, s.pendingNativeErrno);
        s.pendingError = null;
    }

    /** Cancels of operations the backend does not own (waiting here, or already done) end here. */
    private boolean cancelLocally(Completion cancel) {
        Operation target = cancel.target();
        if (target.state() == Operation.State.PENDING && ((Completion) target).inBackend) return false;
        Completion prev = null;
        for (Completion w = waitingHead; w != null; prev = w, w = w.next) {
            if (w != target) continue;
            if (prev == null) waitingHead = w.next;
            else prev.next = w.next;
            if (waitingTail == w) waitingTail = prev;
            w.next = null;
            w.failLocally(Errno.ECANCELED);
            cancel.completeLocally(0);
            return true;
        }
        cancel.failLocally(Errno.ENOENT);
        return true;
    }

    private void promoteWaiting() {
        while (waitingHead != null && inflight < config.inflightMax()) {
            Completion c = waitingHead;
            waitingHead = c.next;
            if (waitingHead == null) waitingTail = null;
            c.next = null;
            c.state(Operation.State.IDLE);
            submitNow(c);
        }
    }

    private void onCompleted(Operation op) {
        Completion c = (Completion) op;
        if (c.inBackend && c.state() == Operation.State.COMPLETED) {
            c.inBackend = false;
            inflight--;
            if (inflight < 0) throw new AssertionError("in-flight count went negative at " + c.describe());
        }
        // A multishot operation's results queue inside it; it waits on this list once.
        if (c.queued) return;
        c.queued = true;
        if (completedTail == null) completedHead = c;
        else completedTail.next = c;
        completedTail = c;
    }

    private void dispatch() {
        Completion c;
        while ((c = completedHead) != null) {
            completedHead = c.next;
            if (completedHead == null) completedTail = null;
            c.next = null;
            c.queued = false;
            if (c.isMultishot()) {
                dispatchMultishot(c);
                continue;
            }
            if (c.op() == Op.ACCEPT && c.ok()) {
                Socket listener = c.socket();
                c.accepted = register(c.acceptedHandle(), listener.family(), listener.type(), listener.protocol());
            }
            takePendingErrorAtEnd(c);
            Handler h = c.handler;
            c.handler = null;
            c.state(Operation.State.IDLE);
            if (waitingHead != null) promoteWaiting();
            h.completed(c);
        }
    }

    /** Hands a multishot operation's waiting results to its handler, then its final one if it came. */
    private void dispatchMultishot(Completion c) {
        Handler h = c.handler;
        while (c.moreWaiting() > 0) {
            c.nextResult();
            if (c.op() == Op.ACCEPT_MULTISHOT) {
                Socket listener = c.socket();
                c.accepted = register(c.currentAux(), listener.family(), listener.type(), listener.protocol());
            }
            // Read before the handler: a handler that closes the ring dispatches this completion again inside.
            boolean recv = c.op() == Op.RECV_MULTISHOT;
            int id = (int) c.currentAux();
            BufferPool pool = c.pool;
            try {
                h.completed(c);
            } catch (Throwable e) {
                // The results after this one must not be lost: the completion goes first next turn.
                requeueFirst(c);
                throw e;
            } finally {
                c.accepted = null;
                if (recv) {
                    if (c.bufferKept) pool.keep(id);
                    else if (!pool.group.isClosed()) pool.group.recycle(id);
                    c.bufferKept = false;
                }
            }
        }
        if (c.state() != Operation.State.COMPLETED) return;
        c.finalResult();
        takePendingErrorAtEnd(c);
        if (c.op() == Op.RECV_MULTISHOT) c.pool.users--;
        c.handler = null;
        c.state(Operation.State.IDLE);
        if (waitingHead != null) promoteWaiting();
        h.completed(c);
    }

    private void requeueFirst(Completion c) {
        if (c.queued || (c.moreWaiting() == 0 && c.state() != Operation.State.COMPLETED)) return;
        c.queued = true;
        c.next = completedHead;
        completedHead = c;
        if (completedTail == null) completedTail = c;
    }

    // Closing.

    /**
     * Closes the ring: everything in flight or queued completes with ECANCELED (its handler runs),
     * every socket of the ring is closed and native memory is released. An operation that a handler
     * starts while the ring closes completes with ECANCELED too (its handler runs again); the same
     * Completion started once more during that close is refused with {@link IllegalStateException},
     * so a handler that retries on every error cannot keep the close from finishing. After close
     * has returned, every operation is refused with {@link IllegalStateException}.
     *
     * <p>From another thread it asks the owner to close and waits until it has. If the owner
     * thread has ended (it died, or returned without closing), the caller closes the ring itself,
     * and handlers run on the caller. <b>If the owner is alive but no longer runs the loop</b>
     * (it left {@code run...} and went on with something else, or it is blocked), the request
     * waits until it turns the loop again: close it from the owner then.
     */
    @Override
    public void close() {
        if (closed) return;
        if (!inRingThread()) {
            closeRequested = true;
            backend.wakeup();
            if (!awaitOwnerOrOrphan()) return;
            // The owner thread has ended, so nothing else touches the ring's state: Thread.isAlive()
            // returning false orders everything the owner did before the checks below (JLS 17.4.4).
        }
        closeNow();
    }

    /**
     * Waits until the owner has closed the ring (false), or has ended without doing so and this
     * caller won the right to close it (true).
     */
    private boolean awaitOwnerOrOrphan() {
        try {
            while (!terminated.await(ORPHAN_CHECK_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (!owner.isAlive() && orphanCloser.compareAndSet(false, true)) return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void closeNow() {
        closeRequested = true;
        for (Object item; (item = inbox.poll()) != null; ) {
            if (item instanceof Runnable task) runQuietly(task);
            else ((Completion) item).failLocally(Errno.ECANCELED);
        }
        for (Completion w = waitingHead; w != null; ) {
            Completion next = w.next;
            w.next = null;
            w.failLocally(Errno.ECANCELED);
            w = next;
        }
        waitingHead = waitingTail = null;
        backend.close();
        if (inflight != 0) throw new AssertionError(inflight + " operations still in flight after the backend closed");
        closed = true;
        dispatchQuietly();
        for (Socket s : sockets.toArray(Socket[]::new)) closeSocketNow(s);
        // Hand-overs that raced with closing: complete them, and run tasks (a socket close from
        // another thread waits for its task), so no caller waits forever.
        for (Object item; (item = inbox.poll()) != null; ) {
            if (item instanceof Runnable task) runQuietly(task);
            else ((Completion) item).failLocally(Errno.ECANCELED);
        }
        dispatchQuietly();
        for (BufferPool p : pools.toArray(BufferPool[]::new)) closePool(p);
        terminated.countDown();
    }

    private void awaitTermination() {
        try {
            terminated.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatchQuietly() {
        while (completedHead != null) {
            try {
                dispatch();
            } catch (Throwable e) {
                LOG.log(System.Logger.Level.WARNING, "handler failed while the ring was closing", e);
            }
        }
    }

    private static void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.WARNING, "task failed while the ring was closing", e);
        }
    }

    /** Sockets of this ring that are still open; for leak checks. */
    public int openSockets() {
        return sockets.size();
    }

    // Checks, always on: they guard memory the kernel will write.

    private void checkOpen() {
        if (closed || closeRequested) throw new IllegalStateException("ring is closed");
    }

    void checkOwner(String what) {
        if (!inRingThread()) {
            throw new IllegalStateException(what + " must run on the ring's owner thread " + owner.getName() + ", not " + Thread.currentThread().getName());
        }
    }

    private void checkSocket(Socket s, String what) {
        Objects.requireNonNull(s, "socket");
        if (s.ring != this) throw new IllegalArgumentException(what + ": " + s + " belongs to another ring");
        if (s.closed) throw new IllegalStateException(what + ": socket fd " + s.handle() + " is closed");
    }

    void checkFamily(Socket s, Address address, String what) {
        Objects.requireNonNull(address, "address");
        if (!s.family().equals(address.family())) {
            throw new IllegalArgumentException(what + ": a " + s.family() + " socket cannot use the " + address.family() + " address " + address);
        }
    }

    private static void checkBuffer(MemorySegment buffer, boolean emptyAllowed, String what) {
        Objects.requireNonNull(buffer, "buffer");
        if (!buffer.isNative()) {
            throw new IllegalArgumentException(what + ": buffer must be native memory (Arena.allocate), not a heap segment: the kernel writes to it after the call returns");
        }
        if (buffer.byteSize() == 0 && !emptyAllowed) {
            throw new IllegalArgumentException(what + ": buffer is empty; a zero-length " + what + " cannot tell end of stream from no data");
        }
        if (buffer.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + ": buffer of " + buffer.byteSize() + " bytes exceeds the 2 GiB per-operation limit");
        }
    }

    private static void checkWindow(MemorySegment buffer, long offset, int length, boolean emptyAllowed, String what) {
        checkBuffer(buffer, true, what);
        if (offset < 0 || length < 0 || offset + length > buffer.byteSize()) {
            throw new IllegalArgumentException(what + ": window [" + offset + ", " + offset + " + " + length + ") is outside a buffer of " + buffer.byteSize() + " bytes");
        }
        if (length == 0 && !emptyAllowed) {
            throw new IllegalArgumentException(what + ": buffer is empty; a zero-length " + what + " cannot tell end of stream from no data");
        }
    }

    private static void checkBuffers(MemorySegment[] buffers, boolean emptyAllowed, String what) {
        Objects.requireNonNull(buffers, "buffers");
        if (buffers.length == 0 || buffers.length > 1024) {
            throw new IllegalArgumentException(what + ": takes 1 to 1024 buffers (IOV_MAX), got " + buffers.length);
        }
        long total = 0;
        for (MemorySegment b : buffers) {
            checkBuffer(b, true, what);
            total += b.byteSize();
        }
        if (total == 0 && !emptyAllowed) throw new IllegalArgumentException(what + ": buffers hold no room");
        if (total > Integer.MAX_VALUE) throw new IllegalArgumentException(what + ": buffers exceed the 2 GiB per-operation limit");
    }

    /**
     * Starts an operation and waits for it from another thread (a virtual thread parks). The
     * thread is checked before {@code start} runs: a refused call must not leave an operation
     * behind (a recv nobody reads, a send that went out anyway).
     */
    <T> T block(Supplier<CompletableFuture<T>> start, String what) throws IOException {
        if (inRingThread()) {
            throw new IllegalStateException("blocking " + what + " on the ring's own thread would wait for itself; use the callback or future form");
        }
        return await(start.get());
    }

    static <T> T await(CompletableFuture<T> future) throws IOException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IOException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the ring");
        }
    }

    @Override
    public String toString() {
        return "Ring[" + info.name() + ", owner " + owner.getName() + (closed ? ", closed" : "") + "]";
    }
}
