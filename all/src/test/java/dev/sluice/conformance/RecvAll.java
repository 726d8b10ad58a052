package dev.sluice.conformance;

import static dev.sluice.conformance.Conformance.ok;

import dev.sluice.Completion;
import dev.sluice.Handler;
import dev.sluice.Ring;
import dev.sluice.Socket;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Receives from a stream socket in the callback style until end of stream, or until a given
 * number of bytes arrived, keeping every byte for comparison.
 */
final class RecvAll implements Handler {
    private final Ring ring;
    private final Socket socket;
    private final MemorySegment buffer;
    private final long limit;
    private final Runnable then;
    private final Completion completion = new Completion();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    int recvs;
    boolean eof;
    boolean done;

    /**
     * @param limit bytes to receive before stopping, or -1 to receive until end of stream
     * @param then  runs on the ring thread when done; null for nothing
     */
    RecvAll(Ring ring, Socket socket, int bufferBytes, long limit, Runnable then) {
        this.ring = ring;
        this.socket = socket;
        this.buffer = Conformance.allocate(bufferBytes);
        this.limit = limit;
        this.then = then;
    }

    RecvAll start() {
        ring.recv(socket, buffer, completion, this);
        return this;
    }

    byte[] bytes() {
        return received.toByteArray();
    }

    @Override
    public void completed(Completion c) {
        ok(c);
        recvs++;
        int n = c.result();
        if (n < 0 || n > buffer.byteSize()) throw new AssertionError(c.describe() + " returned " + n + " into a buffer of " + buffer.byteSize());
        if (n == 0) {
            eof = true;
            if (limit >= 0) throw new AssertionError("end of stream after " + received.size() + " of " + limit + " bytes");
            finish();
            return;
        }
        received.write(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), 0, n);
        if (limit >= 0 && received.size() > limit) throw new AssertionError("received " + received.size() + " bytes, more than the " + limit + " sent");
        if (limit >= 0 && received.size() == limit) {
            finish();
            return;
        }
        ring.recv(socket, buffer, completion, this);
    }

    private void finish() {
        done = true;
        if (then != null) then.run();
    }
}
