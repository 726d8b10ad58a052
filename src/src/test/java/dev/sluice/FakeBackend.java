package dev.sluice;

import dev.sluice.spi.Backend;
import dev.sluice.spi.BackendProvider;
import dev.sluice.spi.Operation;
import dev.sluice.spi.Probe;
import dev.sluice.spi.SocketSystem;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A backend with no kernel behind it, for testing the ring's own rules: NOP and TIMEOUT complete
 * at the next poll (TIMEOUT in deadline order once due); RECV stays pending until cancelled or
 * closed. It records the most operations it ever held at once.
 */
final class FakeBackend implements Backend {
    static volatile FakeBackend last;

    final ArrayDeque<Operation> pending = new ArrayDeque<>();
    final Semaphore wakeups = new Semaphore(0);
    int maxHeld;
    int submits;
    boolean inSubmit;
    boolean closed;

    FakeBackend() {
        last = this;
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(new EnumMap<>(Op.class), EnumSet.noneOf(Feature.class));
    }

    @Override
    public SocketSystem sockets() {
        throw new UnsupportedOperationException("fake backend has no sockets");
    }

    @Override
    public long openSocket(Family family, SocketType type, Protocol protocol) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long[] openSocketPair(Family family, SocketType type) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void submit(Operation op) {
        if (op.state() != Operation.State.PENDING) throw new AssertionError("submitted while " + op.state());
        submits++;
        inSubmit = true;
        if (op.op() == Op.CANCEL) {
            boolean found = pending.remove(op.target());
            pending.add(op);
            if (found) {
                op.backendState(Boolean.TRUE);
                pending.addFirst(op.target());
                op.target().backendState("cancel");
            }
        } else {
            pending.add(op);
        }
        maxHeld = Math.max(maxHeld, pending.size());
        inSubmit = false;
    }

    /** The timeout of the last poll that found nothing and waited, and how many did (read by other threads). */
    volatile long lastBlockingTimeout;
    volatile int blockingWaits;

    @Override
    public int poll(long timeoutNanos) {
        int n = 0;
        int rounds = pending.size();
        for (int i = 0; i < rounds; i++) {
            Operation op = pending.poll();
            if (op.op() == Op.RECV && op.backendState() == null) {
                pending.add(op);
                continue;
            }
            if (op.op() == Op.RECV) {
                op.fail(Errno.ECANCELED, 125);
            } else if (op.op() == Op.CANCEL) {
                if (op.backendState() == Boolean.TRUE) op.complete(0);
                else op.fail(Errno.ENOENT, 2);
            } else {
                op.complete(op.op() == Op.TIMEOUT ? 0 : 7);
            }
            n++;
        }
        if (n == 0 && timeoutNanos != 0) {
            lastBlockingTimeout = timeoutNanos;
            blockingWaits++;
            try {
                wakeups.tryAcquire(timeoutNanos < 0 ? Long.MAX_VALUE : Math.min(timeoutNanos, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return n;
    }

    @Override
    public void wakeup() {
        wakeups.release();
    }

    @Override
    public void closeSocket(long handle) {
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        while (!pending.isEmpty()) pending.poll().fail(Errno.ECANCELED, 125);
    }

    public static final class Provider implements BackendProvider {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public int priority() {
            return 1;
        }

        @Override
        public Probe probe() {
            return Probe.available("always");
        }

        @Override
        public SocketSystem sockets() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Backend open(RingConfig config) {
            return new FakeBackend();
        }
    }

    static List<String> names() {
        return Backends.available();
    }
}
