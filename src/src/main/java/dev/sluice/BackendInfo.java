package dev.sluice;

/**
 * Which backend a ring runs on and why it was chosen.
 *
 * @param name         the backend's name, e.g. {@code "io_uring"} or {@code "epoll"}
 * @param reason       why it was chosen, including why better backends were not, e.g.
 *                     {@code "io_uring unavailable: io_uring_setup failed with EPERM: kernel.io_uring_disabled=2; chose epoll"}
 * @param capabilities what it does natively and what it emulates
 */
public record BackendInfo(String name, String reason, Capabilities capabilities) {
}
