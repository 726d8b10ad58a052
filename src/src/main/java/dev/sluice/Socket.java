package dev.sluice;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * A socket registered with one {@link Ring}. Its asynchronous operations are on the ring; the
 * methods here are the synchronous calls (options, addresses, bind, listen) and blocking forms
 * meant for virtual threads, which park while the ring does the I/O. Blocking forms must not be
 * called on the ring's own thread: that would wait for itself, so they throw instead.
 */
public sealed class Socket implements AutoCloseable permits UnixSocket {
    final Ring ring;
    private final long handle;
    private final Family family;
    private final SocketType type;
    private final Protocol protocol;
    volatile boolean closed;
    /**
     * A socket error the kernel reported to {@link Join} while it was being unjoined, which the
     * kernel will not report again. The ring hands it on once, where the kernel would have: the
     * next send fails with it at once; a receive first reads what is still queued and fails with it
     * where it would have found the end. Ring thread only.
     */
    Errno pendingError;
    int pendingNativeErrno;

    Socket(Ring ring, long handle, Family family, SocketType type, Protocol protocol) {
        this.ring = ring;
        this.handle = handle;
        this.family = family;
        this.type = type;
        this.protocol = protocol;
    }

    /** The ring this socket belongs to; its operations run there. */
    public Ring ring() {
        return ring;
    }

    /** The native handle: the fd on POSIX. For backends and diagnostics; do not close it yourself. */
    public long handle() {
        return handle;
    }

    public Family family() {
        return family;
    }

    public SocketType type() {
        return type;
    }

    public Protocol protocol() {
        return protocol;
    }

    /** False once closed, by {@link #close()}, an asynchronous close, or the ring closing. */
    public boolean isOpen() {
        return !closed;
    }

    /** Sets a socket option. */
    public <T> void setOption(SocketOption<T> option, T value) throws SluiceException {
        checkOpen();
        ring.sockets().setOption(handle, option, value);
    }

    /** Reads a socket option. */
    public <T> T option(SocketOption<T> option) throws SluiceException {
        checkOpen();
        return ring.sockets().option(handle, option);
    }

    /** Binds to a local address; the address's family must be this socket's. */
    public void bind(Address address) throws SluiceException {
        checkOpen();
        ring.checkFamily(this, address, "bind");
        ring.sockets().bind(handle, address);
    }

    /** Starts listening for connections with a backlog (capped by the kernel at somaxconn). */
    public void listen(int backlog) throws SluiceException {
        checkOpen();
        if (backlog < 1) throw new IllegalArgumentException("backlog must be >= 1, got " + backlog);
        ring.sockets().listen(handle, backlog);
    }

    /** The address this socket is bound to. */
    public Address localAddress() throws SluiceException {
        checkOpen();
        return ring.sockets().localAddress(handle, family);
    }

    /** The address of the connected peer. */
    public Address peerAddress() throws SluiceException {
        checkOpen();
        return ring.sockets().peerAddress(handle, family);
    }

    // Blocking forms, for virtual threads.

    /** Waits for a connection. */
    public Socket accept() throws IOException {
        return ring.block(() -> ring.accept(this), "accept");
    }

    /** Connects and waits until connected. */
    public void connect(Address address) throws IOException {
        ring.block(() -> ring.connect(this, address), "connect");
    }

    /** Sends what the kernel takes now (at least one byte) and returns how much. */
    public int send(MemorySegment buffer) throws IOException {
        return ring.block(() -> ring.send(this, buffer), "send");
    }

    /** Sends the whole buffer, looping over short writes. */
    public void sendAll(MemorySegment buffer) throws IOException {
        long offset = 0;
        while (offset < buffer.byteSize()) {
            offset += send(buffer.asSlice(offset));
        }
    }

    /** Receives into the buffer; returns the byte count, 0 at end of stream. */
    public int recv(MemorySegment buffer) throws IOException {
        return ring.block(() -> ring.recv(this, buffer), "recv");
    }

    /** Sends one datagram to an address. */
    public int sendTo(MemorySegment buffer, Address to) throws IOException {
        return ring.block(() -> ring.sendto(this, buffer, to), "sendto");
    }

    /** Receives one datagram and its sender. */
    public Received recvFrom(MemorySegment buffer) throws IOException {
        return ring.block(() -> ring.recvfrom(this, buffer), "recvfrom");
    }

    /** Ends one or both directions. */
    public void shutdown(Shutdown how) throws IOException {
        ring.block(() -> ring.shutdown(this, how), "shutdown");
    }

    /**
     * Closes the socket. Operations still pending on it complete with {@link Errno#ECANCELED}.
     * Idempotent. From another thread it hands the close to the ring's thread and waits.
     */
    @Override
    public void close() {
        ring.closeSocket(this);
    }

    void checkOpen() {
        if (closed) throw new IllegalStateException("socket fd " + handle + " is closed");
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[fd " + handle + ", " + family + "/" + type + (closed ? ", closed" : "") + "]";
    }
}
