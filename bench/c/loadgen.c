// loadgen: single-threaded, epoll-driven, pipelining, byte-verifying echo load generator.
//
//   loadgen --host 127.0.0.1 --port P --conns N --size S --depth D --seconds T
//           [--warmup W] [--idle I] [--server-pid PID] [--busy] [--json]
//
// Opens I idle connections (held open, checked still open at the end), then N active ones. Each
// active connection keeps D messages of S bytes in flight: whenever the last byte of message k comes
// back, message k+D is sent. Every echoed byte is compared with what was sent.
//
// Byte pattern: connection c sends, at stream offset x, the byte PATTERN[(c * CONN_STRIDE + x) % P],
// where PATTERN is P = 65521 (prime) pseudo-random bytes, stored twice over so any slice of up to
// IO_CHUNK bytes is contiguous and both send and verify are a pointer into it (no per-byte work beyond
// memcmp). Corruption, bytes from another connection, duplication and reordering are all caught,
// except a displacement by an exact multiple of P bytes (impossible unless D*S > P).
//
// Latency of message k = time of the write(2) that carried its first byte -> time of the read(2) that
// delivered its last byte. Messages completing within [W, W+T) are counted; warmup ones are not.
// After W+T no new messages are issued; in-flight ones get DRAIN_GRACE_NS to come back (and are still
// verified), then the program exits: it always stops by itself.
//
// With --server-pid, loadgen also measures the server from outside at the exact edges of the measured
// window (so CPU and messages cover the same interval): its user and system time (/proc/PID/stat
// fields 14 and 15, all threads), whole-machine busy time (/proc/stat) and loadgen's own time over
// the window. With --idle too, it reads the server's VmRSS (/proc/PID/status) before opening the idle
// connections and again once the server holds them all (its /proc/PID/fd count has grown by I, plus
// IDLE_SETTLE_NS for the handlers to set up), before any active connection is opened.
//
// --busy: the event loop never sleeps: epoll_wait with timeout 0, again and again, until the run's
// end (which is checked every turn, so the run stays bounded exactly as without --busy). loadgen then
// takes all of its CPU (it is pinned to its own core), and a server's send never has to wake it (no
// wakeup IPI to an idle CPU). Without --busy (the default) it blocks in epoll_wait when nothing is
// ready. Either way the JSON says which mode ran ("busy") and how often loadgen's loop waited over the
// measured window: epoll_wait calls, those that returned no event, and loadgen's voluntary context
// switches (each one a sleep in epoll_wait); with --server-pid also the server's context switches
// (all threads, /proc/PID/task/*/status).
//
// The JSON also has per-second figures over the window ("per_second": messages completed in each
// second; with --server-pid also "per_second_sys_us": the server's system CPU in µs in each second),
// to tell a run that changed speed midway from one that ran at one speed throughout.
//
// Exit status: 0 ok; 1 usage or setup error; 2 byte mismatch; 3 connection errors or no messages.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum {
    PATTERN_PERIOD = 65521,        // prime, so per-connection phases rarely line up
    CONN_STRIDE = 7919,            // phase step between connections
    IO_CHUNK = 65536,              // bytes per read/write call
    EVENTS_MAX = 1024,
    CONNS_MAX = 100000,
    IDLE_MAX = 200000,
    DEPTH_MAX = 65536,
    SIZE_MAX_BYTES = 16 << 20,
    SECONDS_MAX = 3600,
    HIST_BUCKETS = 64 * 42 + 128,  // log-linear, ~1.6% resolution, up to 2^42 ns
};
#define DRAIN_GRACE_NS 2000000000ull
#define IDLE_ACCEPT_WAIT_NS 30000000000ull   // the server has this long to accept the idle connections
#define IDLE_SETTLE_NS 500000000ull          // then this long for its per-connection setup before RSS is read

struct conn {
    int fd;
    uint32_t phase;                // c * CONN_STRIDE % P
    uint64_t issued;               // messages allowed to be sent (done + depth while running)
    uint64_t stamped;              // messages whose first byte has been written
    uint64_t done;                 // messages fully echoed
    uint64_t sent_bytes, recv_bytes;
    uint64_t *sent_at;             // ring of `depth` send times, indexed by message % depth
    int want_out;                  // EPOLLOUT armed
    int dead;
};

static uint8_t pattern[PATTERN_PERIOD + IO_CHUNK];
static uint8_t read_buf[IO_CHUNK];
static struct conn *conns;
static uint64_t hist[HIST_BUCKETS];
static int ep;
static uint64_t size, depth;
static uint64_t t_measure_start, t_measure_end;
static int stopping;
static uint64_t msgs_measured, errors, mismatches;
static int busy_poll;              // --busy
static uint64_t waits_measured, empty_waits_measured;   // epoll_wait calls inside [W, W+T)
static uint64_t *sec_msgs;         // messages completed in each second of the window
static double *sec_sys;            // server system time at the start of each second of the window (s), [seconds + 1]

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

// --- Measuring the server from outside (--server-pid) -------------------------------------------

struct cpu_sample {
    uint64_t t;                    // now_ns()
    double server_user_s, server_sys_s, machine_busy_s, self_user_s, self_sys_s;
    long self_vcsw, self_ivcsw;    // loadgen's voluntary / involuntary context switches
    long server_vcsw, server_ivcsw;  // the server's, summed over its threads (-1: unreadable)
};

static long server_pid;
static double clk_tck;

// utime and stime of every thread of PID, from /proc/PID/stat fields 14 and 15 (after the comm field,
// which may hold spaces and parentheses, so parsing starts after its last ')').
static int proc_cpu(long pid, double *user_s, double *sys_s) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    if (!p) return -1;
    unsigned long long ut = 0, st = 0;
    // Field 3 (state) follows ") "; utime and stime are fields 14 and 15.
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2) return -1;
    *user_s = (double)ut / clk_tck;
    *sys_s = (double)st / clk_tck;
    return 0;
}

// Busy time of the whole machine: user nice system irq softirq steal of the "cpu" line of /proc/stat.
static double machine_busy(void) {
    FILE *f = fopen("/proc/stat", "r");
    if (!f) return 0;
    unsigned long long v[8] = {0};
    int k = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
    fclose(f);
    if (k < 8) return 0;
    return (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / clk_tck;
}

// Voluntary and involuntary context switches of every thread of PID (/proc/PID/task/*/status).
static int proc_ctxsw(long pid, long *vol, long *invol) {
    char path[320], line[256];
    snprintf(path, sizeof path, "/proc/%ld/task", pid);
    DIR *d = opendir(path);
    if (!d) return -1;
    long v = 0, iv = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "/proc/%ld/task/%s/status", pid, e->d_name);
        FILE *f = fopen(path, "r");
        if (!f) continue;          // the thread has just exited
        long x;
        while (fgets(line, sizeof line, f)) {
            if (sscanf(line, "voluntary_ctxt_switches: %ld", &x) == 1) v += x;
            else if (sscanf(line, "nonvoluntary_ctxt_switches: %ld", &x) == 1) iv += x;
        }
        fclose(f);
    }
    closedir(d);
    *vol = v;
    *invol = iv;
    return 0;
}

static void sample_cpu(struct cpu_sample *s) {
    struct rusage ru;
    if (proc_ctxsw(server_pid, &s->server_vcsw, &s->server_ivcsw) < 0) s->server_vcsw = s->server_ivcsw = -1;
    s->t = now_ns();
    if (proc_cpu(server_pid, &s->server_user_s, &s->server_sys_s) < 0) {
        fprintf(stderr, "loadgen: cannot read /proc/%ld/stat: is --server-pid right?\n", server_pid);
        s->server_user_s = s->server_sys_s = 0;
    }
    s->machine_busy_s = machine_busy();
    getrusage(RUSAGE_SELF, &ru);
    s->self_user_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
    s->self_sys_s = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    s->self_vcsw = ru.ru_nvcsw;
    s->self_ivcsw = ru.ru_nivcsw;
}

// VmRSS of PID in kB (/proc/PID/status), or -1.
static long proc_rss_kb(long pid) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%ld/status", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1) break;
    fclose(f);
    return kb;
}

// Open fds of PID (entries of /proc/PID/fd), or -1.
static long proc_fd_count(long pid) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/fd", pid);
    DIR *d = opendir(path);
    if (!d) return -1;
    long n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n;
}

static void sleep_ns(uint64_t ns) {
    struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000ull), .tv_nsec = (long)(ns % 1000000000ull)};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
}

static int bucket_of(uint64_t v) {
    if (v < 128) return (int)v;
    int msb = 63 - __builtin_clzll(v);
    int shift = msb - 6;
    int b = 128 + (shift - 1) * 64 + (int)((v >> shift) - 64);
    return b < HIST_BUCKETS ? b : HIST_BUCKETS - 1;
}

// Upper edge of a bucket, so reported percentiles never flatter the server.
static uint64_t bucket_high(int b) {
    if (b < 128) return (uint64_t)b;
    int shift = (b - 128) / 64 + 1;
    return ((uint64_t)(64 + (b - 128) % 64 + 1) << shift) - 1;
}

static double percentile_us(double q) {
    if (msgs_measured == 0) return 0;
    uint64_t rank = (uint64_t)(q * (double)msgs_measured);
    if (rank >= msgs_measured) rank = msgs_measured - 1;
    uint64_t seen = 0;
    for (int b = 0; b < HIST_BUCKETS; b++) {
        seen += hist[b];
        if (seen > rank) return (double)bucket_high(b) / 1000.0;
    }
    return 0;
}

static void fail_conn(struct conn *c, const char *what, int err) {
    if (c->dead) return;
    fprintf(stderr, "loadgen: connection %ld: %s%s%s\n", (long)(c - conns), what, err ? ": " : "",
            err ? strerror(err) : "");
    errors++;
    c->dead = 1;
    close(c->fd);
}

static void set_out(struct conn *c, int on) {
    if (c->want_out == on) return;
    struct epoll_event ev = {.events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c};
    if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev) < 0) { perror("loadgen: epoll_ctl"); exit(1); }
    c->want_out = on;
}

static void pump_send(struct conn *c) {
    uint64_t target = c->issued * size;
    while (!c->dead && c->sent_bytes < target) {
        uint64_t n = target - c->sent_bytes;
        if (n > IO_CHUNK) n = IO_CHUNK;
        const uint8_t *p = pattern + (c->phase + c->sent_bytes) % PATTERN_PERIOD;
        uint64_t t = now_ns();
        ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) break;
            fail_conn(c, "send", errno);
            return;
        }
        c->sent_bytes += (uint64_t)w;
        // Every message whose first byte went out in this write was sent at t.
        while (c->stamped < c->issued && c->stamped * size < c->sent_bytes) {
            c->sent_at[c->stamped % depth] = t;
            c->stamped++;
        }
        if ((uint64_t)w < n) break;
    }
    if (!c->dead) set_out(c, c->sent_bytes < target);
}

static void report_mismatch(struct conn *c, const uint8_t *got, const uint8_t *want, size_t n) {
    size_t i = 0;
    while (i < n && got[i] == want[i]) i++;
    fprintf(stderr,
            "loadgen: BYTE MISMATCH on connection %ld at stream offset %llu (message %llu, byte %llu): "
            "expected 0x%02x, got 0x%02x\n",
            (long)(c - conns), (unsigned long long)(c->recv_bytes + i),
            (unsigned long long)((c->recv_bytes + i) / size), (unsigned long long)((c->recv_bytes + i) % size),
            want[i], got[i]);
    mismatches++;
}

static void on_readable(struct conn *c) {
    ssize_t r = recv(c->fd, read_buf, sizeof read_buf, 0);
    if (r < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
        fail_conn(c, "recv", errno);
        return;
    }
    if (r == 0) { fail_conn(c, "server closed the connection", 0); return; }
    uint64_t t = now_ns();
    if (c->recv_bytes + (uint64_t)r > c->sent_bytes) {
        fprintf(stderr, "loadgen: connection %ld: server echoed %llu bytes but only %llu were sent\n",
                (long)(c - conns), (unsigned long long)(c->recv_bytes + (uint64_t)r),
                (unsigned long long)c->sent_bytes);
        mismatches++;
        fail_conn(c, "protocol error", 0);
        return;
    }
    const uint8_t *want = pattern + (c->phase + c->recv_bytes) % PATTERN_PERIOD;
    if (memcmp(read_buf, want, (size_t)r) != 0) {
        report_mismatch(c, read_buf, want, (size_t)r);
        fail_conn(c, "byte mismatch", 0);
        return;
    }
    c->recv_bytes += (uint64_t)r;
    while ((c->done + 1) * size <= c->recv_bytes) {
        uint64_t lat = t - c->sent_at[c->done % depth];
        if (t >= t_measure_start && t < t_measure_end) {
            hist[bucket_of(lat)]++;
            msgs_measured++;
            sec_msgs[(t - t_measure_start) / 1000000000ull]++;
        }
        c->done++;
        if (!stopping) c->issued++;
    }
    pump_send(c);
}

static int connect_to(const struct sockaddr_in *addr, int nonblock) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    if (connect(fd, (const struct sockaddr *)addr, sizeof *addr) < 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (nonblock && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

static void usage(void) {
    fprintf(stderr, "usage: loadgen --host H --port P --conns N --size S --depth D --seconds T "
                    "[--warmup W] [--idle I] [--server-pid PID] [--busy] [--json]\n");
    exit(1);
}

static long parse_long(const char *name, const char *v, long lo, long hi) {
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (errno || *end || x < lo || x > hi) {
        fprintf(stderr, "loadgen: --%s %s: must be an integer in [%ld, %ld]\n", name, v, lo, hi);
        exit(1);
    }
    return x;
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1";
    long port = -1, nconns = -1, seconds = -1, warmup = 1, idle = 0;
    long lsize = -1, ldepth = -1;
    int json = 0;
    static const struct option opts[] = {
        {"host", required_argument, 0, 'h'},   {"port", required_argument, 0, 'p'},
        {"conns", required_argument, 0, 'c'},  {"size", required_argument, 0, 's'},
        {"depth", required_argument, 0, 'd'},  {"seconds", required_argument, 0, 't'},
        {"warmup", required_argument, 0, 'w'}, {"idle", required_argument, 0, 'i'},
        {"json", no_argument, 0, 'j'},         {"server-pid", required_argument, 0, 'P'},
        {"busy", no_argument, 0, 'b'},         {0, 0, 0, 0},
    };
    for (int o; (o = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
        switch (o) {
        case 'h': host = optarg; break;
        case 'p': port = parse_long("port", optarg, 1, 65535); break;
        case 'c': nconns = parse_long("conns", optarg, 1, CONNS_MAX); break;
        case 's': lsize = parse_long("size", optarg, 1, SIZE_MAX_BYTES); break;
        case 'd': ldepth = parse_long("depth", optarg, 1, DEPTH_MAX); break;
        case 't': seconds = parse_long("seconds", optarg, 1, SECONDS_MAX); break;
        case 'w': warmup = parse_long("warmup", optarg, 0, SECONDS_MAX); break;
        case 'i': idle = parse_long("idle", optarg, 0, IDLE_MAX); break;
        case 'j': json = 1; break;
        case 'P': server_pid = parse_long("server-pid", optarg, 1, 1L << 30); break;
        case 'b': busy_poll = 1; break;
        default: usage();
        }
    }
    if (optind != argc || port < 0 || nconns < 0 || lsize < 0 || ldepth < 0 || seconds < 0) usage();
    size = (uint64_t)lsize;
    depth = (uint64_t)ldepth;

    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        fprintf(stderr, "loadgen: --host %s: not an IPv4 address\n", host);
        return 1;
    }
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    if ((uint64_t)(idle + nconns + 16) > rl.rlim_cur) {
        fprintf(stderr, "loadgen: %ld connections need more than RLIMIT_NOFILE=%llu; raise it (ulimit -n)\n",
                idle + nconns, (unsigned long long)rl.rlim_cur);
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);

    uint64_t seed = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < PATTERN_PERIOD; i++) {
        seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;   // xorshift64
        pattern[i] = (uint8_t)(seed >> 24);
    }
    for (int i = PATTERN_PERIOD; i < PATTERN_PERIOD + IO_CHUNK; i++) pattern[i] = pattern[i - PATTERN_PERIOD];

    clk_tck = (double)sysconf(_SC_CLK_TCK);
    long rss_before_kb = -1, rss_idle_kb = -1, fds_before = -1, fds_idle = -1;
    if (server_pid && idle > 0) {
        rss_before_kb = proc_rss_kb(server_pid);
        fds_before = proc_fd_count(server_pid);
    }
    int *idle_fds = calloc((size_t)idle + 1, sizeof(int));
    for (long i = 0; i < idle; i++) {
        int fd = connect_to(&addr, 0);
        if (fd < 0) {
            fprintf(stderr, "loadgen: idle connection %ld of %ld: connect: %s\n", i, idle, strerror(-fd));
            return 1;
        }
        idle_fds[i] = fd;
    }
    if (server_pid && idle > 0 && fds_before >= 0) {
        // connect() returns once the handshake is done, before the server has accepted: wait until it
        // holds an fd per idle connection, then give its handlers time to set each one up.
        uint64_t give_up = now_ns() + IDLE_ACCEPT_WAIT_NS;
        while ((fds_idle = proc_fd_count(server_pid)) >= 0 && fds_idle < fds_before + idle && now_ns() < give_up)
            sleep_ns(10000000);
        sleep_ns(IDLE_SETTLE_NS);
        rss_idle_kb = proc_rss_kb(server_pid);
        fds_idle = proc_fd_count(server_pid);
        if (fds_idle < fds_before + idle)
            fprintf(stderr, "loadgen: server holds %ld fds after %ld idle connects (had %ld); RSS figure is partial\n",
                    fds_idle, idle, fds_before);
    }

    ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) { perror("loadgen: epoll_create1"); return 1; }
    conns = calloc((size_t)nconns, sizeof *conns);
    uint64_t *times = calloc((size_t)nconns * depth, sizeof(uint64_t));
    if (!conns || !times) { fprintf(stderr, "loadgen: out of memory\n"); return 1; }
    for (long i = 0; i < nconns; i++) {
        struct conn *c = &conns[i];
        int fd = connect_to(&addr, 1);
        if (fd < 0) {
            fprintf(stderr, "loadgen: active connection %ld of %ld: connect: %s\n", i, nconns, strerror(-fd));
            return 1;
        }
        c->fd = fd;
        c->phase = (uint32_t)(((uint64_t)i * CONN_STRIDE) % PATTERN_PERIOD);
        c->sent_at = times + (size_t)i * depth;
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) { perror("loadgen: epoll_ctl ADD"); return 1; }
    }

    sec_msgs = calloc((size_t)seconds, sizeof *sec_msgs);
    sec_sys = calloc((size_t)seconds + 1, sizeof *sec_sys);
    if (!sec_msgs || !sec_sys) { fprintf(stderr, "loadgen: out of memory\n"); return 1; }
    long sec_next = 0;                  // next second boundary of the window at which to read the server's time
    struct rusage ru0, ru1, rw0 = {0}, rw1 = {0};
    getrusage(RUSAGE_SELF, &ru0);
    uint64_t t0 = now_ns();
    t_measure_start = t0 + (uint64_t)warmup * 1000000000ull;
    t_measure_end = t_measure_start + (uint64_t)seconds * 1000000000ull;
    uint64_t t_hard_end = t_measure_end + DRAIN_GRACE_NS;
    for (long i = 0; i < nconns; i++) {
        conns[i].issued = depth;
        pump_send(&conns[i]);
    }

    struct epoll_event events[EVENTS_MAX];
    struct cpu_sample w0 = {0}, w1 = {0};
    int window_open = 0;
    int in_window = 0;
    for (;;) {
        uint64_t t = now_ns();
        if (!window_open && t >= t_measure_start) {
            if (server_pid) sample_cpu(&w0);
            getrusage(RUSAGE_SELF, &rw0);
            window_open = in_window = 1;
        }
        if (!stopping && t >= t_measure_end) {
            stopping = 1;
            in_window = 0;
            if (server_pid) sample_cpu(&w1);
            getrusage(RUSAGE_SELF, &rw1);
        }
        if (server_pid && window_open && sec_next <= seconds) {
            if (sec_next == 0) sec_sys[sec_next++] = w0.server_sys_s;
            else if (stopping && sec_next == seconds) sec_sys[sec_next++] = w1.server_sys_s;
            else if (!stopping && t >= t_measure_start + (uint64_t)sec_next * 1000000000ull) {
                double u, sy;
                sec_sys[sec_next++] = proc_cpu(server_pid, &u, &sy) == 0 ? sy : -1;
            }
        }
        if (stopping) {
            int busy = 0;
            for (long i = 0; i < nconns && !busy; i++)
                busy = !conns[i].dead && conns[i].done < conns[i].stamped;
            if (!busy || t >= t_hard_end) break;
        }
        uint64_t next = stopping ? t_hard_end : !window_open ? t_measure_start : t_measure_end;
        int timeout_ms = (int)((next - t) / 1000000) + 1;
        if (timeout_ms > 100) timeout_ms = 100;
        if (busy_poll) timeout_ms = 0;      // never sleep; the time checks above still end the run
        int n = epoll_wait(ep, events, EVENTS_MAX, timeout_ms);
        if (n < 0) {
            if (errno == EINTR) continue;
            perror("loadgen: epoll_wait");
            return 1;
        }
        if (in_window) {
            waits_measured++;
            if (n == 0) empty_waits_measured++;
        }
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (c->dead) continue;
            if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable(c);
            if (!c->dead && (events[i].events & EPOLLOUT)) pump_send(c);
        }
    }
    getrusage(RUSAGE_SELF, &ru1);

    uint64_t unfinished = 0;
    for (long i = 0; i < nconns; i++) {
        struct conn *c = &conns[i];
        if (!c->dead && c->done < c->stamped) unfinished += c->stamped - c->done;
        if (!c->dead) close(c->fd);
    }
    if (unfinished) {
        fprintf(stderr, "loadgen: %llu messages not echoed within %.1f s after the run\n",
                (unsigned long long)unfinished, DRAIN_GRACE_NS / 1e9);
        errors++;
    }
    // Idle connections must still be open: a recv that would block means no FIN and no RST arrived.
    uint64_t idle_lost = 0;
    for (long i = 0; i < idle; i++) {
        char b;
        ssize_t r = recv(idle_fds[i], &b, 1, MSG_DONTWAIT);
        if (!(r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))) idle_lost++;
        close(idle_fds[i]);
    }
    if (idle_lost) {
        fprintf(stderr, "loadgen: %llu idle connections were closed or got data\n", (unsigned long long)idle_lost);
        errors++;
    }
    if (msgs_measured == 0) {
        fprintf(stderr, "loadgen: no message completed in the measured window\n");
        errors++;
    }

    double secs = (double)seconds;
    double rate = (double)msgs_measured / secs;
    double mbs = (double)msgs_measured * (double)size / secs / 1e6;
    double cpu_user = (double)(ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) +
                      (double)(ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) / 1e6;
    double cpu_sys = (double)(ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) +
                     (double)(ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e6;
    double wall = (double)(now_ns() - t0) / 1e9;
    if (json) {
        printf("{\"conns\":%ld,\"size\":%llu,\"depth\":%llu,\"seconds\":%ld,\"warmup\":%ld,\"idle\":%ld,"
               "\"msgs\":%llu,\"msgs_per_sec\":%.0f,\"mb_per_sec\":%.2f,\"p50_us\":%.1f,\"p99_us\":%.1f,"
               "\"p999_us\":%.1f,\"errors\":%llu,\"mismatches\":%llu,\"loadgen_cpu_user_s\":%.2f,"
               "\"loadgen_cpu_sys_s\":%.2f,\"wall_s\":%.2f,\"busy\":%s",
               nconns, (unsigned long long)size, (unsigned long long)depth, seconds, warmup, idle,
               (unsigned long long)msgs_measured, rate, mbs, percentile_us(0.50), percentile_us(0.99),
               percentile_us(0.999), (unsigned long long)errors, (unsigned long long)mismatches, cpu_user,
               cpu_sys, wall, busy_poll ? "true" : "false");
        if (window_open && stopping)
            printf(",\"loadgen_waits\":%llu,\"loadgen_empty_waits\":%llu,\"loadgen_vcsw\":%ld,\"loadgen_ivcsw\":%ld",
                   (unsigned long long)waits_measured, (unsigned long long)empty_waits_measured,
                   rw1.ru_nvcsw - rw0.ru_nvcsw, rw1.ru_nivcsw - rw0.ru_nivcsw);
        if (server_pid && window_open && stopping && w0.server_vcsw >= 0 && w1.server_vcsw >= 0)
            printf(",\"server_vcsw\":%ld,\"server_ivcsw\":%ld", w1.server_vcsw - w0.server_vcsw,
                   w1.server_ivcsw - w0.server_ivcsw);
        if (server_pid && window_open && stopping) {
            // Server-side figures over exactly the measured window [W, W+T).
            printf(",\"window_s\":%.3f,\"server_user_s\":%.2f,\"server_sys_s\":%.2f,\"machine_busy_s\":%.2f,"
                   "\"loadgen_window_user_s\":%.3f,\"loadgen_window_sys_s\":%.3f",
                   (double)(w1.t - w0.t) / 1e9, w1.server_user_s - w0.server_user_s, w1.server_sys_s - w0.server_sys_s,
                   w1.machine_busy_s - w0.machine_busy_s, w1.self_user_s - w0.self_user_s, w1.self_sys_s - w0.self_sys_s);
        }
        if (window_open && stopping) {
            printf(",\"per_second\":[");
            for (long i = 0; i < seconds; i++) printf("%s%llu", i ? "," : "", (unsigned long long)sec_msgs[i]);
            printf("]");
            if (server_pid && sec_next == seconds + 1) {
                printf(",\"per_second_sys_us\":[");
                for (long i = 0; i < seconds; i++)
                    printf("%s%.0f", i ? "," : "", sec_sys[i] < 0 || sec_sys[i + 1] < 0 ? -1.0 : 1e6 * (sec_sys[i + 1] - sec_sys[i]));
                printf("]");
            }
        }
        if (rss_idle_kb >= 0 && rss_before_kb >= 0)
            printf(",\"rss_before_kb\":%ld,\"rss_idle_kb\":%ld,\"idle_fds_seen\":%ld", rss_before_kb, rss_idle_kb,
                   fds_idle - fds_before);
        printf("}\n");
    } else {
        printf("conns=%ld size=%llu depth=%llu seconds=%ld warmup=%ld idle=%ld%s\n", nconns,
               (unsigned long long)size, (unsigned long long)depth, seconds, warmup, idle, busy_poll ? " busy" : "");
        printf("msgs/s %.0f  MB/s %.2f  total %llu\n", rate, mbs, (unsigned long long)msgs_measured);
        printf("latency us: p50 %.1f  p99 %.1f  p99.9 %.1f\n", percentile_us(0.50), percentile_us(0.99),
               percentile_us(0.999));
        printf("errors %llu  mismatches %llu  loadgen cpu user %.2fs sys %.2fs over %.2fs wall\n",
               (unsigned long long)errors, (unsigned long long)mismatches, cpu_user, cpu_sys, wall);
        if (window_open && stopping)
            printf("window: epoll_wait %llu (%llu empty)  loadgen context switches %ld voluntary, %ld involuntary\n",
                   (unsigned long long)waits_measured, (unsigned long long)empty_waits_measured,
                   rw1.ru_nvcsw - rw0.ru_nvcsw, rw1.ru_nivcsw - rw0.ru_nivcsw);
    }
    fflush(stdout);
    if (mismatches) return 2;
    if (errors) return 3;
    return 0;
}
