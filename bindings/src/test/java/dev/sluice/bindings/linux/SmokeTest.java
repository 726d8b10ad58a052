package dev.sluice.bindings.linux;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static dev.sluice.bindings.linux.CLayouts.C_INT;
import static dev.sluice.bindings.linux.CLayouts.C_LONG;
import static dev.sluice.bindings.linux.CLayouts.C_POINTER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Calls a few functions for real: proves the descriptors, errno capture and struct layouts work. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SmokeTest {
    private Arena arena;
    private MemorySegment errno;

    @BeforeEach
    void setUp() {
        arena = Arena.ofShared(); // the test body runs on the timeout thread, not the setup one
        errno = CapturedErrno.allocate(arena);
    }

    @AfterEach
    void tearDown() {
        arena.close();
    }

    /** The "result or -errno" convention callers build on top of the raw result. */
    private long check(long r) {
        return r < 0 ? -CapturedErrno.errno(errno) : r;
    }

    @Test
    void closeOfBadFdCapturesEbadf() {
        assertEquals(-1, unistd_h.close(errno, -1));
        assertEquals(errno_h.EBADF, CapturedErrno.errno(errno));
        String msg = string_h.strerror(errno_h.EBADF).reinterpret(256).getString(0);
        assertEquals("Bad file descriptor", msg);
    }

    @Test
    void getpidMatchesTheJvm() {
        assertEquals(ProcessHandle.current().pid(), unistd_h.getpid());
    }

    @Test
    void socketpairSendmsgRecvmsgWithScmRights() {
        MemorySegment sv = arena.allocate(C_INT, 2);
        assertEquals(0, check(socket_h.socketpair(errno, socket_h.AF_UNIX, socket_h.SOCK_STREAM | socket_h.SOCK_CLOEXEC, 0, sv)));
        int a = sv.getAtIndex(C_INT, 0), b = sv.getAtIndex(C_INT, 1);
        MemorySegment pipe = arena.allocate(C_INT, 2);
        assertEquals(0, check(unistd_h.pipe2(errno, pipe, fcntl_h.O_CLOEXEC)));
        int received = -1;
        try {
            // Send "hello" with the pipe's read end attached as SCM_RIGHTS.
            MemorySegment data = arena.allocateFrom("hello");
            MemorySegment iov = iovec.allocate(arena);
            iovec.iov_base(iov, data);
            iovec.iov_len(iov, 5);
            MemorySegment control = arena.allocate(socket_h.CMSG_SPACE(C_INT.byteSize()), 8);
            cmsghdr.cmsg_len(control, socket_h.CMSG_LEN(C_INT.byteSize()));
            cmsghdr.cmsg_level(control, socket_h.SOL_SOCKET);
            cmsghdr.cmsg_type(control, socket_h.SCM_RIGHTS);
            socket_h.CMSG_DATA(control).set(C_INT, 0, pipe.getAtIndex(C_INT, 0));
            MemorySegment msg = msghdr.allocate(arena);
            msghdr.msg_iov(msg, iov);
            msghdr.msg_iovlen(msg, 1);
            msghdr.msg_control(msg, control);
            msghdr.msg_controllen(msg, control.byteSize());
            assertEquals(5, check(socket_h.sendmsg(errno, a, msg, socket_h.MSG_NOSIGNAL)));

            MemorySegment in = arena.allocate(16);
            MemorySegment inIov = iovec.allocate(arena);
            iovec.iov_base(inIov, in);
            iovec.iov_len(inIov, in.byteSize());
            MemorySegment inControl = arena.allocate(socket_h.CMSG_SPACE(C_INT.byteSize()), 8);
            MemorySegment inMsg = msghdr.allocate(arena);
            msghdr.msg_iov(inMsg, inIov);
            msghdr.msg_iovlen(inMsg, 1);
            msghdr.msg_control(inMsg, inControl);
            msghdr.msg_controllen(inMsg, inControl.byteSize());
            assertEquals(5, check(socket_h.recvmsg(errno, b, inMsg, socket_h.MSG_CMSG_CLOEXEC)));
            assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), in.asSlice(0, 5).toArray(CLayouts.C_CHAR));
            assertEquals(0, msghdr.msg_flags(inMsg) & socket_h.MSG_CTRUNC);
            assertEquals(socket_h.SOL_SOCKET, cmsghdr.cmsg_level(inControl));
            assertEquals(socket_h.SCM_RIGHTS, cmsghdr.cmsg_type(inControl));
            assertEquals(socket_h.CMSG_LEN(C_INT.byteSize()), cmsghdr.cmsg_len(inControl));
            received = socket_h.CMSG_DATA(inControl).get(C_INT, 0);
            int fdFlags = (int) check(fcntl_h.fcntl(errno, received, fcntl_h.F_GETFD));
            assertEquals(fcntl_h.FD_CLOEXEC, fdFlags & fcntl_h.FD_CLOEXEC, "MSG_CMSG_CLOEXEC set close-on-exec");

            // A socket option round trip through getsockopt.
            MemorySegment type = arena.allocate(C_INT);
            MemorySegment len = arena.allocateFrom(C_INT, 4);
            assertEquals(0, check(socket_h.getsockopt(errno, a, socket_h.SOL_SOCKET, socket_h.SO_TYPE, type, len)));
            assertEquals(socket_h.SOCK_STREAM, type.get(C_INT, 0));
        } finally {
            if (received >= 0) unistd_h.close(errno, received);
            unistd_h.close(errno, pipe.getAtIndex(C_INT, 0));
            unistd_h.close(errno, pipe.getAtIndex(C_INT, 1));
            unistd_h.close(errno, a);
            unistd_h.close(errno, b);
        }
    }

    @Test
    void eventfdWithEpoll() {
        int efd = (int) check(sys_eventfd_h.eventfd(errno, 0, sys_eventfd_h.EFD_CLOEXEC | sys_eventfd_h.EFD_NONBLOCK));
        assertTrue(efd >= 0, "eventfd: " + efd);
        int ep = (int) check(sys_epoll_h.epoll_create1(errno, sys_epoll_h.EPOLL_CLOEXEC));
        assertTrue(ep >= 0, "epoll_create1: " + ep);
        try {
            MemorySegment counter = arena.allocate(C_LONG);
            assertEquals(-errno_h.EAGAIN, check(unistd_h.read(errno, efd, counter, 8)), "empty non-blocking eventfd");

            MemorySegment ev = epoll_event.allocate(arena);
            epoll_event.events(ev, sys_epoll_h.EPOLLIN | sys_epoll_h.EPOLLET);
            epoll_event.data(ev, 0x1234_5678_9abc_def0L);
            assertEquals(0, check(sys_epoll_h.epoll_ctl(errno, ep, sys_epoll_h.EPOLL_CTL_ADD, efd, ev)));

            counter.set(C_LONG, 0, 3);
            assertEquals(8, check(unistd_h.write(errno, efd, counter, 8)));
            // Index 1 of the array lands at an unaligned data offset on x86_64 (12 + 4).
            MemorySegment events = epoll_event.allocateArray(4, arena);
            assertEquals(1, check(sys_epoll_h.epoll_wait(errno, ep, events, 4, 1000)));
            MemorySegment first = epoll_event.asSlice(events, 0);
            assertEquals(sys_epoll_h.EPOLLIN, epoll_event.events(first) & sys_epoll_h.EPOLLIN);
            assertEquals(0x1234_5678_9abc_def0L, epoll_event.data(first));
            epoll_event.data(epoll_event.asSlice(events, 1), -1L); // unaligned access must not throw

            assertEquals(8, check(unistd_h.read(errno, efd, counter, 8)));
            assertEquals(3, counter.get(C_LONG, 0));
        } finally {
            unistd_h.close(errno, ep);
            unistd_h.close(errno, efd);
        }
    }

    @Test
    void pipe2AndFcntl() {
        MemorySegment fds = arena.allocate(C_INT, 2);
        assertEquals(0, check(unistd_h.pipe2(errno, fds, fcntl_h.O_CLOEXEC | fcntl_h.O_NONBLOCK)));
        int r = fds.getAtIndex(C_INT, 0), w = fds.getAtIndex(C_INT, 1);
        try {
            int fl = (int) check(fcntl_h.fcntl(errno, r, fcntl_h.F_GETFL));
            assertEquals(fcntl_h.O_NONBLOCK, fl & fcntl_h.O_NONBLOCK);
            assertEquals(0, check(fcntl_h.fcntl(errno, r, fcntl_h.F_SETFL, fl & ~fcntl_h.O_NONBLOCK)));
            assertEquals(0, check(fcntl_h.fcntl(errno, r, fcntl_h.F_GETFL)) & fcntl_h.O_NONBLOCK);
            long size = check(fcntl_h.fcntl(errno, w, fcntl_h.F_SETPIPE_SZ, 1 << 16));
            assertTrue(size >= 1 << 16, "F_SETPIPE_SZ: " + size);
            assertEquals(size, check(fcntl_h.fcntl(errno, w, fcntl_h.F_GETPIPE_SZ)));
            MemorySegment buf = arena.allocateFrom("pipe");
            assertEquals(4, check(unistd_h.write(errno, w, buf, 4)));
            MemorySegment in = arena.allocate(4);
            assertEquals(4, check(unistd_h.read(errno, r, in, 4)));
            assertEquals("pipe", new String(in.toArray(CLayouts.C_CHAR), StandardCharsets.US_ASCII));
        } finally {
            unistd_h.close(errno, r);
            unistd_h.close(errno, w);
        }
    }

    @Test
    void getaddrinfoLocalhost() {
        MemorySegment hints = addrinfo.allocate(arena);
        addrinfo.ai_family(hints, socket_h.AF_UNSPEC);
        addrinfo.ai_socktype(hints, socket_h.SOCK_STREAM);
        MemorySegment res = arena.allocate(C_POINTER);
        int rc = netdb_h.getaddrinfo(errno, arena.allocateFrom("localhost"), arena.allocateFrom("80"), hints, res);
        assertEquals(0, rc, () -> "getaddrinfo: " + netdb_h.gai_strerror(rc).reinterpret(256).getString(0));
        MemorySegment head = res.get(C_POINTER, 0);
        try {
            int found = 0;
            for (MemorySegment ai = head; !ai.equals(MemorySegment.NULL); ai = addrinfo.ai_next(ai)) {
                ai = ai.reinterpret(addrinfo.sizeof());
                int family = addrinfo.ai_family(ai);
                MemorySegment sa = addrinfo.ai_addr(ai).reinterpret(addrinfo.ai_addrlen(ai));
                if (family == socket_h.AF_INET) {
                    assertEquals(sockaddr_in.sizeof(), addrinfo.ai_addrlen(ai));
                    // Network byte order: the raw short is big-endian.
                    assertEquals(80, Short.toUnsignedInt(sa.get(CLayouts.C_SHORT.withOrder(ByteOrder.BIG_ENDIAN), sockaddr_in.OFFSET_sin_port)));
                    assertEquals(netinet_in_h.INADDR_LOOPBACK, Integer.reverseBytes(in_addr.s_addr(sockaddr_in.sin_addr(sa))));
                    found++;
                } else if (family == socket_h.AF_INET6) {
                    assertEquals(sockaddr_in6.sizeof(), addrinfo.ai_addrlen(ai));
                    assertEquals(80, Short.toUnsignedInt(Short.reverseBytes(sockaddr_in6.sin6_port(sa))));
                    found++;
                }
            }
            assertTrue(found > 0, "localhost resolved to no AF_INET/AF_INET6 address");
        } finally {
            netdb_h.freeaddrinfo(head);
        }
        String noname = netdb_h.gai_strerror(netdb_h.EAI_NONAME).reinterpret(256).getString(0);
        assertNotEquals("", noname);
    }

    @Test
    void tcpLoopbackBindListenConnectAccept() {
        int l = (int) check(socket_h.socket(errno, socket_h.AF_INET, socket_h.SOCK_STREAM | socket_h.SOCK_CLOEXEC, 0));
        int c = -1, s = -1;
        try {
            MemorySegment one = arena.allocateFrom(C_INT, 1);
            assertEquals(0, check(socket_h.setsockopt(errno, l, socket_h.SOL_SOCKET, socket_h.SO_REUSEADDR, one, 4)));
            MemorySegment addr = sockaddr_in.allocate(arena);
            sockaddr_in.sin_family(addr, (short) socket_h.AF_INET);
            sockaddr_in.sin_port(addr, (short) 0);
            in_addr.s_addr(sockaddr_in.sin_addr(addr), Integer.reverseBytes(netinet_in_h.INADDR_LOOPBACK));
            assertEquals(0, check(socket_h.bind(errno, l, addr, (int) sockaddr_in.sizeof())));
            assertEquals(0, check(socket_h.listen(errno, l, socket_h.SOMAXCONN)));
            MemorySegment len = arena.allocateFrom(C_INT, (int) sockaddr_in.sizeof());
            assertEquals(0, check(socket_h.getsockname(errno, l, addr, len)));
            assertNotEquals(0, sockaddr_in.sin_port(addr));

            c = (int) check(socket_h.socket(errno, socket_h.AF_INET, socket_h.SOCK_STREAM | socket_h.SOCK_CLOEXEC, 0));
            assertEquals(0, check(socket_h.connect(errno, c, addr, (int) sockaddr_in.sizeof())));
            MemorySegment peer = sockaddr_storage.allocate(arena);
            MemorySegment peerLen = arena.allocateFrom(C_INT, (int) sockaddr_storage.sizeof());
            s = (int) check(socket_h.accept4(errno, l, peer, peerLen, socket_h.SOCK_CLOEXEC));
            assertTrue(s >= 0, "accept4: " + s);
            assertEquals(socket_h.AF_INET, sockaddr_storage.ss_family(peer));
            assertEquals(0, check(socket_h.setsockopt(errno, s, netinet_in_h.IPPROTO_TCP, netinet_tcp_h.TCP_NODELAY, one, 4)));

            MemorySegment buf = arena.allocateFrom("ping");
            assertEquals(4, check(socket_h.send(errno, c, buf, 4, socket_h.MSG_NOSIGNAL)));
            MemorySegment in = arena.allocate(8);
            assertEquals(4, check(socket_h.recv(errno, s, in, 4, socket_h.MSG_WAITALL)));
            assertEquals(0, check(socket_h.shutdown(errno, c, socket_h.SHUT_WR)));
            assertEquals(0, check(socket_h.recv(errno, s, in, 8, 0)), "FIN reads as 0");

            MemorySegment refused = sockaddr_in.allocate(arena);
            MemorySegment.copy(addr, 0, refused, 0, sockaddr_in.sizeof());
            unistd_h.close(errno, l);
            l = -1;
            int c2 = (int) check(socket_h.socket(errno, socket_h.AF_INET, socket_h.SOCK_STREAM | socket_h.SOCK_CLOEXEC, 0));
            try {
                assertEquals(-errno_h.ECONNREFUSED, check(socket_h.connect(errno, c2, refused, (int) sockaddr_in.sizeof())));
            } finally {
                unistd_h.close(errno, c2);
            }
        } finally {
            if (l >= 0) unistd_h.close(errno, l);
            if (c >= 0) unistd_h.close(errno, c);
            if (s >= 0) unistd_h.close(errno, s);
        }
    }

    @Test
    void mmapAnonymous() {
        MemorySegment p = sys_mman_h.mmap(errno, MemorySegment.NULL, 4096, sys_mman_h.PROT_READ | sys_mman_h.PROT_WRITE,
                sys_mman_h.MAP_PRIVATE | sys_mman_h.MAP_ANONYMOUS, -1, 0);
        assertNotEquals(sys_mman_h.MAP_FAILED, p.address(), () -> "mmap errno " + CapturedErrno.errno(errno));
        MemorySegment m = p.reinterpret(4096);
        m.set(C_LONG, 4088, 42L);
        assertEquals(42L, m.get(C_LONG, 4088));
        assertEquals(0, check(sys_mman_h.munmap(errno, p, 4096)));
    }

    @Test
    void ioUringSetupThroughSyscall() {
        MemorySegment params = io_uring_params.allocate(arena);
        int fd = syscall_h.io_uring_setup(errno, 4, params);
        if (fd < 0) {
            int e = CapturedErrno.errno(errno);
            // ENOSYS: seccomp (e.g. Docker's default profile) or no kernel support; EPERM: io_uring_disabled.
            assumeTrue(e != errno_h.ENOSYS && e != errno_h.EPERM, "io_uring unavailable here: errno " + e);
            throw new AssertionError("io_uring_setup failed with errno " + e);
        }
        try {
            assertEquals(4, io_uring_params.sq_entries(params));
            assertEquals(8, io_uring_params.cq_entries(params));
            assertNotEquals(0, io_uring_params.features(params) & io_uring_h.IORING_FEAT_SINGLE_MMAP);
            MemorySegment sqOff = io_uring_params.sq_off(params);
            assertTrue(io_sqring_offsets.array(sqOff) > io_sqring_offsets.tail(sqOff));
            // Submitting nothing returns 0; an unknown register opcode is EINVAL.
            assertEquals(0, check(syscall_h.io_uring_enter(errno, fd, 0, 0, 0, MemorySegment.NULL, 0)));
            assertEquals(-errno_h.EINVAL, check(syscall_h.io_uring_register(errno, fd, 9999, MemorySegment.NULL, 0)));
        } finally {
            unistd_h.close(errno, fd);
        }
    }
}
