package dev.sluice;

/**
 * Receives the result of one operation, on the ring's thread, after the ring has reaped it.
 * Never called from inside the method that submitted the operation. The completion may be
 * reused for a new operation from inside the handler.
 */
@FunctionalInterface
public interface Handler {
    /** Called exactly once per submitted operation. */
    void completed(Completion completion);
}
