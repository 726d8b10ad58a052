package dev.sluice;

import dev.sluice.spi.BackendProvider;
import dev.sluice.spi.Probe;
import dev.sluice.spi.SocketSystem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The backends on the class path, found with {@link ServiceLoader}, and how one is chosen: a name
 * given in {@link RingConfig#backend()} or the system property {@code sluice.backend} forces it;
 * otherwise the available backend with the highest priority wins. Probes run once per JVM.
 */
public final class Backends {
    /** System property that forces a backend by name, e.g. {@code -Dsluice.backend=epoll}. */
    public static final String PROPERTY = "sluice.backend";

    private static final System.Logger LOG = System.getLogger("dev.sluice");

    /**
     * One backend as found on this machine.
     *
     * @param name      its name
     * @param priority  higher is preferred
     * @param available whether rings can be opened on it here
     * @param reason    what its probe found
     */
    public record Status(String name, int priority, boolean available, String reason) {
    }

    record Choice(BackendProvider provider, String reason) {
    }

    private record Found(BackendProvider provider, Probe probe) {
    }

    private static volatile List<Found> found;
    private static volatile String logged;

    private Backends() {
    }

    private static List<Found> found() {
        List<Found> f = found;
        if (f == null) {
            synchronized (Backends.class) {
                f = found;
                if (f == null) {
                    List<Found> list = new ArrayList<>();
                    for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
                        Probe probe;
                        try {
                            probe = p.probe();
                        } catch (Throwable e) {
                            probe = Probe.unavailable("probe failed: " + e);
                        }
                        list.add(new Found(p, probe));
                    }
                    list.sort(Comparator.comparingInt((Found x) -> x.provider().priority()).reversed());
                    found = f = List.copyOf(list);
                }
            }
        }
        return f;
    }

    /** Every backend on the class path, best first, with what its probe found. */
    public static List<Status> list() {
        List<Status> out = new ArrayList<>();
        for (Found f : found()) {
            out.add(new Status(f.provider().name(), f.provider().priority(), f.probe().available(), f.probe().reason()));
        }
        return out;
    }

    /** Names of the backends that can run here, best first. */
    public static List<String> available() {
        return list().stream().filter(Status::available).map(Status::name).toList();
    }

    static Choice choose(String requested) throws SluiceException {
        List<Found> all = found();
        if (all.isEmpty()) {
            throw new IllegalStateException("no Sluice backend on the class path: add the dev.sluice:sluice dependency");
        }
        String name = requested != null ? requested : System.getProperty(PROPERTY);
        if (name != null && !name.isBlank()) {
            for (Found f : all) {
                if (!f.provider().name().equals(name)) continue;
                if (!f.probe().available()) {
                    throw new IllegalStateException("backend " + name + " was requested but is unavailable: " + f.probe().reason());
                }
                return log(new Choice(f.provider(), name + " requested" + (requested != null ? " by RingConfig" : " by -D" + PROPERTY) + "; " + f.probe().reason()));
            }
            throw new IllegalArgumentException("no backend named " + name + "; on the class path: " + all.stream().map(f -> f.provider().name()).toList());
        }
        StringBuilder skipped = new StringBuilder();
        for (Found f : all) {
            if (f.probe().available()) {
                String reason = skipped.isEmpty() ? f.probe().reason() : skipped + "chose " + f.provider().name() + " (" + f.probe().reason() + ")";
                return log(new Choice(f.provider(), reason));
            }
            skipped.append(f.provider().name()).append(" unavailable: ").append(f.probe().reason()).append("; ");
        }
        throw new IllegalStateException("no Sluice backend can run here: " + skipped);
    }

    private static Choice log(Choice c) {
        String line = "Sluice backend " + c.provider().name() + ": " + c.reason();
        if (!line.equals(logged)) {
            logged = line;
            LOG.log(System.Logger.Level.DEBUG, line);
        }
        return c;
    }

    /** The synchronous socket calls of the best available backend, for use without a ring. */
    static SocketSystem sockets() throws SluiceException {
        return choose(null).provider().sockets();
    }
}
