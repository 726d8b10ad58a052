package dev.sluice;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Name resolution over the platform resolver (getaddrinfo, getnameinfo, gethostname). These calls
 * block in native code, which would pin a virtual thread's carrier; from a virtual thread they run
 * on a small pool of platform threads while the virtual thread parks.
 */
public final class Names {
    private static final ExecutorService RESOLVERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sluice-resolver");
        t.setDaemon(true);
        return t;
    });

    private Names() {
    }

    /**
     * Addresses for a host and a service (a port number or a name from /etc/services), in the
     * resolver's preferred order. Literals resolve without a lookup.
     */
    public static List<Address> resolve(String host, String service) throws SluiceException {
        return call(() -> Backends.sockets().resolve(host, service, null, SocketType.STREAM));
    }

    /** Like {@link #resolve(String, String)}, only addresses of one family. */
    public static List<Address> resolve(String host, String service, Family family) throws SluiceException {
        return call(() -> Backends.sockets().resolve(host, service, family, SocketType.STREAM));
    }

    /** This machine's host name. */
    public static String hostname() throws SluiceException {
        return call(() -> Backends.sockets().hostname());
    }

    /** The host name an address maps back to; fails with the resolver's error when none does. */
    public static String reverse(Address address) throws SluiceException {
        return call(() -> Backends.sockets().reverse(address));
    }

    private static <T> T call(Callable<T> task) throws SluiceException {
        try {
            if (!Thread.currentThread().isVirtual()) return task.call();
            return Ring.await(CompletableFuture.supplyAsync(() -> {
                try {
                    return task.call();
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, RESOLVERS));
        } catch (SluiceException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("name resolution failed", e);
        }
    }
}
