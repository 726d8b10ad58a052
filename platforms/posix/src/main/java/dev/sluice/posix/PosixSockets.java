package dev.sluice.posix;

import static dev.sluice.bindings.linux.socket_h.SOCK_CLOEXEC;
import static dev.sluice.bindings.linux.socket_h.SOCK_NONBLOCK;

import dev.sluice.Address;
import dev.sluice.Errno;
import dev.sluice.Family;
import dev.sluice.Protocol;
import dev.sluice.ResolutionException;
import dev.sluice.Shutdown;
import dev.sluice.SluiceException;
import dev.sluice.SocketOption;
import dev.sluice.SocketType;
import dev.sluice.bindings.linux.addrinfo;
import dev.sluice.bindings.linux.errno_h;
import dev.sluice.bindings.linux.fcntl_h;
import dev.sluice.bindings.linux.linger;
import dev.sluice.bindings.linux.netdb_h;
import dev.sluice.bindings.linux.socket_h;
import dev.sluice.bindings.linux.unistd_h;
import dev.sluice.spi.SocketSystem;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The synchronous socket calls of Linux, shared by every Linux backend. Thread-safe. */
public final class PosixSockets implements SocketSystem {
    /** The one instance; it holds no state. */
    public static final PosixSockets INSTANCE = new PosixSockets();

    private PosixSockets() {
    }

    private static int fd(long handle) {
        if (handle < 0 || handle > Integer.MAX_VALUE) throw new IllegalArgumentException("not a file descriptor: " + handle);
        return (int) handle;
    }

    @Override
    public long open(Family family, SocketType type, Protocol protocol, boolean nonBlocking) throws SluiceException {
        int t = LinuxNumbers.type(type) | SOCK_CLOEXEC | (nonBlocking ? SOCK_NONBLOCK : 0);
        int r = socket_h.socket(ErrnoState.current(), LinuxNumbers.family(family), t, LinuxNumbers.protocol(protocol));
        return ErrnoState.check(r, "socket " + family + "/" + type + "/" + protocol);
    }

    @Override
    public long[] pair(Family family, SocketType type, boolean nonBlocking) throws SluiceException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            int t = LinuxNumbers.type(type) | SOCK_CLOEXEC | (nonBlocking ? SOCK_NONBLOCK : 0);
            ErrnoState.check(socket_h.socketpair(ErrnoState.current(), LinuxNumbers.family(family), t, 0, fds), "socketpair " + family + "/" + type);
            return new long[] {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1)};
        }
    }

    @Override
    public void bind(long handle, Address address) throws SluiceException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(Sockaddrs.STORAGE_BYTES, 8);
            int len = Sockaddrs.encode(address, sa);
            ErrnoState.check(socket_h.bind(ErrnoState.current(), fd(handle), sa, len), "bind fd " + handle + " to " + address);
        }
    }

    @Override
    public void listen(long handle, int backlog) throws SluiceException {
        ErrnoState.check(socket_h.listen(ErrnoState.current(), fd(handle), backlog), "listen on fd " + handle);
    }

    @Override
    public <T> void setOption(long handle, SocketOption<T> option, T value) throws SluiceException {
        int[] ln = LinuxNumbers.option(option);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v;
            if (option.equals(SocketOption.LINGER_SECONDS)) {
                int seconds = (Integer) value;
                v = linger.allocate(arena);
                linger.l_onoff(v, seconds >= 0 ? 1 : 0);
                linger.l_linger(v, Math.max(0, seconds));
            } else {
                v = arena.allocate(ValueLayout.JAVA_INT);
                int raw = value instanceof Boolean b ? (b ? 1 : 0) : (Integer) value;
                if (option.type() == Integer.class && raw < 0) throw new IllegalArgumentException(option.name() + " must be >= 0, got " + raw);
                v.set(ValueLayout.JAVA_INT, 0, raw);
            }
            int r = socket_h.setsockopt(ErrnoState.current(), fd(handle), ln[0], ln[1], v, (int) v.byteSize());
            ErrnoState.check(r, "setsockopt " + option.name() + "=" + value + " on fd " + handle);
        }
    }

    @Override
    public <T> T option(long handle, SocketOption<T> option) throws SluiceException {
        int[] ln = LinuxNumbers.option(option);
        try (Arena arena = Arena.ofConfined()) {
            boolean isLinger = option.equals(SocketOption.LINGER_SECONDS);
            MemorySegment v = isLinger ? linger.allocate(arena) : arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, (int) v.byteSize());
            ErrnoState.check(socket_h.getsockopt(ErrnoState.current(), fd(handle), ln[0], ln[1], v, len), "getsockopt " + option.name() + " on fd " + handle);
            Object out;
            if (isLinger) out = linger.l_onoff(v) != 0 ? linger.l_linger(v) : -1;
            else if (option.type() == Boolean.class) out = v.get(ValueLayout.JAVA_INT, 0) != 0;
            else out = v.get(ValueLayout.JAVA_INT, 0);
            return option.type().cast(out);
        }
    }

    @Override
    public Address localAddress(long handle, Family family) throws SluiceException {
        return name(handle, true);
    }

    @Override
    public Address peerAddress(long handle, Family family) throws SluiceException {
        return name(handle, false);
    }

    private static Address name(long handle, boolean local) throws SluiceException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(Sockaddrs.STORAGE_BYTES, 8);
            MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, Sockaddrs.STORAGE_BYTES);
            int r = local ? socket_h.getsockname(ErrnoState.current(), fd(handle), sa, len)
                    : socket_h.getpeername(ErrnoState.current(), fd(handle), sa, len);
            ErrnoState.check(r, (local ? "getsockname" : "getpeername") + " of fd " + handle);
            return Sockaddrs.decode(sa, len.get(ValueLayout.JAVA_INT, 0));
        }
    }

    @Override
    public void shutdown(long handle, Shutdown how) throws SluiceException {
        ErrnoState.check(socket_h.shutdown(ErrnoState.current(), fd(handle), LinuxNumbers.shutdown(how)), "shutdown " + how + " of fd " + handle);
    }

    @Override
    public void close(long handle) throws SluiceException {
        int r = unistd_h.close(ErrnoState.current(), fd(handle));
        // After EINTR the fd is already released on Linux (close(2)); retrying could close a reused fd.
        if (r < 0 && ErrnoState.errno() != errno_h.EINTR) throw ErrnoState.failure("close fd " + handle, ErrnoState.errno());
    }

    @Override
    public int readNow(long handle, MemorySegment dst) throws SluiceException {
        while (true) {
            long r = unistd_h.read(ErrnoState.current(), fd(handle), dst, dst.byteSize());
            if (r >= 0) return (int) r;
            int e = ErrnoState.errno();
            if (e == errno_h.EINTR) continue;
            if (e == errno_h.EAGAIN) return -1;
            throw ErrnoState.failure("read fd " + handle, e);
        }
    }

    @Override
    public long[] pipe(int capacityBytes) throws SluiceException {
        if (capacityBytes < 4096) throw new IllegalArgumentException("pipe capacity must be >= 4096 bytes, got " + capacityBytes);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            ErrnoState.check(unistd_h.pipe2(ErrnoState.current(), fds, fcntl_h.O_CLOEXEC | fcntl_h.O_NONBLOCK), "pipe2");
            int r = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
            int w = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
            // F_SETPIPE_SZ may refuse sizes above /proc/sys/fs/pipe-max-size for unprivileged users: keep the default then.
            int granted = fcntl_h.fcntl(ErrnoState.current(), w, fcntl_h.F_SETPIPE_SZ, capacityBytes);
            if (granted < 0) granted = fcntl_h.fcntl(ErrnoState.current(), w, fcntl_h.F_GETPIPE_SZ);
            return new long[] {r, w, Math.max(granted, 4096)};
        }
    }

    @Override
    public List<Address> resolve(String host, String service, Family familyOrNull, SocketType typeOrNull) throws SluiceException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment hints = addrinfo.allocate(arena);
            hints.fill((byte) 0);
            addrinfo.ai_family(hints, familyOrNull == null ? socket_h.AF_UNSPEC : LinuxNumbers.family(familyOrNull));
            addrinfo.ai_socktype(hints, typeOrNull == null ? 0 : LinuxNumbers.type(typeOrNull));
            MemorySegment res = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment node = host == null ? MemorySegment.NULL : arena.allocateFrom(host);
            MemorySegment serv = service == null ? MemorySegment.NULL : arena.allocateFrom(service);
            int rc = netdb_h.getaddrinfo(ErrnoState.current(), node, serv, hints, res);
            if (rc != 0) throw resolutionFailure("resolve " + host + ":" + service, rc);
            MemorySegment head = res.get(ValueLayout.ADDRESS, 0);
            Set<Address> out = new LinkedHashSet<>();
            try {
                for (MemorySegment ai = head; !ai.equals(MemorySegment.NULL); ) {
                    MemorySegment info = ai.reinterpret(addrinfo.sizeof());
                    int len = addrinfo.ai_addrlen(info);
                    int af = addrinfo.ai_family(info);
                    if (af == socket_h.AF_INET || af == socket_h.AF_INET6) {
                        out.add(Sockaddrs.decode(addrinfo.ai_addr(info).reinterpret(len), len));
                    }
                    ai = addrinfo.ai_next(info);
                }
            } finally {
                netdb_h.freeaddrinfo(head);
            }
            return new ArrayList<>(out);
        }
    }

    private static SluiceException resolutionFailure(String what, int gaiCode) {
        if (gaiCode == netdb_h.EAI_SYSTEM) return ErrnoState.failure(what, ErrnoState.errno());
        String text = netdb_h.gai_strerror(gaiCode).reinterpret(256).getString(0);
        Errno errno = switch (gaiCode) {
            case netdb_h.EAI_NONAME, netdb_h.EAI_NODATA, netdb_h.EAI_ADDRFAMILY -> Errno.ENOENT;
            case netdb_h.EAI_AGAIN -> Errno.EAGAIN;
            case netdb_h.EAI_MEMORY -> Errno.ENOMEM;
            case netdb_h.EAI_FAMILY -> Errno.EAFNOSUPPORT;
            case netdb_h.EAI_SOCKTYPE -> Errno.ESOCKTNOSUPPORT;
            case netdb_h.EAI_BADFLAGS, netdb_h.EAI_SERVICE -> Errno.EINVAL;
            default -> Errno.UNKNOWN;
        };
        return new ResolutionException(what, errno, gaiCode, text);
    }

    @Override
    public String hostname() throws SluiceException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256);
            ErrnoState.check(unistd_h.gethostname(ErrnoState.current(), buf, buf.byteSize()), "gethostname");
            return buf.getString(0);
        }
    }

    @Override
    public String reverse(Address address) throws SluiceException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(Sockaddrs.STORAGE_BYTES, 8);
            int len = Sockaddrs.encode(address, sa);
            MemorySegment host = arena.allocate(netdb_h.NI_MAXHOST);
            int rc = netdb_h.getnameinfo(ErrnoState.current(), sa, len, host, netdb_h.NI_MAXHOST, MemorySegment.NULL, 0, netdb_h.NI_NAMEREQD);
            if (rc != 0) throw resolutionFailure("reverse lookup of " + address, rc);
            return host.getString(0);
        }
    }
}
