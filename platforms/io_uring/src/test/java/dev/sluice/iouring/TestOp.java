package dev.sluice.iouring;

import dev.sluice.Op;
import dev.sluice.Socket;
import dev.sluice.spi.Operation;
import java.lang.foreign.MemorySegment;

/** An operation driven straight against a backend, without a Ring, for backend-level tests. */
final class TestOp extends Operation {
    int completions;

    TestOp(Op kind, Sink sink) {
        this.op = kind;
        this.sink = sink;
    }

    /** Marks it pending, as the ring does before submitting. */
    TestOp arm() {
        state = State.PENDING;
        return this;
    }

    TestOp timeout(long nanos) {
        timeoutNanos = nanos;
        return this;
    }

    TestOp deadline(long nanos) {
        deadlineNanos = nanos;
        return this;
    }

    TestOp on(Socket s, MemorySegment b) {
        socket = s;
        buffer = b;
        bufferOffset = 0;
        bufferLength = (int) b.byteSize();
        return this;
    }

    TestOp group(dev.sluice.spi.BufferGroup g, Socket s) {
        bufferGroup = g;
        socket = s;
        return this;
    }

    /** The oldest intermediate result of a multishot operation: {value, aux}. */
    long[] nextMore() {
        takeMore();
        return new long[] {result, currentAux};
    }

    TestOp target(Operation t) {
        target = t;
        return this;
    }

    int result() {
        return result;
    }

    dev.sluice.Errno error() {
        return error;
    }

    /** The ring would run the handler and go back to IDLE; tests reuse ops right away. */
    void idle() {
        state = State.IDLE;
    }
}
