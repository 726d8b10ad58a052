/**
 * The backend-agnostic conformance suite: what every Sluice backend must do, checked the same
 * way on each (Netty's testsuite and TigerBeetle's shared IO tests are the models).
 *
 * <p>Every class extending {@link dev.sluice.conformance.RingTest} runs once per backend
 * available here ({@code dev.sluice.Backends.available()}), shown as {@code EchoTest [io_uring]},
 * {@code EchoTest [epoll]}. {@link dev.sluice.conformance.BackendDiscoveryTest} fails the run on
 * Linux unless both io_uring and epoll are available (set {@code SLUICE_ALLOW_MISSING_BACKEND}
 * to accept a missing one), so CI cannot pass by testing less than it thinks.
 *
 * <p>Rules every test keeps:
 * <ul>
 *   <li>only the public API ({@code dev.sluice.*}); the Linux bindings appear only as scaffolding
 *       (pipes in {@link dev.sluice.conformance.Posix}, the seccomp filter in
 *       {@link dev.sluice.conformance.SeccompChild});</li>
 *   <li>every byte moved is checked against what was sent ({@link dev.sluice.conformance.Pattern});</li>
 *   <li>every test has a timeout and every wait is bounded ({@link dev.sluice.conformance.Conformance#await});
 *       no sleeps to wait for conditions, and time is only ever checked as "not before";</li>
 *   <li>{@link dev.sluice.conformance.FdLeakCheck} compares {@code /proc/self/fd} before and after
 *       each test, so a leaked (or wrongly closed) fd fails it.</li>
 * </ul>
 *
 * <p>Run: {@code mvn -B -pl all -am test -Dtest='dev.sluice.conformance.**' -Dsurefire.failIfNoSpecifiedTests=false}.
 */
package dev.sluice.conformance;
