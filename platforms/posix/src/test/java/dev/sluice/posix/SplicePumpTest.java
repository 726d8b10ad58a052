package dev.sluice.posix;

import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.Errno;
import dev.sluice.Family;
import dev.sluice.Op;
import dev.sluice.Protocol;
import dev.sluice.Ring;
import dev.sluice.Socket;
import dev.sluice.SocketType;
import dev.sluice.spi.Operation;
import java.lang.reflect.Constructor;
import java.util.ArrayDeque;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SplicePump} against a scripted splice(2): an error from either socket after the pump
 * delivered bytes is not lost. The kernel reports a socket error once (a reset: the next write
 * says EPIPE, a read with the queue empty says end of stream), so it must travel with the bytes.
 */
@Timeout(30)
class SplicePumpTest {
    private static final int FROM = 10;
    private static final int PIPE_WRITE = 11;
    private static final int PIPE_READ = 12;
    private static final int TO = 13;
    private static final int EAGAIN = 11;
    private static final int ECONNRESET = 104;

    /** A SPLICE_PUMP operation driven without a ring. */
    static final class PumpOp extends Operation {
        PumpOp(Socket from, Socket to) throws Exception {
            op = Op.SPLICE;
            flags = SPLICE_PUMP;
            socket = from;
            spliceTo = to;
            spliceHandle = PIPE_WRITE;
            spliceReadHandle = PIPE_READ;
            spliceLength = 4096;
            sink = o -> { };
            state = State.PENDING;
        }
    }

    /** splice(2) answers per direction, in order; then EAGAIN. */
    static SplicePump.Splicer script(Map<Integer, long[]> answers) {
        Map<Integer, ArrayDeque<Long>> queues = new java.util.HashMap<>();
        answers.forEach((fd, a) -> {
            ArrayDeque<Long> q = new ArrayDeque<>();
            for (long x : a) q.add(x);
            queues.put(fd, q);
        });
        return (in, out, length) -> {
            ArrayDeque<Long> q = queues.get(in);
            return q == null || q.isEmpty() ? -EAGAIN : q.poll();
        };
    }

    /** Sockets of no ring, for the pump to read handles from (Socket has no public constructor). */
    static Socket socket(long fd) throws Exception {
        Constructor<Socket> k = Socket.class.getDeclaredConstructor(Ring.class, long.class, Family.class, SocketType.class, Protocol.class);
        k.setAccessible(true);
        return k.newInstance(null, fd, Family.INET, SocketType.STREAM, Protocol.TCP);
    }

    @Test
    void aDestinationErrorAfterProgressTravelsWithTheBytes() throws Exception {
        // 100 bytes in; 40 out, then the destination reports its reset.
        SplicePump pump = new SplicePump(script(Map.of(FROM, new long[] {100}, PIPE_READ, new long[] {40, -ECONNRESET})), EAGAIN, SplicePumpTest::portable, 0);
        PumpOp op = new PumpOp(socket(FROM), socket(TO));
        assertEquals(40, pump.run(op), "the bytes delivered are the result");
        assertEquals(60, op.spliceHeld(), "the rest is still in the pipe");
        assertEquals(Errno.ECONNRESET, op.spliceDestinationError(), "the reset the kernel reported once goes with them");
        assertEquals(ECONNRESET, op.spliceDestinationNativeErrno());
        assertNull(op.spliceSourceError());
    }

    @Test
    void aSourceErrorAfterProgressTravelsWithTheBytes() throws Exception {
        SplicePump pump = new SplicePump(script(Map.of(FROM, new long[] {100, -ECONNRESET}, PIPE_READ, new long[] {100})), EAGAIN, SplicePumpTest::portable, 0);
        PumpOp op = new PumpOp(socket(FROM), socket(TO));
        assertEquals(100, pump.run(op));
        assertEquals(0, op.spliceHeld());
        assertEquals(Errno.ECONNRESET, op.spliceSourceError());
        assertNull(op.spliceDestinationError());
    }

    @Test
    void aDestinationErrorBeforeProgressFailsThePump() throws Exception {
        SplicePump pump = new SplicePump(script(Map.of(FROM, new long[] {100}, PIPE_READ, new long[] {-ECONNRESET})), EAGAIN, SplicePumpTest::portable, 0);
        PumpOp op = new PumpOp(socket(FROM), socket(TO));
        assertEquals(-ECONNRESET, pump.run(op));
        assertEquals(100, op.spliceHeld());
        assertNull(op.spliceDestinationError(), "the failure itself carries it");
    }

    private static Errno portable(int errno) {
        return switch (errno) {
            case ECONNRESET -> Errno.ECONNRESET;
            case 32 -> Errno.EPIPE;
            default -> throw new AssertionError("errno " + errno);
        };
    }
}
