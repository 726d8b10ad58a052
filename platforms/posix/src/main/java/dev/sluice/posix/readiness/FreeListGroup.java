package dev.sluice.posix.readiness;

import dev.sluice.spi.BufferGroup;

/**
 * The readiness backends' buffer group: a stack of free buffer ids. A RECV_MULTISHOT takes one
 * before each recv(2) and reports it with the bytes; when the stack is empty the receive stays
 * parked in its fd's read queue, and {@link #recycle} pokes the fds that starved, since the
 * readiness edge that announced their data was already consumed.
 */
final class FreeListGroup extends BufferGroup {
    private final ReadinessBackend backend;
    private final int[] free;
    private int top;
    private final boolean[] isFree;
    /** Fds whose multishot receive found no buffer; poked on the next recycle. */
    private int[] starvedFds = new int[4];
    private int starvedCount;

    FreeListGroup(ReadinessBackend backend, int count, int size) {
        super(count, size);
        this.backend = backend;
        this.free = new int[count];
        this.isFree = new boolean[count];
        for (int i = count - 1; i >= 0; i--) {
            free[top++] = i;
            isFree[i] = true;
        }
    }

    /** A free buffer's id, or -1 when none is free. */
    int take() {
        if (top == 0) return -1;
        int id = free[--top];
        isFree[id] = false;
        return id;
    }

    void starved(int fd) {
        for (int i = 0; i < starvedCount; i++) if (starvedFds[i] == fd) return;
        if (starvedCount == starvedFds.length) starvedFds = java.util.Arrays.copyOf(starvedFds, 2 * starvedCount);
        starvedFds[starvedCount++] = fd;
    }

    @Override
    public void recycle(int id) {
        if (isClosed()) return;
        if (isFree[id]) throw new AssertionError("buffer " + id + " recycled twice");
        isFree[id] = true;
        free[top++] = id;
        if (starvedCount > 0) {
            int n = starvedCount;
            starvedCount = 0;
            for (int i = 0; i < n; i++) backend.pokeReader(starvedFds[i]);
        }
    }

    @Override
    public int available() {
        return top;
    }

    @Override
    public void close() {
        backend.groupClosed(this);
        super.close();
    }
}
