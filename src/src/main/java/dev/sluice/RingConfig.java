package dev.sluice;

/**
 * Every limit a ring has, validated once when the ring opens. Units go last in names.
 *
 * @param entries      submission queue size: operations handed to the kernel per batch; a power of two, 1 to 32768
 * @param inflightMax  operations in flight at once; more wait in the ring, in order, until earlier ones complete.
 *                     io_uring sizes its completion queue from this so it cannot overflow. At least {@code entries}
 * @param backend      the backend to use by name ({@code "io_uring"}, {@code "epoll"}), or null to let Sluice choose
 *                     (the system property {@code sluice.backend} is consulted then)
 */
public record RingConfig(int entries, int inflightMax, String backend) {
    /** Largest submission queue io_uring accepts. */
    public static final int ENTRIES_MAX = 32768;
    /** Largest in-flight limit; io_uring caps its completion queue at 2 × 32768 × 2 entries, and we keep margin. */
    public static final int INFLIGHT_MAX = 65536;

    /** 256 entries, 4096 operations in flight, automatic backend choice. */
    public static final RingConfig DEFAULT = new RingConfig(256, 4096, null);

    public RingConfig {
        if (entries < 1 || entries > ENTRIES_MAX || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("entries must be a power of two from 1 to " + ENTRIES_MAX + ", got " + entries);
        }
        if (inflightMax < entries || inflightMax > INFLIGHT_MAX) {
            throw new IllegalArgumentException("inflightMax must be from entries (" + entries + ") to " + INFLIGHT_MAX + ", got " + inflightMax);
        }
        if (backend != null && backend.isBlank()) throw new IllegalArgumentException("backend name is blank; use null for automatic choice");
    }

    /** The same limits with another submission queue size. */
    public RingConfig withEntries(int newEntries) {
        return new RingConfig(newEntries, Math.max(inflightMax, newEntries), backend);
    }

    /** The same limits with another in-flight limit. */
    public RingConfig withInflightMax(int newInflightMax) {
        return new RingConfig(entries, newInflightMax, backend);
    }

    /** The same limits with the backend forced, e.g. {@code "epoll"}; null for automatic choice. */
    public RingConfig withBackend(String newBackend) {
        return new RingConfig(entries, inflightMax, newBackend);
    }
}
