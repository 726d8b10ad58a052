package dev.sluice.conformance;

import static dev.sluice.conformance.Conformance.ok;

import dev.sluice.Completion;
import dev.sluice.Handler;
import dev.sluice.Ring;
import dev.sluice.Socket;
import java.lang.foreign.MemorySegment;

/**
 * Sends a whole segment over a stream socket in the callback style: a send may take only part of
 * it (the API promises at least one byte), so the rest is resubmitted until all is sent.
 */
final class SendAll implements Handler {
    private final Ring ring;
    private final Socket socket;
    private final MemorySegment data;
    private final Runnable then;
    private final Completion completion = new Completion();
    long sent;
    int sends;
    int shortSends;
    boolean done;

    /** {@code then} runs on the ring thread once every byte was taken; null for nothing. */
    SendAll(Ring ring, Socket socket, MemorySegment data, Runnable then) {
        this.ring = ring;
        this.socket = socket;
        this.data = data;
        this.then = then;
    }

    SendAll start() {
        ring.send(socket, data.asSlice(sent), completion, this);
        return this;
    }

    @Override
    public void completed(Completion c) {
        ok(c);
        long remaining = data.byteSize() - sent;
        int n = c.result();
        if (n <= 0 || n > remaining) throw new AssertionError(c.describe() + " returned " + n + " with " + remaining + " bytes left to send");
        sends++;
        if (n < remaining) shortSends++;
        sent += n;
        if (sent < data.byteSize()) {
            ring.send(socket, data.asSlice(sent), completion, this);
            return;
        }
        done = true;
        if (then != null) then.run();
    }
}
