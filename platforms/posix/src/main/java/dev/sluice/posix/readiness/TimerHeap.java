package dev.sluice.posix.readiness;

import dev.sluice.spi.Operation;
import java.util.Arrays;

/**
 * The loop's timers: TIMEOUT operations and per-operation deadlines, in a binary min-heap of
 * parallel arrays ordered by expiry, then by insertion so equal expiries fire in submission order.
 * Each operation holds at most one entry; its heap index lives in {@link Operation#backendSlot()}
 * so removal is O(log n) without a search. Sized for the ring's in-flight limit at open; it grows
 * (allocating) only if that is exceeded, which the ring prevents.
 *
 * <p>Times are nanoseconds on the engine's own clock (System.nanoTime() minus its start), so they
 * are non-negative and ordinary comparisons work without overflow tricks.
 */
final class TimerHeap {
    private Operation[] ops;
    private long[] expiries;
    private long[] sequences;
    private int size;
    private long nextSequence;

    TimerHeap(int capacity) {
        ops = new Operation[Math.max(16, capacity)];
        expiries = new long[ops.length];
        sequences = new long[ops.length];
    }

    int size() {
        return size;
    }

    /** The earliest expiry, or Long.MAX_VALUE when empty. */
    long nextExpiry() {
        return size == 0 ? Long.MAX_VALUE : expiries[0];
    }

    void add(Operation op, long expiry) {
        if (op.backendSlot() >= 0) throw new AssertionError(op.op() + " already has a timer at " + op.backendSlot());
        if (size == ops.length) grow();
        int i = size++;
        ops[i] = op;
        expiries[i] = expiry;
        sequences[i] = nextSequence++;
        op.backendSlot(i);
        up(i);
    }

    /** Removes the timer of {@code op} if it has one. */
    void remove(Operation op) {
        int i = op.backendSlot();
        if (i < 0) return;
        if (i >= size || ops[i] != op) throw new AssertionError(op.op() + " claims timer slot " + i + " it does not hold");
        removeAt(i);
    }

    /** Removes and returns the earliest operation expired at {@code now}, or null. */
    Operation pollExpired(long now) {
        if (size == 0 || expiries[0] > now) return null;
        Operation op = ops[0];
        removeAt(0);
        return op;
    }

    /** Removes and returns any operation, or null when empty; for closing. */
    Operation pollAny() {
        if (size == 0) return null;
        Operation op = ops[size - 1];
        removeAt(size - 1);
        return op;
    }

    private void removeAt(int i) {
        Operation gone = ops[i];
        gone.backendSlot(-1);
        int last = --size;
        if (i != last) {
            move(last, i);
            ops[last] = null;
            if (!up(i)) down(i);
        } else {
            ops[last] = null;
        }
    }

    private boolean less(int a, int b) {
        return expiries[a] < expiries[b] || (expiries[a] == expiries[b] && sequences[a] < sequences[b]);
    }

    /** Sifts entry i up; true when it moved. */
    private boolean up(int i) {
        int start = i;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(i, parent)) break;
            swap(i, parent);
            i = parent;
        }
        return i != start;
    }

    private void down(int i) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) return;
            int smallest = left + 1 < size && less(left + 1, left) ? left + 1 : left;
            if (!less(smallest, i)) return;
            swap(i, smallest);
            i = smallest;
        }
    }

    private void move(int from, int to) {
        ops[to] = ops[from];
        expiries[to] = expiries[from];
        sequences[to] = sequences[from];
        ops[to].backendSlot(to);
    }

    private void swap(int a, int b) {
        Operation op = ops[a];
        long expiry = expiries[a];
        long sequence = sequences[a];
        move(b, a);
        ops[b] = op;
        expiries[b] = expiry;
        sequences[b] = sequence;
        op.backendSlot(b);
    }

    private void grow() {
        int capacity = ops.length * 2;
        ops = Arrays.copyOf(ops, capacity);
        expiries = Arrays.copyOf(expiries, capacity);
        sequences = Arrays.copyOf(sequences, capacity);
    }
}
