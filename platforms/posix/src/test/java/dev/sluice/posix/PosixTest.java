package dev.sluice.posix;

import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.Address;
import dev.sluice.Errno;
import dev.sluice.Family;
import dev.sluice.IPv4Address;
import dev.sluice.IPv6Address;
import dev.sluice.Protocol;
import dev.sluice.SluiceException;
import dev.sluice.SocketOption;
import dev.sluice.SocketType;
import dev.sluice.UnixAddress;
import dev.sluice.bindings.linux.string_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PosixTest {
    private final PosixSockets sys = PosixSockets.INSTANCE;

    @Test
    void everyPortableErrnoMatchesGlibcsText() {
        int mapped = 0;
        for (Errno e : Errno.values()) {
            if (e == Errno.UNKNOWN) continue;
            int n = LinuxErrno.number(e);
            assertTrue(n > 0, e + " has no Linux number");
            assertEquals(e, LinuxErrno.of(n));
            String text = string_h.strerror(n).reinterpret(200).getString(0);
            assertEquals(text, e.description(), e + " = " + n);
            mapped++;
        }
        assertTrue(mapped > 40);
        assertEquals(Errno.UNKNOWN, LinuxErrno.of(0));
        assertEquals(Errno.UNKNOWN, LinuxErrno.of(4000));
    }

    @Test
    void sockaddrsRoundTripThroughTheKernel() throws Exception {
        Path dir = Files.createTempDirectory("sluice-posix");
        Address[] addresses = {
            IPv4Address.LOOPBACK, IPv6Address.LOOPBACK,
            UnixAddress.path(dir.resolve("s.sock").toString()),
            UnixAddress.abstractName("sluice-test-" + ProcessHandle.current().pid())};
        for (Address a : addresses) {
            Protocol p = a.family().equals(Family.UNIX) ? Protocol.DEFAULT : Protocol.TCP;
            long fd = sys.open(a.family(), SocketType.STREAM, p, false);
            try {
                sys.bind(fd, a);
                Address bound = sys.localAddress(fd, a.family());
                if (a instanceof IPv4Address v4) {
                    assertEquals(v4.withPort(0), ((IPv4Address) bound).withPort(0));
                    assertNotEquals(0, ((IPv4Address) bound).port());
                } else if (a instanceof IPv6Address v6) {
                    assertEquals(v6.withPort(0), ((IPv6Address) bound).withPort(0));
                } else {
                    assertEquals(a, bound);
                }
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment sa = arena.allocate(Sockaddrs.STORAGE_BYTES, 8);
                    int len = Sockaddrs.encode(bound, sa);
                    assertEquals(bound, Sockaddrs.decode(sa, len));
                }
            } finally {
                sys.close(fd);
            }
        }
        Files.deleteIfExists(dir.resolve("s.sock"));
        Files.delete(dir);
    }

    @Test
    void optionsRoundTrip() throws Exception {
        long fd = sys.open(Family.INET, SocketType.STREAM, Protocol.TCP, true);
        try {
            sys.setOption(fd, SocketOption.TCP_NODELAY, true);
            assertTrue(sys.option(fd, SocketOption.TCP_NODELAY));
            sys.setOption(fd, SocketOption.REUSE_ADDRESS, false);
            assertFalse(sys.option(fd, SocketOption.REUSE_ADDRESS));
            sys.setOption(fd, SocketOption.LINGER_SECONDS, 0);
            assertEquals(0, sys.option(fd, SocketOption.LINGER_SECONDS));
            sys.setOption(fd, SocketOption.LINGER_SECONDS, -1);
            assertEquals(-1, sys.option(fd, SocketOption.LINGER_SECONDS));
            sys.setOption(fd, SocketOption.RECEIVE_BUFFER, 8192);
            assertEquals(16384, sys.option(fd, SocketOption.RECEIVE_BUFFER), "Linux doubles SO_RCVBUF");
            assertThrows(IllegalArgumentException.class, () -> sys.setOption(fd, SocketOption.SEND_BUFFER, -5));
        } finally {
            sys.close(fd);
        }
    }

    @Test
    void failuresAreTypedAndNamed() {
        SluiceException e = assertThrows(SluiceException.class, () -> sys.close(999_999));
        assertEquals(Errno.EBADF, e.errno());
        assertTrue(e.getMessage().startsWith("close fd 999999: EBADF (Bad file descriptor) [errno 9]"), e.getMessage());
    }

    @Test
    void resolvesLiteralsAndLocalhost() throws Exception {
        assertEquals(java.util.List.of(Address.ipv4("127.0.0.1", 80)), sys.resolve("127.0.0.1", "80", null, SocketType.STREAM));
        assertTrue(sys.resolve("localhost", "http", Family.INET, SocketType.STREAM).contains(Address.ipv4("127.0.0.1", 80)));
        SluiceException e = assertThrows(SluiceException.class, () -> sys.resolve("no-such-host.invalid", "80", null, SocketType.STREAM));
        assertTrue(e.getMessage().contains("no-such-host.invalid"), e.getMessage());
        assertFalse(sys.hostname().isEmpty());
    }
}
