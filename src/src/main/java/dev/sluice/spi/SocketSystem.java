package dev.sluice.spi;

import dev.sluice.Address;
import dev.sluice.Family;
import dev.sluice.Protocol;
import dev.sluice.Shutdown;
import dev.sluice.SluiceException;
import dev.sluice.SocketOption;
import dev.sluice.SocketType;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Synchronous socket calls of one platform. Thread-safe. Handles are fds on POSIX and SOCKETs
 * on Windows. Every failure is a {@link SluiceException} naming the call and the portable errno.
 */
public interface SocketSystem {
    /** Opens a socket; {@code nonBlocking} for readiness backends. Close-on-exec is always set. */
    long open(Family family, SocketType type, Protocol protocol, boolean nonBlocking) throws SluiceException;

    /** A connected pair (socketpair(2)). */
    long[] pair(Family family, SocketType type, boolean nonBlocking) throws SluiceException;

    void bind(long handle, Address address) throws SluiceException;

    void listen(long handle, int backlog) throws SluiceException;

    <T> void setOption(long handle, SocketOption<T> option, T value) throws SluiceException;

    <T> T option(long handle, SocketOption<T> option) throws SluiceException;

    Address localAddress(long handle, Family family) throws SluiceException;

    Address peerAddress(long handle, Family family) throws SluiceException;

    void shutdown(long handle, Shutdown how) throws SluiceException;

    /** Closes a handle; also used for fds received with SCM_RIGHTS. */
    void close(long handle) throws SluiceException;

    /**
     * Reads what a non-blocking handle (a pipe end) holds now, without waiting.
     *
     * @return bytes read, 0 at end of file, -1 when nothing is there now
     */
    int readNow(long handle, MemorySegment dst) throws SluiceException;

    /** A pipe: {read end, write end}, close-on-exec, non-blocking, sized where allowed; returns the size granted as third element. */
    long[] pipe(int capacityBytes) throws SluiceException;

    /** getaddrinfo: addresses for a host and service, in the resolver's order. Blocking. */
    List<Address> resolve(String host, String service, Family familyOrNull, SocketType typeOrNull) throws SluiceException;

    /** gethostname. */
    String hostname() throws SluiceException;

    /** getnameinfo with NI_NAMEREQD: the host name of an address. Blocking. */
    String reverse(Address address) throws SluiceException;
}
