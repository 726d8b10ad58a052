package dev.sluice.conformance;

import static dev.sluice.conformance.Conformance.await;
import static dev.sluice.conformance.Conformance.bytes;
import static dev.sluice.conformance.Conformance.ok;
import static dev.sluice.conformance.Conformance.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Completion;
import dev.sluice.Family;
import dev.sluice.Protocol;
import dev.sluice.Ring;
import dev.sluice.Socket;
import dev.sluice.SocketType;
import dev.sluice.UnixSocket;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Passing fds over a Unix socket (SCM_RIGHTS): three arrive as working duplicates with
 * close-on-exec set; more than the receiver has room for are closed, never leaked (the fd count
 * proves it), and fds arrive even when the data of a seqpacket message is cut.
 */
class FdPassingTest extends RingTest {

    @Test
    void threeFdsArriveAndWork() throws Exception {
        int[] pipe = Posix.pipe();
        try (Ring ring = open()) {
            UnixSocket[] channel = ring.socketpair(SocketType.STREAM);
            UnixSocket[] passed = ring.socketpair(SocketType.STREAM);
            int[] sent = {pipe[0], pipe[1], (int) passed[0].handle()};
            byte[] note = "three fds".getBytes(StandardCharsets.US_ASCII);

            Completion send = new Completion();
            Completion recv = new Completion();
            int[] received = new int[3];
            MemorySegment data = Conformance.allocate(64);
            ring.sendFds(channel[0], segment(note), sent, send, c -> ok(c));
            ring.recvFds(channel[1], data, received, recv, c -> ok(c));
            await(ring, () -> !send.isPending() && !recv.isPending(), "sendFds and recvFds");
            assertEquals(note.length, send.result());
            assertEquals(note.length, recv.result());
            assertArrayEquals(note, bytes(data, recv.result()));
            assertEquals(3, recv.fdCount());
            assertFalse(recv.controlTruncated());
            assertFalse(recv.truncated());
            Set<Integer> distinct = new HashSet<>();
            for (int fd : received) {
                assertTrue(fd >= 0 && Posix.isOpen(fd), "received fd " + fd + " is open");
                assertTrue(Posix.closeOnExec(fd), "received fd " + fd + " has close-on-exec (MSG_CMSG_CLOEXEC)");
                for (int s : sent) assertNotEquals(s, fd, "a received fd is a new descriptor, not the sent number");
                distinct.add(fd);
            }
            assertEquals(3, distinct.size());

            // The passed pipe ends are the same pipe: write through one, read from the other.
            byte[] one = "through the passed write end".getBytes(StandardCharsets.US_ASCII);
            Posix.write(received[1], one);
            assertArrayEquals(one, Posix.read(pipe[0], 100));
            byte[] two = "into the original write end".getBytes(StandardCharsets.US_ASCII);
            Posix.write(pipe[1], two);
            assertArrayEquals(two, Posix.read(received[0], 100));

            // The passed socket works once adopted by the ring, both ways.
            Socket adopted = ring.adopt(received[2], Family.UNIX, SocketType.STREAM, Protocol.DEFAULT);
            byte[] three = new Pattern(81).bytes(5000);
            new SendAll(ring, adopted, segment(three), null).start();
            RecvAll atPeer = new RecvAll(ring, passed[1], 1024, three.length, null).start();
            byte[] four = new Pattern(82).bytes(3000);
            new SendAll(ring, passed[1], segment(four), null).start();
            RecvAll atAdopted = new RecvAll(ring, adopted, 1024, four.length, null).start();
            await(ring, () -> atPeer.done && atAdopted.done, "traffic over the passed socket");
            assertArrayEquals(three, atPeer.bytes());
            assertArrayEquals(four, atAdopted.bytes());

            ring.closeHandle(received[0]);
            ring.closeHandle(received[1]);
            adopted.close();
            assertFalse(Posix.isOpen(received[0]) || Posix.isOpen(received[1]));
            assertTrue(passed[0].isOpen(), "closing the duplicate leaves the original open");
        } finally {
            Posix.close(pipe[0]);
            Posix.close(pipe[1]);
        }
    }

    @Test
    void extraFdsAreClosedWhenTheArrayIsTooSmall() throws Exception {
        int[] pipe = Posix.pipe();
        try (Ring ring = open()) {
            UnixSocket[] channel = ring.socketpair(SocketType.STREAM);
            UnixSocket[] passed = ring.socketpair(SocketType.STREAM);
            Completion send = new Completion();
            ring.sendFds(channel[0], segment(new byte[] {42}), new int[] {pipe[0], pipe[1], (int) passed[0].handle()}, send, c -> ok(c));
            await(ring, () -> !send.isPending(), "sendFds of three fds");

            // In flight the fds are file references in the socket, not fds of this process.
            int before = FdCounter.count();
            Completion recv = new Completion();
            int[] room = new int[1];
            MemorySegment data = Conformance.allocate(16);
            ring.recvFds(channel[1], data, room, recv, c -> ok(c));
            await(ring, () -> !recv.isPending(), "recvFds with room for one fd");
            assertEquals(1, recv.result());
            assertEquals(42, data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
            assertEquals(1, recv.fdCount());
            assertTrue(recv.controlTruncated(), "more fds arrived than there was room for");
            assertEquals(before + 1, FdCounter.count(), "only the fd handed over stays open; the two extra were closed");
            ring.closeHandle(room[0]);
            assertEquals(before, FdCounter.count());
        } finally {
            Posix.close(pipe[0]);
            Posix.close(pipe[1]);
        }
    }

    @Test
    void fdsArriveWhenSeqpacketDataIsCut() throws Exception {
        int[] pipe = Posix.pipe();
        try (Ring ring = open()) {
            UnixSocket[] channel = ring.socketpair(SocketType.SEQPACKET);
            Completion send = new Completion();
            Completion recv = new Completion();
            int[] received = new int[2];
            MemorySegment data = Conformance.allocate(1);
            ring.sendFds(channel[0], segment("abcd".getBytes(StandardCharsets.US_ASCII)), pipe, send, c -> ok(c));
            ring.recvFds(channel[1], data, received, recv, c -> ok(c));
            await(ring, () -> !send.isPending() && !recv.isPending(), "fds with a message cut to one byte");
            assertEquals(1, recv.result());
            assertEquals('a', data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
            assertTrue(recv.truncated(), "the message was cut");
            assertEquals(2, recv.fdCount(), "the fds arrive even though the data was cut");
            byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
            Posix.write(received[1], ping);
            assertArrayEquals(ping, Posix.read(received[0], 10));
            ring.closeHandle(received[0]);
            ring.closeHandle(received[1]);
        } finally {
            Posix.close(pipe[0]);
            Posix.close(pipe[1]);
        }
    }
}
