// echo_epoll: single-threaded TCP echo server on plain epoll, the readiness-based yardstick.
//
//   echo_epoll PORT     listens on 127.0.0.1:PORT, prints "listening on 127.0.0.1:PORT" when ready,
//                       echoes every byte of every connection, exits 0 on SIGTERM/SIGINT.
//
// Level-triggered. Bytes are read into one shared buffer and written straight back; whatever the
// socket does not take is copied into a per-connection pending buffer, and the connection then waits
// for EPOLLOUT with EPOLLIN switched off, so a client that does not read cannot make us buffer more
// than one read's worth (READ_CHUNK) for it. Idle connections hold no buffer at all.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

enum {
    READ_CHUNK = 65536,     // bytes per read(2); also the bound on one connection's pending bytes
    EVENTS_MAX = 512,       // events per epoll_wait
    ACCEPTS_PER_WAKE = 64,  // accept4 calls per listen readiness before serving others
    LISTEN_BACKLOG = 4096,
};

struct conn {
    uint8_t *pending;       // bytes read but not yet written (NULL when none)
    uint32_t pending_off, pending_len;
};

static struct conn *conns;
static int conns_max;
static int ep, listen_fd, signal_fd;
static uint8_t read_buf[READ_CHUNK];

static void die(const char *what, int err) {
    fprintf(stderr, "echo_epoll: %s: %s\n", what, strerror(err));
    exit(1);
}

static void conn_close(int fd) {
    struct conn *c = &conns[fd];
    free(c->pending);
    c->pending = NULL;
    c->pending_off = c->pending_len = 0;
    close(fd);              // also removes fd from the epoll set (no dup'd descriptors exist)
}

static void set_interest(int fd, uint32_t events) {
    struct epoll_event ev = {.events = events, .data.fd = fd};
    if (epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev) < 0) die("epoll_ctl MOD", errno);
}

// Writes [p, p+n); returns bytes written, or -1 if the connection is dead.
static ssize_t write_some(int fd, const uint8_t *p, size_t n) {
    size_t done = 0;
    while (done < n) {
        ssize_t w = send(fd, p + done, n - done, MSG_NOSIGNAL);
        if (w > 0) { done += (size_t)w; continue; }
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (w < 0 && (errno == EPIPE || errno == ECONNRESET)) return -1;
        die("send", errno);
    }
    return (ssize_t)done;
}

static void on_readable(int fd) {
    ssize_t r = recv(fd, read_buf, sizeof read_buf, 0);
    if (r == 0) { conn_close(fd); return; }                        // FIN and nothing pending
    if (r < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
        if (errno == ECONNRESET || errno == ETIMEDOUT) { conn_close(fd); return; }
        die("recv", errno);
    }
    ssize_t w = write_some(fd, read_buf, (size_t)r);
    if (w < 0) { conn_close(fd); return; }
    if (w == r) return;
    // Short write: keep the rest and stop reading until it is gone.
    struct conn *c = &conns[fd];
    c->pending_len = (uint32_t)(r - w);
    c->pending_off = 0;
    c->pending = malloc(c->pending_len);
    if (!c->pending) die("malloc pending", ENOMEM);
    memcpy(c->pending, read_buf + w, c->pending_len);
    set_interest(fd, EPOLLOUT);
}

static void on_writable(int fd) {
    struct conn *c = &conns[fd];
    ssize_t w = write_some(fd, c->pending + c->pending_off, c->pending_len - c->pending_off);
    if (w < 0) { conn_close(fd); return; }
    c->pending_off += (uint32_t)w;
    if (c->pending_off < c->pending_len) return;
    free(c->pending);
    c->pending = NULL;
    c->pending_off = c->pending_len = 0;
    set_interest(fd, EPOLLIN);
}

static void on_accept(void) {
    for (int i = 0; i < ACCEPTS_PER_WAKE; i++) {
        int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ECONNABORTED) return;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                fprintf(stderr, "echo_epoll: accept4: %s (raise the fd limit)\n", strerror(errno));
                return;
            }
            die("accept4", errno);
        }
        if (fd >= conns_max) { close(fd); continue; }             // cannot happen: table = RLIMIT_NOFILE
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl ADD", errno);
    }
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: echo_epoll PORT\n");
        return 2;
    }
    int port = atoi(argv[1]);
    if (port <= 0 || port > 65535) {
        fprintf(stderr, "echo_epoll: bad port '%s'\n", argv[1]);
        return 2;
    }
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    conns_max = rl.rlim_cur > (1 << 20) ? (1 << 20) : (int)rl.rlim_cur;
    conns = calloc((size_t)conns_max, sizeof *conns);
    if (!conns) die("calloc connection table", ENOMEM);

    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    signal(SIGPIPE, SIG_IGN);
    signal_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signal_fd < 0) die("signalfd", errno);

    listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listen_fd < 0) die("socket", errno);
    int one = 1;
    setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (bind(listen_fd, (struct sockaddr *)&addr, sizeof addr) < 0) die("bind", errno);
    if (listen(listen_fd, LISTEN_BACKLOG) < 0) die("listen", errno);

    ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) die("epoll_create1", errno);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = listen_fd};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, listen_fd, &ev) < 0) die("epoll_ctl listen", errno);
    ev.data.fd = signal_fd;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, signal_fd, &ev) < 0) die("epoll_ctl signalfd", errno);

    printf("listening on 127.0.0.1:%d\n", port);
    fflush(stdout);

    struct epoll_event events[EVENTS_MAX];
    for (int running = 1; running;) {
        int n = epoll_wait(ep, events, EVENTS_MAX, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("epoll_wait", errno);
        }
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            uint32_t e = events[i].events;
            if (fd == listen_fd) { on_accept(); continue; }
            if (fd == signal_fd) { running = 0; continue; }
            // EPOLLERR/EPOLLHUP: let the read or write report the cause.
            if (conns[fd].pending) { if (e & (EPOLLOUT | EPOLLERR | EPOLLHUP)) on_writable(fd); }
            else if (e & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable(fd);
        }
    }
    for (int fd = 0; fd < conns_max; fd++)
        if (conns[fd].pending) free(conns[fd].pending);
    close(ep);
    close(listen_fd);
    fprintf(stderr, "echo_epoll: stopped by signal\n");
    return 0;
}
