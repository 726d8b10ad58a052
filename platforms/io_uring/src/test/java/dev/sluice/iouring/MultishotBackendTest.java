package dev.sluice.iouring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.Errno;
import dev.sluice.Op;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import dev.sluice.SocketType;
import dev.sluice.UnixSocket;
import dev.sluice.spi.BufferGroup;
import dev.sluice.spi.Operation;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Multishot receive at the backend level, where the kernel's early endings can be forced: a CQ of
 * 4 entries makes the kernel stop the multishot when it cannot post (its last CQE still carries
 * data and no IORING_CQE_F_MORE), and a buffer ring smaller than the burst makes it end with
 * -ENOBUFS. Both must be re-armed inside the backend with no byte lost, reordered or duplicated.
 */
@Timeout(60)
class MultishotBackendTest {
    private int finals;
    private final Operation.Sink sink = op -> {
        if (op.state() == Operation.State.COMPLETED) finals++;
    };

    @BeforeEach
    void available() {
        IoUringProbe.Result probe = IoUringProbe.cached();
        assumeTrue(probe.available(), probe.reason());
        assumeTrue(IoUringBackend.kernelAtLeast(probe.kernel(), 6, 0), "multishot receive needs Linux 6.0: " + probe.kernel());
    }

    @Test
    void earlyEndingsAreReArmedWithoutLosingBytes() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(5).nextBytes(data);
        try (Ring sockets = Ring.open(RingConfig.DEFAULT.withBackend("io_uring")); Arena arena = Arena.ofConfined()) {
            UnixSocket[] pair = sockets.socketpair(SocketType.STREAM);
            MemorySegment out = arena.allocate(data.length);
            MemorySegment.copy(data, 0, out, ValueLayout.JAVA_BYTE, 0, data.length);
            // SQ 4, CQ 4: a burst of receives overflows the CQ at once.
            IoUringBackend b = IoUringBackend.open(new RingConfig(4, 8, "io_uring"), 4);
            try {
                BufferGroup group = b.openBufferGroup(8, 512);
                TestOp recv = new TestOp(Op.RECV_MULTISHOT, sink).group(group, pair[1]);
                b.submit(recv.arm());
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                long[] sent = {0};
                dev.sluice.Completion sending = new dev.sluice.Completion();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (got.size() < data.length) {
                    if (System.nanoTime() > end) throw new AssertionError("received " + got.size() + " of " + data.length + "; " + b);
                    if (sent[0] < data.length && !sending.isPending()) {
                        // The sending side runs on the other ring, turned below on this same thread.
                        sockets.send(pair[0], out, sent[0], (int) Math.min(64 * 1024, data.length - sent[0]), sending, c -> sent[0] += c.result());
                    }
                    sockets.tick();
                    b.poll(1_000_000L);
                    while (recv.moreWaiting() > 0) {
                        long[] r = recv.nextMore();
                        int id = (int) r[1];
                        got.write(group.buffer(id).asSlice(0, r[0]).toArray(ValueLayout.JAVA_BYTE), 0, (int) r[0]);
                        group.recycle(id);
                    }
                    assertEquals(0, finals, "the receive ended: " + recv.error());
                }
                assertArrayEquals(data, got.toByteArray(), "every byte once, in order");
                assertTrue(b.multishotRearms() > 0, "the kernel never ended the multishot early; the re-arm path was not exercised");
                System.out.println("multishot re-armed " + b.multishotRearms() + " times over " + data.length + " bytes (CQ 4, 8 buffers)");
                pair[0].close();
                long end2 = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (finals == 0 && System.nanoTime() < end2) {
                    b.poll(1_000_000L);
                    while (recv.moreWaiting() > 0) group.recycle((int) recv.nextMore()[1]);
                }
                assertEquals(1, finals, "end of stream ends the multishot receive once");
                assertNull(recv.error());
                assertEquals(0, recv.result());
                assertEquals(8, group.available());
                assertEquals(0, b.active());
                group.close();
            } finally {
                b.close();
            }
        }
    }

    @Test
    void starvedReceiveIsCancelledWithoutAKernelRequest() throws Exception {
        try (Ring sockets = Ring.open(RingConfig.DEFAULT.withBackend("io_uring")); Arena arena = Arena.ofConfined()) {
            UnixSocket[] pair = sockets.socketpair(SocketType.STREAM);
            IoUringBackend b = IoUringBackend.open(new RingConfig(4, 8, "io_uring"));
            try {
                BufferGroup group = b.openBufferGroup(2, 16);
                TestOp recv = new TestOp(Op.RECV_MULTISHOT, sink).group(group, pair[1]);
                b.submit(recv.arm());
                sockets.send(pair[0], arena.allocate(256), new dev.sluice.Completion(), c -> { });
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while ((recv.moreWaiting() < 2 || b.multishotRearms() == 0) && System.nanoTime() < end) {
                    sockets.tick();
                    b.poll(1_000_000L);
                }
                assertEquals(2, recv.moreWaiting(), "both buffers filled");
                assertTrue(b.multishotRearms() > 0, "the empty buffer ring ended the request with ENOBUFS");
                // Nothing recycled: the receive is parked. Cancel it: it ends at once.
                TestOp cancel = new TestOp(Op.CANCEL, sink).target(recv);
                b.submit(cancel.arm());
                while (finals < 2 && System.nanoTime() < end) b.poll(1_000_000L);
                assertEquals(2, finals);
                assertEquals(Errno.ECANCELED, recv.error());
                assertNull(cancel.error());
                assertEquals(0, b.active());
            } finally {
                b.close();
            }
        }
    }
}
