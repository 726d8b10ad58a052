package dev.sluice.posix.readiness;

import dev.sluice.spi.Operation;

/**
 * A FIFO of operations linked through {@link Operation#backendNext()}, so queueing allocates
 * nothing. An operation is in at most one queue at a time. Removing from the middle walks the
 * queue; only cancellation and deadlines do that, and per-fd queues are short.
 */
final class OpQueue {
    private Operation head;
    private Operation tail;
    private int size;

    boolean isEmpty() {
        return head == null;
    }

    int size() {
        return size;
    }

    Operation peek() {
        return head;
    }

    void add(Operation op) {
        if (op.backendNext() != null || tail == op) throw new AssertionError(op.op() + " is already queued");
        if (tail == null) head = op;
        else tail.backendNext(op);
        tail = op;
        size++;
    }

    /** Puts back an operation just taken with {@link #poll()}, ahead of the rest. */
    void addFirst(Operation op) {
        if (op.backendNext() != null || tail == op) throw new AssertionError(op.op() + " is already queued");
        op.backendNext(head);
        head = op;
        if (tail == null) tail = op;
        size++;
    }

    Operation poll() {
        Operation op = head;
        if (op == null) return null;
        head = op.backendNext();
        if (head == null) tail = null;
        op.backendNext(null);
        size--;
        return op;
    }

    /** Unlinks {@code op}; false when it is not here. */
    boolean remove(Operation op) {
        Operation prev = null;
        for (Operation at = head; at != null; prev = at, at = at.backendNext()) {
            if (at != op) continue;
            Operation next = at.backendNext();
            if (prev == null) head = next;
            else prev.backendNext(next);
            if (tail == at) tail = prev;
            at.backendNext(null);
            size--;
            return true;
        }
        return false;
    }
}
