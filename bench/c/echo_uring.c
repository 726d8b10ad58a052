// echo_uring: single-threaded TCP echo server on liburing, the speed yardstick for Sluice.
//
//   echo_uring PORT     listens on 127.0.0.1:PORT, prints "listening on 127.0.0.1:PORT" when ready,
//                       echoes every byte of every connection, exits 0 on SIGTERM/SIGINT.
//
// Shape (what a good io_uring server does in 2024, see liburing's examples/proxy.c):
//   - one multishot accept on the listening socket (kernel 5.19+), re-armed when a CQE lacks F_MORE;
//   - one multishot recv per connection (kernel 6.0+) selecting buffers from one provided-buffer ring,
//     so 10 000 idle connections hold no receive memory;
//   - per connection at most one send in flight, over a FIFO of received buffers linked through the
//     buffer ids, so short sends resume at the right byte and echoes never reorder; a buffer goes
//     back to the ring only after its last byte was sent;
//   - IORING_SETUP_SINGLE_ISSUER|DEFER_TASKRUN (6.1+) with fallbacks, one io_uring_submit_and_wait per
//     loop, so every SQE prepared while draining a CQ batch is submitted in one syscall;
//   - SIGTERM/SIGINT arrive through a signalfd read on the ring.
//
// Limits are fixed and named below. A connection holding more than CONN_QUEUED_MAX buffers (a client
// that sends but does not read) has its recv cancelled and re-armed once its queue drains, so one
// connection cannot drain the whole buffer ring.
#define _GNU_SOURCE
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

enum {
    RING_ENTRIES = 4096,          // SQ size; the CQ is CQ_ENTRIES
    CQ_ENTRIES = 16384,
    BUF_COUNT = 4096,             // provided buffers (power of two, required by the buffer ring)
    BUF_SIZE = 16384,             // bytes per provided buffer: BUF_COUNT * BUF_SIZE = 64 MiB
    BUF_GROUP = 1,
    CONN_QUEUED_MAX = 64,         // buffers one connection may hold before its recv is paused
    LISTEN_BACKLOG = 4096,
};

enum op { OP_ACCEPT = 1, OP_RECV = 2, OP_SEND = 3, OP_CANCEL = 4, OP_SIGNAL = 5 };

// user_data = op (8 bits) | generation (24 bits) | fd (32 bits). The fd indexes the connection table;
// the generation catches a completion that outlived its connection (a bug: we close an fd only after
// its last CQE).
static inline uint64_t ud_pack(int op, uint32_t gen, int fd) {
    return ((uint64_t)op << 56) | ((uint64_t)(gen & 0xffffff) << 32) | (uint32_t)fd;
}
static inline int ud_op(uint64_t ud) { return (int)(ud >> 56); }
static inline uint32_t ud_gen(uint64_t ud) { return (uint32_t)(ud >> 32) & 0xffffff; }
static inline int ud_fd(uint64_t ud) { return (int)(uint32_t)ud; }

struct conn {
    uint32_t gen;
    uint8_t open;          // slot in use
    uint8_t recv_armed;    // a multishot recv is live (its final CQE has not arrived)
    uint8_t send_busy;     // one send in flight
    uint8_t cancel_busy;   // an ASYNC_CANCEL for the recv is in flight
    uint8_t eof;           // peer sent FIN or an error happened: stop receiving, finish sending
    uint8_t failed;        // send failed: drop queued bytes and close
    uint8_t starved;       // recv ended with ENOBUFS; on the starved list until buffers return
    int32_t q_head, q_tail;  // FIFO of buffer ids, linked through buf_next
    uint32_t q_len;
    uint32_t q_off;        // bytes of the head buffer already sent
    int32_t starved_next;
};

static struct io_uring ring;
static struct io_uring_buf_ring *buf_ring;
static uint8_t *buf_base;
static int32_t buf_next[BUF_COUNT];
static uint32_t buf_len[BUF_COUNT];
static uint32_t bufs_held;           // buffers sitting in connection queues (not in the ring)
static struct conn *conns;
static int conns_max;
static int listen_fd, signal_fd;
static struct signalfd_siginfo sig_info;
static int running = 1;
static int starved_head = -1;

static void die(const char *what, int err) {
    fprintf(stderr, "echo_uring: %s: %s\n", what, strerror(err));
    exit(1);
}

// Like liburing's io_uring_get_sqe, but a full SQ is flushed and retried instead of returning NULL.
static struct io_uring_sqe *get_sqe(void) {
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    while (sqe == NULL) {
        int r = io_uring_submit(&ring);
        if (r < 0 && r != -EBUSY && r != -EAGAIN) die("io_uring_submit (SQ full)", -r);
        sqe = io_uring_get_sqe(&ring);
    }
    return sqe;
}

static void arm_accept(void) {
    struct io_uring_sqe *sqe = get_sqe();
    io_uring_prep_multishot_accept(sqe, listen_fd, NULL, NULL, SOCK_CLOEXEC);
    io_uring_sqe_set_data64(sqe, ud_pack(OP_ACCEPT, 0, listen_fd));
}

static void arm_signal(void) {
    struct io_uring_sqe *sqe = get_sqe();
    io_uring_prep_read(sqe, signal_fd, &sig_info, sizeof sig_info, 0);
    io_uring_sqe_set_data64(sqe, ud_pack(OP_SIGNAL, 0, signal_fd));
}

static void arm_recv(int fd) {
    struct conn *c = &conns[fd];
    struct io_uring_sqe *sqe = get_sqe();
    io_uring_prep_recv_multishot(sqe, fd, NULL, 0, 0);
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = BUF_GROUP;
    io_uring_sqe_set_data64(sqe, ud_pack(OP_RECV, c->gen, fd));
    c->recv_armed = 1;
}

static void arm_send(int fd) {
    struct conn *c = &conns[fd];
    int bid = c->q_head;
    struct io_uring_sqe *sqe = get_sqe();
    io_uring_prep_send(sqe, fd, buf_base + (size_t)bid * BUF_SIZE + c->q_off, buf_len[bid] - c->q_off,
                       MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, ud_pack(OP_SEND, c->gen, fd));
    c->send_busy = 1;
}

static void cancel_recv(int fd) {
    struct conn *c = &conns[fd];
    if (!c->recv_armed || c->cancel_busy) return;
    struct io_uring_sqe *sqe = get_sqe();
    io_uring_prep_cancel64(sqe, ud_pack(OP_RECV, c->gen, fd), 0);
    io_uring_sqe_set_data64(sqe, ud_pack(OP_CANCEL, c->gen, fd));
    c->cancel_busy = 1;
}

// Gives a buffer back to the kernel. The advance publishes the tail with a release store
// (io_uring_smp_store_release inside io_uring_buf_ring_advance) so the kernel sees the entry first.
static void buf_recycle(int bid) {
    io_uring_buf_ring_add(buf_ring, buf_base + (size_t)bid * BUF_SIZE, BUF_SIZE, (unsigned short)bid,
                          io_uring_buf_ring_mask(BUF_COUNT), 0);
    io_uring_buf_ring_advance(buf_ring, 1);
    bufs_held--;
}

static void queue_push(struct conn *c, int bid, uint32_t len) {
    buf_len[bid] = len;
    buf_next[bid] = -1;
    if (c->q_tail >= 0) buf_next[c->q_tail] = bid; else c->q_head = bid;
    c->q_tail = bid;
    c->q_len++;
    bufs_held++;
}

static void queue_pop(struct conn *c) {
    int bid = c->q_head;
    c->q_head = buf_next[bid];
    if (c->q_head < 0) c->q_tail = -1;
    c->q_len--;
    c->q_off = 0;
    buf_recycle(bid);
}

// Closes the socket once no operation on it can still complete: no live recv, no send in flight, no
// cancel in flight. Before that, the kernel may still write into (or read from) our buffers.
static void maybe_close(int fd) {
    struct conn *c = &conns[fd];
    // A starved connection stays open until rearm_starved unlinks it: its fd must not be reused
    // (and its slot reset) while it is still on the starved list.
    if (!c->open || c->recv_armed || c->send_busy || c->cancel_busy || c->starved) return;
    if (c->failed) while (c->q_len) queue_pop(c);
    if (c->q_len) return;           // still echoing bytes received before the FIN
    if (!c->eof) return;
    close(fd);
    c->open = 0;
    c->gen++;
}

static void conn_open(int fd) {
    if (fd >= conns_max) {          // cannot happen: conns_max is RLIMIT_NOFILE
        fprintf(stderr, "echo_uring: fd %d beyond table of %d\n", fd, conns_max);
        close(fd);
        return;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct conn *c = &conns[fd];
    uint32_t gen = c->gen;
    memset(c, 0, sizeof *c);
    c->gen = gen;
    c->open = 1;
    c->q_head = c->q_tail = -1;
    c->starved_next = -1;
    arm_recv(fd);
}

static void on_recv(int fd, const struct io_uring_cqe *cqe) {
    struct conn *c = &conns[fd];
    int more = (cqe->flags & IORING_CQE_F_MORE) != 0;
    if (!more) c->recv_armed = 0;
    if (cqe->res > 0) {
        if (!(cqe->flags & IORING_CQE_F_BUFFER)) die("recv completion without a buffer", EINVAL);
        int bid = (int)(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
        queue_push(c, bid, (uint32_t)cqe->res);
        if (c->failed) { maybe_close(fd); return; }
        if (!c->send_busy) arm_send(fd);
        if (c->q_len > CONN_QUEUED_MAX) cancel_recv(fd);     // a reader that does not read: pause it
        else if (!more && !c->eof) arm_recv(fd);             // ended with data (e.g. CQ overflow): re-arm
        return;
    }
    if (cqe->res == -ENOBUFS) {
        // The buffer ring ran dry; this multishot has ended (liburing #1275). Re-arm when buffers return.
        if (!more && !c->starved && !c->eof) {
            c->starved = 1;
            c->starved_next = starved_head;
            starved_head = fd;
        }
        return;
    }
    if (cqe->res == -ECANCELED) {   // we paused it (queue too long) or it was torn down
        if (!more && !c->eof && !c->failed && c->q_len <= CONN_QUEUED_MAX / 2 && !c->cancel_busy)
            arm_recv(fd);
        maybe_close(fd);
        return;
    }
    // 0 = orderly FIN; ECONNRESET and friends = the peer is gone. Either way, stop receiving.
    if (cqe->res == 0 || cqe->res == -ECONNRESET || cqe->res == -EPIPE || cqe->res == -ETIMEDOUT) {
        c->eof = 1;
        if (cqe->res < 0) c->failed = 1;
        if (more) cancel_recv(fd);
        maybe_close(fd);
        return;
    }
    die("recv", -cqe->res);
}

static void on_send(int fd, const struct io_uring_cqe *cqe) {
    struct conn *c = &conns[fd];
    c->send_busy = 0;
    if (cqe->res < 0) {
        if (cqe->res != -EPIPE && cqe->res != -ECONNRESET) die("send", -cqe->res);
        c->failed = 1;
        c->eof = 1;
        cancel_recv(fd);
        maybe_close(fd);
        return;
    }
    c->q_off += (uint32_t)cqe->res;
    if (c->q_off == buf_len[c->q_head]) queue_pop(c);
    if (c->failed) { maybe_close(fd); return; }
    if (c->q_len) arm_send(fd);     // short send or more queued: resume at q_off
    if (!c->recv_armed && !c->cancel_busy && !c->eof && !c->starved && c->q_len <= CONN_QUEUED_MAX / 2)
        arm_recv(fd);               // was paused for a full queue
    maybe_close(fd);
}

static void on_cancel(int fd) {
    struct conn *c = &conns[fd];
    c->cancel_busy = 0;
    // The recv's own final CQE (-ECANCELED, or data) decides what comes next; if it already arrived
    // before this one, re-arm or close here.
    if (!c->recv_armed && !c->eof && !c->failed && !c->starved && c->q_len <= CONN_QUEUED_MAX / 2)
        arm_recv(fd);
    maybe_close(fd);
}

static void rearm_starved(void) {
    // Wait for a quarter of the ring to come back, so starved connections do not spin on ENOBUFS.
    if (starved_head < 0 || bufs_held > BUF_COUNT - BUF_COUNT / 4) return;
    while (starved_head >= 0) {
        int fd = starved_head;
        struct conn *c = &conns[fd];
        starved_head = c->starved_next;
        c->starved = 0;
        c->starved_next = -1;
        if (c->eof) maybe_close(fd);
        else if (!c->recv_armed && c->q_len <= CONN_QUEUED_MAX / 2) arm_recv(fd);
    }
}

static void setup_ring(void) {
    struct io_uring_params p;
    // DEFER_TASKRUN (6.1+) requires SINGLE_ISSUER (6.0+); COOP_TASKRUN (5.19+) is the next best thing.
    const unsigned tries[] = {
        IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
        IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_COOP_TASKRUN,
        IORING_SETUP_COOP_TASKRUN,
        0,
    };
    const char *names[] = {"SINGLE_ISSUER|DEFER_TASKRUN", "SINGLE_ISSUER|COOP_TASKRUN", "COOP_TASKRUN", "none"};
    int r = -EINVAL;
    for (unsigned i = 0; i < sizeof tries / sizeof tries[0]; i++) {
        memset(&p, 0, sizeof p);
        p.flags = tries[i] | IORING_SETUP_CQSIZE;
        p.cq_entries = CQ_ENTRIES;
        r = io_uring_queue_init_params(RING_ENTRIES, &ring, &p);
        if (r == 0) {
            fprintf(stderr, "echo_uring: ring flags %s\n", names[i]);
            break;
        }
        if (r != -EINVAL) break;    // EINVAL = flag unknown to this kernel; anything else is final
    }
    if (r == -ENOSYS) die("io_uring_setup (io_uring missing or blocked by seccomp)", -r);
    if (r == -EPERM) die("io_uring_setup (kernel.io_uring_disabled?)", -r);
    if (r < 0) die("io_uring_queue_init_params", -r);

    // Provided-buffer ring (5.19+). liburing 2.3 has no io_uring_setup_buf_ring, so map and register it.
    size_t ring_bytes = BUF_COUNT * sizeof(struct io_uring_buf);
    buf_ring = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    if (buf_ring == MAP_FAILED) die("mmap buffer ring", errno);
    struct io_uring_buf_reg reg = {.ring_addr = (uint64_t)(uintptr_t)buf_ring, .ring_entries = BUF_COUNT,
                                   .bgid = BUF_GROUP};
    r = io_uring_register_buf_ring(&ring, &reg, 0);
    if (r < 0) die("io_uring_register_buf_ring (kernel 5.19+ needed)", -r);
    buf_base = mmap(NULL, (size_t)BUF_COUNT * BUF_SIZE, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE,
                    -1, 0);
    if (buf_base == MAP_FAILED) die("mmap buffers", errno);
    io_uring_buf_ring_init(buf_ring);
    for (int i = 0; i < BUF_COUNT; i++)
        io_uring_buf_ring_add(buf_ring, buf_base + (size_t)i * BUF_SIZE, BUF_SIZE, (unsigned short)i,
                              io_uring_buf_ring_mask(BUF_COUNT), i);
    io_uring_buf_ring_advance(buf_ring, BUF_COUNT);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: echo_uring PORT\n");
        return 2;
    }
    int port = atoi(argv[1]);
    if (port <= 0 || port > 65535) {
        fprintf(stderr, "echo_uring: bad port '%s'\n", argv[1]);
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
    signal_fd = signalfd(-1, &mask, SFD_CLOEXEC);
    if (signal_fd < 0) die("signalfd", errno);

    listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd < 0) die("socket", errno);
    int one = 1;
    setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (bind(listen_fd, (struct sockaddr *)&addr, sizeof addr) < 0) die("bind", errno);
    if (listen(listen_fd, LISTEN_BACKLOG) < 0) die("listen", errno);

    setup_ring();
    arm_accept();
    arm_signal();
    io_uring_submit(&ring);
    printf("listening on 127.0.0.1:%d\n", port);
    fflush(stdout);

    while (running) {
        int r = io_uring_submit_and_wait(&ring, 1);
        if (r < 0 && r != -EINTR && r != -EAGAIN && r != -EBUSY && r != -ETIME) die("io_uring_submit_and_wait", -r);
        struct io_uring_cqe *cqe;
        unsigned head, seen = 0;
        io_uring_for_each_cqe(&ring, head, cqe) {
            seen++;
            uint64_t ud = cqe->user_data;
            int fd = ud_fd(ud);
            int op = ud_op(ud);
            if (op == OP_ACCEPT) {
                if (cqe->res >= 0) conn_open(cqe->res);
                else if (cqe->res != -EMFILE && cqe->res != -ENFILE && cqe->res != -ECONNABORTED
                         && cqe->res != -ENOBUFS && cqe->res != -ENOMEM)
                    die("accept", -cqe->res);
                else fprintf(stderr, "echo_uring: accept: %s\n", strerror(-cqe->res));
                if (!(cqe->flags & IORING_CQE_F_MORE)) arm_accept();
                continue;
            }
            if (op == OP_SIGNAL) {
                running = 0;
                continue;
            }
            struct conn *c = &conns[fd];
            if (!c->open || (c->gen & 0xffffff) != ud_gen(ud)) {
                fprintf(stderr, "echo_uring: stale completion op=%d fd=%d res=%d\n", op, fd, cqe->res);
                abort();
            }
            if (op == OP_RECV) on_recv(fd, cqe);
            else if (op == OP_SEND) on_send(fd, cqe);
            else if (op == OP_CANCEL) on_cancel(fd);
        }
        io_uring_cq_advance(&ring, seen);
        rearm_starved();
    }

    // Shutdown: the ring's teardown cancels every pending op; then the sockets can go.
    io_uring_queue_exit(&ring);
    for (int fd = 0; fd < conns_max; fd++)
        if (conns[fd].open) close(fd);
    close(listen_fd);
    fprintf(stderr, "echo_uring: stopped by signal\n");
    return 0;
}
