package dev.sluice.spi;

/**
 * Whether a backend can run on this machine, and why not.
 *
 * @param available true when rings can be opened
 * @param reason    a sentence for people: what was found, and when unavailable, the cause and the fix
 */
public record Probe(boolean available, String reason) {
    public static Probe available(String reason) {
        return new Probe(true, reason);
    }

    public static Probe unavailable(String reason) {
        return new Probe(false, reason);
    }
}
